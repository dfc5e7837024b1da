//! SCEP023 csp-structure: a Windows ClientCertificateInstall profile is written so that Windows
//! can enroll: one store, an `Install/Enroll` after the settings, nodes the CSP has, in the
//! format it takes, with their data, and a CA thumbprint that can match a CA.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Level, ScepPayload};

pub struct CspStructure;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP023",
    name: "csp-structure",
    severity: Severity::Error,
    summary: "Windows: the ClientCertificateInstall nodes are written so that Windows can enroll",
    docs: include_str!("../../docs/rules/csp-structure.md"),
};

/// A value that is filled in later (a variable or a template placeholder), not judged.
fn is_unfilled(value: &str) -> bool {
    value.contains('$') || value.contains("{{") || value.contains('%') || value.contains('<')
}

impl Rule for CspStructure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(file) = &cx.profile.csp else {
            return;
        };
        if let [(first, _), (_, second), ..] = file.scopes.as_slice() {
            let (used, other) = match first {
                Level::User => ("./User", "./Device"),
                Level::Computer => ("./Device", "./User"),
            };
            out.push(Finding::new(
                format!("the profile writes ClientCertificateInstall nodes under both `{used}` and `{other}`; a certificate is requested in one store, so the nodes in the other are lost"),
                format!("write every LocURI under `{used}` (or every one under `{other}`)"),
                Label::new(second, format!("`{other}` after `{used}`")),
            ));
        }
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(install) = &payload.csp else {
            return;
        };
        let has_commands = cx.profile.csp.as_ref().is_some_and(|f| f.has_commands);
        if has_commands && install.enrolls.is_empty() {
            out.push(Finding::new(
                format!(
                    "nothing runs `Install/Enroll` for SCEP node `{}`, so Windows stores the settings but never requests the certificate",
                    install.id
                ),
                format!("add an `<Exec>` whose LocURI is `…/SCEP/{}/Install/Enroll`, after the settings", install.id),
                Label::new(&install.id_origin, "never enrolled"),
            ));
        }
        if let Some(after) = &install.set_after_enroll {
            out.push(
                Finding::new(
                    "a setting is written after `Install/Enroll`, so the enrollment runs without it",
                    "move the `<Exec>` of `Install/Enroll` after every setting of the node",
                    Label::new(after, "after Enroll"),
                )
                .with_severity(Severity::Warning),
            );
        }
        for node in &install.nodes {
            let Some(expected) = node.expected_format else {
                let meant = node
                    .suggestion
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let name = crate::source::shorten(&node.name, 40);
                out.push(Finding::new(
                    format!("`Install/{name}` is not a node of the ClientCertificateInstall CSP{meant}, so Windows rejects the command and the setting never applies"),
                    match node.suggestion {
                        Some(s) => format!("spell the node `Install/{s}` (LocURIs are case-sensitive)"),
                        None => "remove the item, or use a node the ClientCertificateInstall CSP documents".to_owned(),
                    },
                    Label::new(&node.origin, "unknown node"),
                ));
                continue;
            };
            if !node.has_data {
                out.push(Finding::new(
                    format!("`Install/{}` has no `<Data>`, so Windows has no value to set", node.name),
                    format!("give the item a `<Data>` with the value, in the format the CSP takes ({expected})"),
                    Label::new(&node.origin, "no Data"),
                ));
            }
            if let Some((written, at)) = &node.format
                && !written.eq_ignore_ascii_case(expected)
            {
                out.push(Finding::new(
                    format!(
                        "`Install/{}` is sent as `{}`, but the CSP takes `{expected}`, so Windows rejects the command",
                        node.name,
                        crate::source::shorten(written, 40)
                    ),
                    format!("set its `<Format>` to `{expected}`"),
                    Label::new(at, format!("should be {expected}")),
                ));
            }
        }
        let thumbprint = payload
            .request
            .as_ref()
            .and_then(|r| r.ca_thumbprint.as_ref());
        if let Some(field) = thumbprint
            && !is_unfilled(&field.value)
        {
            let digits: String = field
                .value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect();
            if digits.len() != 40 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                let shape = if digits.chars().all(|c| c.is_ascii_hexdigit()) {
                    format!("{} hexadecimal digits", digits.chars().count())
                } else {
                    "not hexadecimal".to_owned()
                };
                out.push(Finding::new(
                    format!("`CAThumbprint` is {shape}; it must be the SHA-1 thumbprint of the root CA, 40 hexadecimal digits, or Windows cannot match the CA and enrollment fails"),
                    "copy the root CA certificate's SHA-1 thumbprint (40 hexadecimal digits) into `Install/CAThumbprint`",
                    Label::new(&field.origin, "not a SHA-1 thumbprint"),
                ));
            }
        }
    }
}
