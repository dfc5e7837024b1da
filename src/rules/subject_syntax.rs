//! SCEP011 subject-syntax: the Subject has the shape Apple and Intune accept, with no value a CA
//! or the MDM will read differently from what was meant.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Attribute, Rewrite, ScepPayload};
use crate::variables;

pub struct SubjectSyntax;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP011",
    name: "subject-syntax",
    severity: Severity::Error,
    summary: "The Subject is well formed: RDN pairs, known types, no empty values, stray quotes or commas a variable brings",
    docs: include_str!("../../docs/rules/subject-syntax.md"),
};

/// Escapes Intune documents as breaking challenge validation in a subject.
const BREAKING_ESCAPES: &[&str] = &["\\,", "\\+", "\\;", "\\="];

fn is_oid(kind: &str) -> bool {
    let mut parts = kind.split('.');
    kind.contains('.') && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Rule for SubjectSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(subject) = &payload.subject.value else {
            return;
        };
        let words = cx.words();
        let shape_help = if subject.dn_string {
            format!(
                "write `{}` as a distinguished name: `type=value` pairs separated by commas, such as `CN=<device id>,O=Acme` (quote a value that holds `,` `=` `+` or `;`)",
                words.key(crate::model::Setting::Subject)
            )
        } else {
            "write the Subject as an array of RDNs, each an array of [type, value] pairs: [[[\"CN\", \"$COMPUTERNAME ma $UDID\"]], [[\"O\", \"Acme\"]]]".to_owned()
        };
        for problem in &subject.problems {
            out.push(Finding::new(
                problem.message.clone(),
                shape_help.clone(),
                Label::new(&problem.origin, "malformed Subject"),
            ));
        }
        if words.subject_escapes_break() {
            for escape in BREAKING_ESCAPES
                .iter()
                .filter(|e| subject.text.contains(**e))
            {
                out.push(Finding::new(
                    format!("the subject name format holds the escape `{escape}`, which {} documents as breaking SCEP challenge validation", words.mdm()),
                    "remove the backslash escape; keep commas, plus signs, semicolons and equals signs out of values",
                    Label::new(&payload.subject.origin, format!("`{escape}`")),
                ));
            }
        }
        let types = words.subject_types();
        for attribute in subject.attributes() {
            check_attribute(attribute, types, subject.dn_string, cx, out);
        }
    }
}

fn check_attribute(
    attribute: &Attribute,
    types: &[&str],
    dn_string: bool,
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    let kind = attribute.kind.as_str();
    let value = attribute.value.trim();
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"') && dn_string;
    if kind.contains('"') || (value.contains('"') && !quoted) {
        let at = if kind.contains('"') {
            &attribute.kind_origin
        } else {
            &attribute.origin
        };
        let finding = Finding::new(
            format!(
                "the Subject attribute `{kind}={}` holds a stray quote, which becomes part of the certificate's name",
                attribute.value
            ),
            "remove the quote: values in a Subject array need no quoting",
            Label::new(at, "stray quote"),
        );
        // In a Subject array each value stands alone and no quote belongs in it; in a string,
        // quotes may group a value and the origin can be the whole string.
        out.push(if dn_string {
            finding
        } else {
            finding.with_fix(at, Rewrite::Unquote, "Remove the stray quote".to_owned())
        });
    } else if !types.contains(&kind) && !is_oid(kind) {
        let upper = kind.to_ascii_uppercase();
        let hint = if types.contains(&upper.as_str()) {
            format!(" (write `{upper}`)")
        } else {
            String::new()
        };
        out.push(Finding::new(
            format!("`{kind}` is not a Subject attribute type{hint}; the types are {} or a dotted OID such as 2.5.4.3", types.join(", ")),
            "use one of the type shortcuts, or the attribute's dotted OID",
            Label::new(&attribute.kind_origin, "unknown type"),
        ));
    }
    if value.is_empty() {
        out.push(Finding::new(
            format!("the Subject attribute `{kind}` has an empty value"),
            "give it a value, or remove the attribute",
            Label::new(&attribute.origin, "empty value"),
        ));
    } else if kind == "C"
        && !variables::contains_variable(value)
        && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        out.push(Finding::new(
            format!("the country `C={value}` is not a two-letter ISO 3166 code, which CAs reject"),
            "use the two-letter code, such as US or DE",
            Label::new(&attribute.origin, "not a country code"),
        ));
    }
    for variable in variables::find(&attribute.value) {
        let known = variables::resolve(
            cx.profile.vendor,
            cx.profile.platform,
            &variable.canonical(),
        );
        if known.is_some_and(|k| k.may_contain_comma) {
            out.push(Finding::new(
                format!(
                    "`{}` can expand to a value with a comma (such as `MacBookAir10,1`), which splits the Subject where the MDM reads it as `CN=...,OU=...`",
                    variable.token
                ),
                "use a variable without commas (a serial number or UDID), or leave this one out of the Subject",
                Label::new(&super::narrowed(&attribute.origin, &attribute.value, variable.range.clone()), "may expand with a comma"),
            ));
        }
    }
}
