//! SCEP014 scep-url: the SCEP URL is there, uses https, and is neither a placeholder nor an
//! address devices cannot reach; an info when its host is not an Okta host.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Field, Provenance, ScepPayload};
use crate::variables;

pub struct ScepUrl;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP014",
    name: "scep-url",
    severity: Severity::Error,
    summary: "The SCEP URL is present, https, not a placeholder and not a private or loopback address",
    docs: include_str!("../../docs/rules/scep-url.md"),
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScepUrlOptions {
    /// Hosts Okta's CA answers on; `*.` matches any subdomain. Add custom Okta domains here.
    pub okta_hosts: Vec<String>,
}

impl Default for ScepUrlOptions {
    fn default() -> Self {
        ScepUrlOptions {
            okta_hosts: vec![
                "*.okta.com".into(),
                "*.oktapreview.com".into(),
                "*.okta-emea.com".into(),
            ],
        }
    }
}

/// The parts of a URL the rule looks at.
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    scheme: Option<&'a str>,
    host: &'a str,
    rest: &'a str,
}

fn split(url: &str) -> Parts<'_> {
    let (scheme, after) = match url.split_once("://") {
        Some((scheme, after)) => (Some(scheme), after),
        None => (None, url),
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    Parts {
        scheme,
        host,
        rest: &after[end..],
    }
}

fn is_private(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
    {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified()
        }
        Ok(IpAddr::V6(ip)) => {
            let first = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

/// What follows "your" in a placeholder host label.
const PLACEHOLDER_WORDS: &[&str] = &[
    "domain",
    "org",
    "company",
    "tenant",
    "server",
    "host",
    "instance",
    "subdomain",
    "okta",
    "ca",
    "mdm",
    "scep",
    "site",
    "url",
    "name",
    "account",
];

fn is_placeholder(host: &str, rest: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let rest = rest.to_ascii_lowercase();
    let example = ["example.com", "example.org", "example.net"]
        .iter()
        .any(|e| host == *e || host.ends_with(&format!(".{e}")));
    // `yourdomain`, `your-org`, `YOUR_TENANT`: "your" and a word an example would use, not a
    // real name that starts with it (`yourway.okta.com`).
    let your = host.split('.').any(|label| {
        label.strip_prefix("your").is_some_and(|rest| {
            let rest = rest.trim_start_matches(['-', '_']);
            PLACEHOLDER_WORDS.iter().any(|w| rest.starts_with(w))
        })
    });
    example
        || your
        || rest.contains("your_")
        || rest.contains("your-")
        || host.contains("replace")
        || rest.contains("replace_with")
        || host.contains('<')
        || rest.contains('<')
}

fn matches_host(pattern: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let pattern = pattern.to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(domain) => host.ends_with(&format!(".{domain}")),
        None => host == pattern,
    }
}

impl Rule for ScepUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let urls = &payload.urls;
        if urls.is_deferred() {
            return;
        }
        let okta_example = "`https://<your-org>.okta.com/pki/<id>/scep/<ca>`";
        if urls.value.is_empty() {
            let key = cx.words().key(crate::model::Setting::Url);
            let what = match &urls.provenance {
                Provenance::Misspelt { found } => format!("`{found}` is not a key the device reads (it reads `{key}`), so the payload has no SCEP URL"),
                Provenance::Invalid { found } => format!("`{key}` holds {found} where a string is expected, so the payload has no SCEP URL"),
                _ => "the payload has no SCEP URL, so the device has nowhere to request its certificate".to_owned(),
            };
            out.push(Finding::new(
                what,
                format!("set `{key}` to the SCEP URL from Okta's SCEP settings ({okta_example})"),
                Label::new(&urls.origin, "no URL"),
            ));
            return;
        }
        for url in &urls.value {
            check_url(cx, url, okta_example, out);
        }
    }
}

fn check_url(cx: &Context<'_>, url: &Field<String>, okta_example: &str, out: &mut Vec<Finding>) {
    let text = url.value.trim();
    let variables = variables::find(text);
    if variables.first().is_some_and(|v| v.range.start == 0) {
        return; // The MDM fills in the URL (Fleet's proxy URL, for one).
    }
    let parts = split(text);
    let at = |label: &str| Label::new(&url.origin, label);
    // Narrow a label to part of the URL when the URL sits in the file as written.
    let at_part = |part: &str, label: &str| {
        let start = part.as_ptr() as usize - url.value.as_ptr() as usize;
        Label::new(
            &super::narrowed(&url.origin, &url.value, start..start + part.len()),
            label,
        )
    };
    let host_is_variable = variables.iter().any(|v| parts.host.contains(v.token));
    // A placeholder is the whole story: its scheme or host hardly matters until it is replaced.
    if !host_is_variable && !parts.host.is_empty() && is_placeholder(parts.host, parts.rest) {
        out.push(Finding::new(
            format!("the SCEP URL `{text}` is a placeholder copied from an example, not a real CA"),
            format!("replace it with the SCEP URL from Okta's SCEP settings ({okta_example})"),
            at("placeholder"),
        ));
        return;
    }
    match parts.scheme {
        None => out.push(Finding::new(
            format!("the SCEP URL `{text}` has no scheme, so the device cannot reach it"),
            format!("write the whole URL from Okta's SCEP settings, starting `https://` ({okta_example})"),
            at("no scheme"),
        )),
        Some(scheme) if !scheme.eq_ignore_ascii_case("https") => out.push(Finding::new(
            format!("the SCEP URL uses `{scheme}`, not https; Okta's SCEP URLs are https, and anything else exposes enrollment to interception"),
            format!("use the https URL from Okta's SCEP settings ({okta_example})"),
            at_part(scheme, "not https"),
        )),
        Some(_) => {}
    }
    if host_is_variable {
        return;
    }
    if parts.host.is_empty() {
        out.push(Finding::new(
            format!("the SCEP URL `{text}` has no host"),
            format!("use the SCEP URL from Okta's SCEP settings ({okta_example})"),
            at("no host"),
        ));
    } else if is_private(parts.host) {
        out.push(Finding::new(
            format!("the SCEP URL points at `{}`, a loopback or private address that managed devices cannot reach from everywhere", parts.host),
            format!("use the CA's public URL, such as the one in Okta's SCEP settings ({okta_example})"),
            at_part(parts.host, "private address"),
        ));
    } else if !cx
        .options
        .scep_url
        .okta_hosts
        .iter()
        .any(|p| matches_host(p, parts.host))
    {
        out.push(
            Finding::new(
                format!("the SCEP URL's host `{}` is not an Okta host, so this profile does not use Okta's CA", parts.host),
                "if Okta's CA answers on a custom domain, add it to [rules.scep-url] okta-hosts in sceplint.toml",
                at_part(parts.host, "not an Okta host"),
            )
            .with_severity(Severity::Info),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_into_what_the_rule_needs() {
        assert_eq!(
            split("https://acme.okta.com/pki/x/scep"),
            Parts {
                scheme: Some("https"),
                host: "acme.okta.com",
                rest: "/pki/x/scep"
            }
        );
        assert_eq!(split("scep.example.com").scheme, None);
        assert_eq!(split("scep.example.com").host, "scep.example.com");
        assert_eq!(split("http://user@[::1]:8443/x").host, "::1");
        assert_eq!(
            split("https://mdm.otbeaumont.me:8001/apple/scep").host,
            "mdm.otbeaumont.me"
        );
    }

    #[test]
    fn private_placeholder_and_okta_hosts() {
        for private in [
            "localhost",
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.4",
            "172.20.0.1",
            "::1",
            "fd00::1",
            "mac.local",
        ] {
            assert!(is_private(private), "{private}");
        }
        assert!(!is_private("8.8.8.8") && !is_private("acme.okta.com"));
        assert!(is_placeholder("yourdomain.okta.com", "/pki/your_scep_path"));
        assert!(is_placeholder("mdm.example.org", "/scep"));
        assert!(!is_placeholder("acme.okta.com", "/pki/5b1c/scep/okta-ca"));
        assert!(is_placeholder("scep.yourdomain.com", "/scep"));
        assert!(is_placeholder("your-org.okta.com", "/pki"));
        assert!(is_placeholder("YOUR_TENANT.okta.com", "/pki"));
        assert!(!is_placeholder(
            "yourway.okta.com",
            "/pki/5b1c/scep/okta-ca"
        ));
        assert!(matches_host("*.okta.com", "Acme.Okta.com"));
        assert!(!matches_host("*.okta.com", "okta.com.evil.test"));
    }
}
