//! SCEP003 key-size: the key the device generates is the size Okta requires.

use super::{
    Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, unknown_until_deploy,
};
use serde::{Deserialize, Serialize};

use crate::model::{Fix, Provenance, Rewrite, ScepPayload, Setting};

pub struct KeySize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct KeySizeOptions {
    /// Key sizes that pass (Okta's guides set 2048).
    pub allowed: Vec<i128>,
}

impl Default for KeySizeOptions {
    fn default() -> Self {
        KeySizeOptions {
            allowed: vec![2048],
        }
    }
}

pub static META: RuleMeta = RuleMeta {
    code: "SCEP003",
    name: "key-size",
    severity: Severity::Error,
    summary: "The effective key size is 2048 bits",
    docs: include_str!("../../docs/rules/key-size.md"),
};

impl Rule for KeySize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let field = &payload.key_size;
        let allowed = &cx.options.key_size.allowed;
        // Only a finding needs the words: a passing payload allocates nothing.
        let wanted = || {
            allowed
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        if field.is_deferred() {
            let wanted = wanted();
            let words = cx.words();
            out.extend(unknown_until_deploy(
                words.key(Setting::KeySize),
                field,
                &format!("Okta requires {wanted}-bit keys"),
                words.fix(Fix::KeySize { bits: &wanted }, cx.profile.platform),
            ));
            return;
        }
        if field.value.is_some_and(|size| allowed.contains(&size)) {
            return;
        }
        let wanted = wanted();
        let words = cx.words();
        let key = words.key(Setting::KeySize);
        let shown = match field.value {
            Some(size) => format!("{size} bits"),
            None => "unknown".to_owned(),
        };
        let what = match (&field.provenance, field.value) {
            (Provenance::Missing, _) => format!("`{key}` is not set"),
            (Provenance::Misspelt { found }, None) => format!(
                "`{found}` is not a key the device reads (it reads `{key}`), so `{key}` is not set"
            ),
            (Provenance::Invalid { found }, None) => format!("`{key}` holds {found}"),
            (provenance, _) => effective(key, provenance, &shown),
        };
        let help = words.fix(Fix::KeySize { bits: &wanted }, cx.profile.platform);
        let mut finding = Finding::new(
            format!("{what}; Okta requires {wanted}-bit keys"),
            help,
            Label::new(
                &field.origin,
                label_text(&field.provenance, key, &shown, &shown),
            ),
        );
        let target = allowed
            .iter()
            .copied()
            .find(|b| *b == 2048)
            .or(allowed.first().copied());
        if let Some(bits) = target {
            finding = finding.with_setting_fix(
                field,
                key,
                payload,
                Rewrite::KeySize(bits),
                format!("Set {key} to {bits}"),
            );
        }
        out.push(finding);
    }
}
