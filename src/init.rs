//! `sceplint init`: reads the tree the way `check` would, groups the profiles it finds by folder
//! and MDM, and writes a commented `sceplint.toml` with an `[[overrides]]` entry for each group
//! and the facts only its MDM knows (redistribution) to fill in.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::container;
use crate::engine::{self, Settings};
use crate::mdm::{self, Hints};
use crate::model::{Redistribution, Vendor};
use crate::walk::{self, WalkOptions};

/// Where the schema lives, for the `#:schema` line editors read (Taplo, Even Better TOML).
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/sceplint/sceplint/main/sceplint.schema.json";

/// What was found in one folder for one MDM.
#[derive(Default)]
struct Group {
    /// File names, for files at the top of the tree (a folder's files are matched as a whole).
    names: Vec<String>,
    profiles: usize,
    /// Profiles whose export cannot show redistribution.
    undeclared: usize,
}

/// The configuration `init` writes for the tree at `root`.
pub fn write_for(root: &Path) -> String {
    let groups = survey(root);
    let mut text = String::new();
    let _ = writeln!(text, "#:schema {SCHEMA_URL}");
    text.push_str(
        "# sceplint configuration, written by `sceplint init`. Every setting is explained in\n\
         # https://github.com/sceplint/sceplint/blob/main/docs/configuration.md\n\n\
         # The lowest severity that makes `sceplint check` fail: error, warning or info.\n\
         fail-on = \"error\"\n",
    );
    if groups.is_empty() {
        text.push_str(
            "\n# No SCEP profile was found under this folder. Add an [[overrides]] entry per folder of\n\
             # exports when you add them, for example:\n\
             #\n\
             # [[overrides]]\n\
             # files = [\"jamf/**\"]\n\
             # vendor = \"jamf\"\n\
             # redistribution-days = 120\n",
        );
        return text;
    }
    for ((folder, vendor), group) in &groups {
        let files: Vec<String> = if folder.as_os_str().is_empty() {
            group.names.clone()
        } else {
            vec![format!(
                "{}/**",
                folder.to_string_lossy().replace('\\', "/")
            )]
        };
        let plural = if group.profiles == 1 { "" } else { "s" };
        let _ = writeln!(
            text,
            "\n# {} profile{plural} from {} in {}",
            group.profiles,
            vendor.label(),
            if folder.as_os_str().is_empty() {
                "this folder".to_owned()
            } else {
                files.join(", ")
            }
        );
        text.push_str("[[overrides]]\n");
        let quoted: Vec<String> = files.iter().map(|f| toml_string(f)).collect();
        let _ = writeln!(text, "files = [{}]", quoted.join(", "));
        if *vendor != Vendor::Generic {
            let _ = writeln!(text, "vendor = \"{}\"", vendor.id());
        }
        if group.undeclared > 0 {
            text.push_str(&redistribution_note(*vendor));
        }
    }
    text
}

fn redistribution_note(vendor: Vendor) -> String {
    let how = match vendor {
        Vendor::Jamf => {
            "Jamf Pro's macOS exports cannot show \"Redistribute Profile\": set the days before\n\
             # expiry your profile is redistributed (Okta's example is 120), or 0 if it is not."
        }
        Vendor::Kandji => {
            "Kandji/Iru exports cannot show automatic redistribution: set the days before expiry\n\
             # it re-sends the profile (its guide uses 30), or 0 if it is off."
        }
        _ => {
            "these files cannot show whether the MDM re-sends the profile before the certificate\n\
             # expires: set the days before expiry it does (Okta's CA does not renew), or 0 if it\n\
             # does not."
        }
    };
    format!("# Fill in: {how}\n# redistribution-days = 30\n")
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every SCEP profile under `root`, by folder (relative to `root`) and MDM.
fn survey(root: &Path) -> BTreeMap<(PathBuf, Vendor), Group> {
    let (inputs, _) = walk::discover(&[root.to_path_buf()], WalkOptions::default());
    let settings = Settings::default();
    let mut groups: BTreeMap<(PathBuf, Vendor), Group> = BTreeMap::new();
    for input in inputs {
        let Ok(bytes) = engine::read_limited(&input.path, settings.max_file_size) else {
            continue;
        };
        if !engine::may_hold_scep(&input.path, &bytes) {
            continue;
        }
        let syntax = container::Syntax::of_path(&input.path.to_string_lossy());
        let loaded = container::load_as(&bytes, &settings.limits, syntax);
        let Ok(document) = &loaded.document else {
            continue;
        };
        let Ok(read) = mdm::read(
            document,
            loaded.text.as_deref(),
            &settings.limits,
            Hints::default(),
        ) else {
            continue;
        };
        let folder = input
            .path
            .parent()
            .and_then(|p| p.strip_prefix(root).ok())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let name = input
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for profile in read.profiles {
            let group = groups.entry((folder.clone(), profile.vendor)).or_default();
            group.profiles += 1;
            if !group.names.contains(&name) {
                group.names.push(name.clone());
            }
            if profile.redistribution.value == Redistribution::NotInExport {
                group.undeclared += 1;
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_for_toml() {
        assert_eq!(toml_string("jamf/**"), "\"jamf/**\"");
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
