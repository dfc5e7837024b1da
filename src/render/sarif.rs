//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. Every rule is described in
//! `tool.driver.rules` (id, name, short and full description, help, `helpUri`, default level);
//! every result has a `ruleId`, a level, a message, a location with `region.startLine` of at
//! least 1 (binary and signed inputs, which have no lines, point at line 1 and name the key path
//! as a logical location) and stable `partialFingerprints`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Report;
use crate::rules::{self, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI for a path as reports show it (absolute paths become `file://` URIs).
pub fn uri(path: &str) -> String {
    let encoded = crate::escape::uri_path(path);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn rule_descriptor(meta: &rules::RuleMeta) -> Value {
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": rules::description(meta) },
        "help": { "text": format!("{}. See {}", meta.summary.trim_end_matches('.'), rules::docs_url(meta)), "markdown": meta.docs },
        "helpUri": rules::docs_url(meta),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": ["scep", "security"] },
    })
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let metas: Vec<&rules::RuleMeta> = rules::all_meta().collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut region = json!({ "startLine": d.line.unwrap_or(1) });
            if let Some(column) = d.column {
                region["startColumn"] = json!(column);
            }
            if let (Some(end_line), Some(end_column)) = (d.end_line, d.end_column) {
                region["endLine"] = json!(end_line);
                region["endColumn"] = json!(end_column.max(if Some(end_line) == d.line {
                    d.column.unwrap_or(1)
                } else {
                    1
                }));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&d.path) },
                    "region": region,
                },
            });
            if let Some(key_path) = &d.key_path {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": key_path, "kind": "member" }]);
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": format!("{}\n\nhelp: {}", d.message, d.help) },
                "locations": [location],
                "partialFingerprints": { "sceplint/v1": super::finding_identity(d) },
            });
            if let Some(index) = metas.iter().position(|m| m.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            let mut properties = serde_json::Map::new();
            if let Some(profile) = &d.profile {
                properties.insert("profile".into(), json!(profile));
            }
            if let Some(payload) = &d.payload {
                properties.insert("payload".into(), json!(payload));
            }
            if !properties.is_empty() {
                result["properties"] = Value::Object(properties);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sceplint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/sceplint/sceplint",
                    "rules": metas.iter().map(|m| rule_descriptor(m)).collect::<Vec<_>>(),
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri("fixtures/key-size/a b#c.xml"),
            "fixtures/key-size/a%20b%23c.xml"
        );
        assert_eq!(uri("dir\\x.json"), "dir/x.json");
        assert_eq!(uri("/abs/x.json"), "file:///abs/x.json");
        assert_eq!(uri("café.plist"), "caf%C3%A9.plist");
    }
}
