//! SCEP009 unknown-variable: every variable in the Subject, SAN, URL and challenge is one the
//! profile's MDM (or macOS, for `%...%`) defines. An unknown variable is sent to the CA as
//! literal text, or makes the profile fail to install.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Challenge, Fix, Origin, ScepPayload};
use crate::variables::{self, Known, Syntax, VariableRef};

pub struct UnknownVariable;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP009",
    name: "unknown-variable",
    severity: Severity::Error,
    summary: "Every variable in the Subject, SAN, URL and challenge is one the MDM defines",
    docs: include_str!("../../docs/rules/unknown-variable.md"),
};

/// Variables that exist but are easily taken for another in a SCEP profile.
const LOOK_ALIKES: &[(&str, &str, &str)] = &[(
    "$PROFILEJSSID",
    "$PROFILE_IDENTIFIER",
    "`$PROFILEJSSID` is the profile's Jamf Pro ID, not the identifier Jamf Pro uses to redistribute SCEP profiles",
)];

impl Rule for UnknownVariable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let vendor = cx.profile.vendor;
        let tables = variables::tables_for(vendor, cx.profile.platform);
        let mut values: Vec<(&str, &Origin, &str)> = Vec::new();
        if let Some(subject) = &payload.subject.value {
            values.extend(
                subject
                    .attributes()
                    .map(|a| (a.value.as_str(), &a.origin, "Subject")),
            );
        }
        values.extend(
            payload
                .san
                .value
                .iter()
                .map(|s| (s.value.as_str(), &s.origin, "SubjectAltName")),
        );
        values.extend(
            payload
                .urls
                .value
                .iter()
                .map(|u| (u.value.as_str(), &u.origin, "URL")),
        );
        if let Challenge::Variable(token) = &payload.challenge.value {
            values.push((token.as_str(), &payload.challenge.origin, "Challenge"));
        }
        for (value, origin, field) in values {
            for variable in variables::find(value) {
                if let Some(verdict) = judge(cx, &tables, &variable, field) {
                    let at = super::narrowed(origin, value, variable.range.clone());
                    out.push(Finding::new(
                        verdict.message,
                        verdict.help,
                        Label::new(&at, verdict.label),
                    ));
                }
            }
        }
    }
}

struct Verdict {
    message: String,
    help: String,
    label: String,
}

/// What is wrong with a variable in `field`, if anything.
fn judge(
    cx: &Context<'_>,
    tables: &[&'static [Known]],
    variable: &VariableRef<'_>,
    field: &str,
) -> Option<Verdict> {
    let canonical = variable.canonical();
    let token = variable.token;
    let words = cx.words();
    let mdm = words.mdm();
    if let Some((_, meant, why)) = LOOK_ALIKES.iter().find(|(alike, _, _)| *alike == canonical)
        && variables::lookup(tables, &canonical).is_some()
        && field == "Subject"
    {
        return Some(Verdict {
            message: format!("{why}; did you mean `{meant}`?"),
            help: format!(
                "use `{meant}`, or drop it: {mdm} appends it itself when it redistributes"
            ),
            label: format!("did you mean `{meant}`?"),
        });
    }
    if variables::lookup(tables, &canonical).is_some() {
        return None;
    }
    // Another `$NAME` may be filled in before the device sees it (Fleet's GitOps), or cannot
    // be judged (an unknown MDM); only Fleet's own prefix is sure to be a variable of its.
    if words.other_dollar_names_filled()
        && variable.syntax == Syntax::Dollar
        && !canonical.starts_with("$FLEET_")
    {
        return None;
    }
    let suggestion = closest(tables, &canonical);
    let elsewhere = variables::TABLES
        .iter()
        .find(|(_, table)| table.iter().any(|k| k.matches(&canonical)))
        .map(|(owner, _)| *owner);
    let mut message = format!("`{token}` in the {field} is not a variable {mdm} defines");
    if let Some(owner) = elsewhere {
        message.push_str(&format!(" (it is {owner}'s)"));
    }
    match suggestion {
        Some(known) => message.push_str(&format!("; did you mean `{}`?", known.token)),
        None => message.push_str(&format!(
            ", so {mdm} sends it as literal text or the profile fails to install"
        )),
    }
    let help = match (suggestion, variable.syntax) {
        (Some(known), _) => format!(
            "write `{}`: {mdm}'s variables are case-sensitive and spelt exactly",
            known.token
        ),
        (None, Syntax::DoubleBrace)
            if !tables
                .iter()
                .any(|t| t.iter().any(|k| k.token.starts_with("{{"))) =>
        {
            format!(
                "`{{{{...}}}}` variables are Intune's; {mdm} writes its own variables as `$NAME`"
            )
        }
        (None, _) => words.fix(Fix::VariableSyntax, cx.profile.platform),
    };
    let label = match suggestion {
        Some(known) => format!("did you mean `{}`?", known.token),
        None => "unknown variable".to_owned(),
    };
    Some(Verdict {
        message,
        help,
        label,
    })
}

/// The variable of `tables` a misspelt token most likely meant: the same letters ignoring case
/// and underscores, or two edits away.
fn closest(tables: &[&'static [Known]], canonical: &str) -> Option<&'static Known> {
    let normalize = |s: &str| {
        s.chars()
            .filter(|c| *c != '_')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = normalize(canonical);
    tables
        .iter()
        .flat_map(|t| t.iter())
        .filter(|k| !k.token.ends_with('_') && !k.token.ends_with('*'))
        .map(|k| {
            let distance = if normalize(k.token) == wanted {
                0
            } else {
                super::edit_distance(&wanted, &normalize(k.token))
            };
            (distance, k)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}
