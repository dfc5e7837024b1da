//! The documentation stays true: every rule has a complete page, the README lists every rule,
//! and the README's example output is what sceplint prints today.

use std::path::Path;
use std::process::Command;

use sceplint::rules;

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
        assert!(readme.contains(&row), "README lacks `{row}`");
    }
}

#[test]
fn the_readme_example_is_real_output() {
    let readme = read("README.md");
    let block = readme
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a console block in the README");
    let (command, expected) = block.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .strip_prefix("$ sceplint ")
        .unwrap()
        .split_whitespace()
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_sceplint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&args)
        .output()
        .unwrap();
    let actual = String::from_utf8(output.stdout).unwrap();
    let trim = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(
        trim(&actual),
        trim(expected),
        "update the README's example output"
    );
}
