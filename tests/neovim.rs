//! End to end with a real editor client: headless Neovim opens a profile, receives sceplint's
//! diagnostics from `sceplint server`, applies a code action and writes the file, which must
//! then equal what `sceplint check --fix` writes. Skipped with a notice where Neovim is not
//! installed, unless `SCEPLINT_REQUIRE_NEOVIM=1` (as `.ci/run` sets, after installing it).
#![allow(clippy::disallowed_macros)]

mod common;

use std::process::Command;

fn neovim() -> Option<&'static str> {
    let found = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("nvim");
    }
    assert!(
        std::env::var_os("SCEPLINT_REQUIRE_NEOVIM").is_none_or(|v| v != "1"),
        "SCEPLINT_REQUIRE_NEOVIM=1 but nvim is not installed"
    );
    eprintln!("note: Neovim (nvim) is not installed; skipping the editor test");
    None
}

#[test]
fn neovim_shows_the_findings_and_applies_a_fix() {
    let Some(nvim) = neovim() else { return };
    let dir = common::scratch("neovim");
    let edited = dir.join("jamf.xml");
    // Outside the editor's workspace, which would otherwise hold two copies of one profile.
    let by_cli = common::scratch("neovim-cli").join("by-cli.xml");
    std::fs::copy("fixtures/key-size/jamf-fail.xml", &edited).unwrap();
    std::fs::copy("fixtures/key-size/jamf-fail.xml", &by_cli).unwrap();
    let out = dir.join("out.txt");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/neovim.lua");
    let status = Command::new(nvim)
        .args(["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("SCEPLINT_FILE", &edited)
        .env("SCEPLINT_BIN", env!("CARGO_BIN_EXE_sceplint"))
        .env("SCEPLINT_OUT", &out)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .unwrap();
    let log = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        status.status.success(),
        "nvim failed: {log}\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        log.contains("CODE SCEP003") && log.contains("APPLIED Set Keysize to 2048"),
        "{log}"
    );
    // The README shows what Neovim shows; it must be what Neovim shows today.
    let shown: String = log
        .lines()
        .filter_map(|l| {
            l.strip_prefix("SHOWN ").map(str::to_owned).or_else(|| {
                l.strip_prefix("APPLIED ")
                    .map(|title| format!("quick fix applied: {title}"))
            })
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("<!-- neovim transcript: tests/neovim.rs -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's Neovim transcript");
    assert_eq!(
        block, shown,
        "README.md's Neovim transcript differs from what Neovim shows now"
    );
    let fixed = common::sceplint()
        .args(["check", "--isolated", "--fix-only"])
        .arg(&by_cli)
        .output()
        .unwrap();
    assert_eq!(fixed.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&edited).unwrap(),
        std::fs::read(&by_cli).unwrap(),
        "Neovim's code action and --fix disagree"
    );
}
