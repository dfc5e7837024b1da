//! Terraform resources that deploy SCEP profiles (domain.md section 11):
//!
//! - Jamf Pro, deploymenttheory's provider: `jamfpro_macos_configuration_profile_plist` and
//!   `jamfpro_mobile_device_configuration_profile_plist` (`payloads`, `level`,
//!   `redeploy_days_before_cert_expires`);
//! - Jamf Pro, Jamf's own provider: `jamfplatform_pro_macos_configuration_profile` and
//!   `jamfplatform_pro_mobile_device_configuration_profile` (`general = { payloads, level,
//!   redeploy_days_before_certificate_expires }`);
//! - Intune, deploymenttheory's Microsoft 365 provider: the macOS templates resource's
//!   `scep_certificate` and `custom_configuration`, and Windows custom OMA-URI settings;
//! - `msgraph_resource`, whose `body` is a Graph object.
//!
//! A payload written in the `.tf` (a heredoc, a string) is read in place, with positions in the
//! `.tf`; `file("...")` is a reference, linted on its own in the resource's context. Values
//! Terraform computes (`var.x`, `local.y`, other functions) are unknown, never errors.

use super::{Escaping, Hints, Read, apple, intune, nested_plist};
use crate::container::Limits;
use crate::container::hcl::LABELS;
use crate::model::{Field, Level, Origin, Platform, Provenance, Redistribution, Reference, Vendor};
use crate::tree::{Entry, KeyPath, Node, Value};

/// The resources sceplint reads, by type.
const JAMF_PLIST: &[&str] = &[
    "jamfpro_macos_configuration_profile_plist",
    "jamfpro_mobile_device_configuration_profile_plist",
];
const JAMF_PLATFORM: &[&str] = &[
    "jamfplatform_pro_macos_configuration_profile",
    "jamfplatform_pro_mobile_device_configuration_profile",
];
const INTUNE_MACOS_TEMPLATES: &str =
    "microsoft365_graph_beta_device_management_macos_device_configuration_templates";
const INTUNE_WINDOWS_CUSTOM: &str =
    "microsoft365_graph_beta_device_management_windows_custom_configuration";
const MSGRAPH: &str = "msgraph_resource";

/// Whether a `.tf` file's text may hold a resource sceplint reads (a cheap look before parsing
/// a file a walk found).
pub fn may_matter(text: &[u8]) -> bool {
    [
        "jamfpro_",
        "jamfplatform_",
        "microsoft365_graph",
        MSGRAPH,
        "scep",
        "SCEP",
    ]
    .iter()
    .any(|needle| memchr::memmem::find(text, needle.as_bytes()).is_some())
}

pub fn read(
    root: &Node,
    text: Option<&str>,
    limits: &Limits,
    hints: Hints,
) -> Result<Read, super::Problem> {
    let mut read = Read::default();
    for resource in blocks(root, "resource") {
        let labels = labels(resource);
        let (Some(kind), Some(name)) = (labels.first(), labels.get(1)) else {
            continue;
        };
        let path = KeyPath::root().key("resource").key(kind).key(name).nested();
        if JAMF_PLIST.contains(kind) {
            let mobile = kind.contains("mobile_device");
            let deployment = JamfDeployment {
                mobile,
                level: resource.entry("level"),
                redeploy: resource.entry("redeploy_days_before_cert_expires"),
                name: resource.get_str("name"),
                path: path.clone(),
            };
            jamf_payloads(
                resource.entry("payloads"),
                &deployment,
                text,
                limits,
                &mut read,
            )?;
        } else if JAMF_PLATFORM.contains(kind) {
            let mobile = kind.contains("mobile_device");
            let Some(general) = resource.get("general") else {
                continue;
            };
            let deployment = JamfDeployment {
                mobile,
                level: general.entry("level"),
                redeploy: general.entry("redeploy_days_before_certificate_expires"),
                name: general.get_str("name"),
                path: path.key("general"),
            };
            jamf_payloads(
                general.entry("payloads"),
                &deployment,
                text,
                limits,
                &mut read,
            )?;
        } else if *kind == INTUNE_MACOS_TEMPLATES {
            if let Some(scep) = resource.get("scep_certificate") {
                let mut object = graph_object(scep);
                set_type(&mut object, "#microsoft.graph.macOSScepCertificateProfile");
                if let Some(name) = resource.entry("display_name") {
                    object_entries(&mut object).push(renamed(name, "displayName"));
                }
                read.profiles.extend(intune::read_graph_object(
                    &object,
                    &path.key("scep_certificate"),
                    hints,
                ));
            }
            if let Some(custom) = resource.get("custom_configuration") {
                let payload = custom.entry("payload");
                let context = apple::Context {
                    path: path.key("custom_configuration").key("payload").nested(),
                    ..apple::Context::standalone(Vendor::Intune)
                };
                match payload.map(|e| &e.value.value) {
                    Some(Value::Deferred { token, .. }) if file_argument(token).is_some() => {
                        let entry = payload.expect("matched above");
                        read.references.push(Reference {
                            path: file_argument(token).unwrap_or_default(),
                            glob: false,
                            origin: apple::value_origin(entry, &path.key("custom_configuration")),
                            vendor: Vendor::Intune,
                            level: None,
                            redistribution_days: None,
                            redistribution_token: None,
                        });
                    }
                    _ => apple_payload(payload, context, text, limits, &mut read)?,
                }
            }
        } else if *kind == INTUNE_WINDOWS_CUSTOM {
            let mut object = graph_object(resource);
            set_type(&mut object, "#microsoft.graph.windows10CustomConfiguration");
            read.profiles
                .extend(intune::read_graph_object(&object, &path, hints));
        } else if *kind == MSGRAPH
            && let Some(body) = resource.get("body")
        {
            match &body.value {
                Value::Dict(_) => {
                    read.profiles
                        .extend(intune::read_graph_object(body, &path.key("body"), hints))
                }
                Value::Deferred { token, .. } => read.unreadable.push((
                    Origin::new(body.span.clone(), path.key("body")),
                    format!(
                        "is computed by Terraform (`{}`)",
                        crate::source::shorten(token, 60)
                    ),
                )),
                _ => {}
            }
        }
    }
    Ok(read)
}

/// What a Jamf Pro resource says around its payloads.
struct JamfDeployment<'a> {
    mobile: bool,
    level: Option<&'a Entry>,
    redeploy: Option<&'a Entry>,
    name: Option<&'a str>,
    path: KeyPath,
}

impl JamfDeployment<'_> {
    fn level(&self) -> Option<Level> {
        let value = self.level?.value.as_str()?;
        match value {
            "System" | "Computer Level" | "Device Level" | "Computer" | "Device" => {
                Some(Level::Computer)
            }
            "User" | "User Level" => Some(Level::User),
            _ => None,
        }
    }

    fn redeploy_days(&self) -> Option<i64> {
        self.redeploy?
            .value
            .as_integer()
            .and_then(|d| i64::try_from(d).ok())
    }

    fn context(&self) -> apple::Context {
        let mut context = apple::Context::standalone(Vendor::Jamf);
        context.platform = Some(if self.mobile {
            Platform::Ios
        } else {
            Platform::MacOs
        });
        context.display_name = self.name.map(str::to_owned);
        context.path = self.path.key("payloads").nested();
        if let Some(entry) = self.level {
            context.level = Some(match self.level() {
                Some(level) => Field::explicit(Some(level), apple::value_origin(entry, &self.path)),
                None => Field::new(
                    None,
                    Provenance::Invalid {
                        found: "a level the provider does not define".to_owned(),
                    },
                    apple::value_origin(entry, &self.path),
                ),
            });
        }
        context.redistribution = match self.redeploy {
            Some(entry) => match self.redeploy_days() {
                Some(days) => Field::explicit(
                    Redistribution::Days(days),
                    apple::value_origin(entry, &self.path),
                ),
                None => Field::new(
                    Redistribution::Unknown,
                    deferred_or_invalid(&entry.value),
                    apple::value_origin(entry, &self.path),
                ),
            },
            None => Field::new(
                Redistribution::NotInExport,
                Provenance::Missing,
                Origin::default(),
            ),
        };
        context
    }
}

/// How a value that is not what a setting takes came about: computed by Terraform, or wrong.
fn deferred_or_invalid(node: &Node) -> Provenance {
    match &node.value {
        Value::Deferred { token, .. } => Provenance::Deferred {
            token: token.clone(),
        },
        _ => Provenance::Invalid {
            found: format!("a {}", node.type_name()),
        },
    }
}

fn jamf_payloads(
    payloads: Option<&Entry>,
    deployment: &JamfDeployment<'_>,
    text: Option<&str>,
    limits: &Limits,
    read: &mut Read,
) -> Result<(), super::Problem> {
    if let Some(Value::Deferred { token, .. }) = payloads.map(|e| &e.value.value)
        && let Some(path) = file_argument(token)
    {
        let entry = payloads.expect("matched above");
        read.references.push(Reference {
            path,
            glob: false,
            origin: apple::value_origin(entry, &deployment.path),
            vendor: Vendor::Jamf,
            level: deployment.level(),
            redistribution_days: deployment.redeploy_days(),
            redistribution_token: deployment.redeploy.and_then(|e| match &e.value.value {
                Value::Deferred { token, .. } => Some(token.clone()),
                _ => None,
            }),
        });
        return Ok(());
    }
    apple_payload(payloads, deployment.context(), text, limits, read)
}

/// A mobileconfig written in the `.tf`: read in place.
fn apple_payload(
    payload: Option<&Entry>,
    context: apple::Context,
    text: Option<&str>,
    limits: &Limits,
    read: &mut Read,
) -> Result<(), super::Problem> {
    let Some(entry) = payload else {
        return Ok(());
    };
    let node = &entry.value;
    match &node.value {
        Value::String(_) => {
            let escaping = match text.zip(node.span.clone()).and_then(|(t, s)| t.get(s)) {
                Some(raw) if raw.starts_with("<<-") => Escaping::Heredoc { dedent: true },
                Some(raw) if raw.starts_with("<<") => Escaping::Heredoc { dedent: false },
                _ => Escaping::Hcl,
            };
            let (plist, comments) = nested_plist(node, text, escaping, limits)?;
            read.keep_nested(&plist, comments, text);
            let profile = apple::read_profile(&plist, &context).map_err(
                |apple::NotReadable::Encrypted(origin)| {
                    super::Problem::Encrypted(origin, std::mem::take(&mut read.secrets))
                },
            )?;
            read.profiles.extend(profile);
        }
        Value::Deferred { token, .. } => {
            let origin = Origin::new(node.span.clone(), context.path.clone());
            let why = if token.trim_start().starts_with("file(") {
                "is read from a file by a path Terraform computes".to_owned()
            } else {
                format!(
                    "is computed by Terraform (`{}`)",
                    crate::source::shorten(token, 60)
                )
            };
            read.unreadable.push((origin, why));
        }
        _ => {}
    }
    Ok(())
}

/// The path in `file("...")`, relative to the module: `${path.module}/` and the like dropped.
/// `None` when the path is computed from anything else.
pub fn file_argument(token: &str) -> Option<String> {
    let inner = token
        .trim()
        .strip_prefix("file(")?
        .strip_suffix(')')?
        .trim();
    let quoted = inner.strip_prefix('"')?.strip_suffix('"')?;
    let path = ["${path.module}/", "${path.root}/", "${path.cwd}/", "./"]
        .iter()
        .find_map(|prefix| quoted.strip_prefix(prefix))
        .unwrap_or(quoted);
    (!path.contains("${") && !path.contains("%{") && !path.is_empty()).then(|| path.to_owned())
}

/// The blocks of a body named `name`.
fn blocks<'a>(root: &'a Node, name: &'a str) -> impl Iterator<Item = &'a Node> {
    root.as_dict()
        .unwrap_or_default()
        .iter()
        .filter(move |e| e.key == name)
        .map(|e| &e.value)
}

fn labels(block: &Node) -> Vec<&str> {
    block
        .get(LABELS)
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// A provider's snake_case attributes as the Graph object they map to (`key_size` becomes
/// `keySize`, `odata_type` becomes `@odata.type`), keeping every position.
fn graph_object(node: &Node) -> Node {
    let mut out = node.clone();
    let mut stack = vec![&mut out];
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Dict(entries) => {
                entries.retain(|e| e.key != LABELS);
                for entry in entries.iter_mut() {
                    entry.key = camel(&entry.key);
                    stack.push(&mut entry.value);
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    out
}

fn camel(key: &str) -> String {
    if key == "odata_type" {
        return "@odata.type".to_owned();
    }
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn object_entries(node: &mut Node) -> &mut Vec<Entry> {
    if !matches!(node.value, Value::Dict(_)) {
        node.value = Value::Dict(Vec::new());
    }
    match &mut node.value {
        Value::Dict(entries) => entries,
        _ => unreachable!("made a dict above"),
    }
}

fn set_type(node: &mut Node, odata_type: &str) {
    let entries = object_entries(node);
    entries.retain(|e| e.key != "@odata.type");
    entries.insert(
        0,
        Entry {
            key: "@odata.type".to_owned(),
            key_span: None,
            value: Node::new(Value::String(odata_type.to_owned()), None),
        },
    );
}

fn renamed(entry: &Entry, key: &str) -> Entry {
    Entry {
        key: key.to_owned(),
        ..entry.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_arguments_relative_to_the_module() {
        assert_eq!(
            file_argument(r#"file("${path.module}/profiles/okta.mobileconfig")"#).as_deref(),
            Some("profiles/okta.mobileconfig")
        );
        assert_eq!(
            file_argument(r#"file("path/to/profile_002.mobileconfig")"#).as_deref(),
            Some("path/to/profile_002.mobileconfig")
        );
        assert_eq!(file_argument(r#"file("${var.dir}/a.mobileconfig")"#), None);
        assert_eq!(file_argument("file(var.path)"), None);
        assert_eq!(file_argument("filebase64(\"a\")"), None);
    }

    #[test]
    fn provider_attributes_become_graph_fields() {
        assert_eq!(
            camel("renewal_threshold_percentage"),
            "renewalThresholdPercentage"
        );
        assert_eq!(camel("odata_type"), "@odata.type");
        assert_eq!(camel("scep_server_urls"), "scepServerUrls");
    }
}
