//! The documentation stays true: every rule has a complete page, the README lists every rule,
//! and the README's example output is what sceplint prints today.

use std::path::Path;
use std::process::Command;

use sceplint::rules;

mod common;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn every_rule_page_has_its_sections() {
    for meta in rules::all_meta() {
        let page = read(&format!("docs/rules/{}.md", meta.name));
        assert_eq!(
            page, meta.docs,
            "{}: the compiled-in page is the file",
            meta.name
        );
        let sections: &[&str] = if meta.code == "SCEP000" {
            &[
                "## What it checks",
                "## Why",
                "## Examples",
                "## How to fix",
            ]
        } else {
            &[
                "## What it checks",
                "## Why",
                "## Examples",
                "## How to fix",
                "Sources:",
            ]
        };
        for section in sections {
            assert!(
                page.contains(section),
                "docs/rules/{}.md lacks `{section}`",
                meta.name
            );
        }
        let severity = format!("**Default severity:** {}", meta.severity.as_str());
        assert!(
            page.contains(&severity),
            "docs/rules/{}.md lacks `{severity}`",
            meta.name
        );
    }
}

#[test]
fn the_readme_lists_every_rule() {
    let readme = read("README.md");
    for meta in rules::all_meta() {
        let row = format!(
            "| {} | [{}](docs/rules/{}.md) |",
            meta.code, meta.name, meta.name
        );
        let line = readme
            .lines()
            .find(|line| line.starts_with(&row))
            .unwrap_or_else(|| panic!("README lacks `{row}`"));
        assert!(
            line.ends_with(&format!("| {} |", meta.severity.as_str())),
            "README gives {} the wrong default severity: {line}",
            meta.code
        );
    }
}

/// Every `$ sceplint ...` console block in the README and the docs is what sceplint prints
/// today (standard output, then standard error).
#[test]
fn console_examples_are_real_output() {
    let mut checked = 0;
    for file in ["README.md", "docs/configuration.md", "docs/ci.md"] {
        let text = read(file);
        for block in text.split("```console\n").skip(1) {
            let block = block.split("\n```").next().unwrap();
            let (command, expected) = block.split_once('\n').unwrap();
            let args: Vec<&str> = command
                .strip_prefix("$ sceplint ")
                .unwrap_or_else(|| panic!("{file}: a console block that does not run sceplint"))
                .split_whitespace()
                .collect();
            // A command that writes files (`--fix`) runs on a scratch copy of the files it
            // names, as scripts/refresh_docs.py does.
            let writes = args.iter().any(|a| *a == "--fix" || *a == "--fix-only");
            let cwd = if writes {
                let scratch = common::scratch(&format!("docs-console-{checked}"));
                for arg in &args {
                    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(arg);
                    if source.is_file() {
                        let target = scratch.join(arg);
                        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                        std::fs::copy(&source, &target).unwrap();
                    }
                }
                scratch
            } else {
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            };
            let output = Command::new(env!("CARGO_BIN_EXE_sceplint"))
                .current_dir(&cwd)
                .env_remove("NO_COLOR")
                .args(&args)
                .output()
                .unwrap();
            let (stdout, stderr) = (
                String::from_utf8(output.stdout).unwrap(),
                String::from_utf8(output.stderr).unwrap(),
            );
            // `--fix` says what it fixed on standard error before the report.
            let actual = if args.contains(&"--fix") {
                format!("{stderr}{stdout}")
            } else {
                format!("{stdout}{stderr}")
            };
            let trim = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            assert_eq!(
                trim(&actual),
                trim(expected),
                "{file}: `{command}` prints something else now"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} console examples");
}
