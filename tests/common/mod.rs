//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod shapes;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sceplint::engine::{self, FileReport, Settings};
use sceplint::render::{self, Format, Report, Style};

pub const STYLE: Style = Style {
    color: false,
    width: 100,
};

/// Lints one file the way `sceplint check FILE` does.
pub fn check(path: &Path, settings: &Settings) -> FileReport {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    engine::check_bytes(&display(path), &bytes, settings)
}

/// A path relative to the crate root, as reports show it.
pub fn display(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The files of a fixture directory, sorted.
pub fn fixtures(name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir(name))
        .unwrap_or_else(|e| panic!("fixtures/{name}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Checks `bytes` as the command line does (behind the panic guard, secrets of the run hidden)
/// and renders the report in every format, each through the output guard; also the baseline.
pub fn outputs(name: &str, bytes: &[u8], settings: &Settings) -> Vec<(String, String)> {
    use clap::ValueEnum;
    let settings = Settings {
        frames: true,
        ..settings.clone()
    };
    let mut files = match engine::guarded(name, &settings, || {
        engine::Outcome::Report(engine::check_bytes(name, bytes, &settings))
    }) {
        engine::Outcome::Report(report) => vec![report],
        engine::Outcome::Skipped { .. } => Vec::new(),
    };
    let out = sceplint::run::seal(&mut files, &[]);
    let baseline =
        sceplint::baseline::Baseline::from_diagnostics(files.iter().flat_map(|f| &f.diagnostics));
    let mut rendered = vec![(
        "baseline".to_owned(),
        serde_json::to_string_pretty(&baseline).unwrap(),
    )];
    let report = Report::new(files, 0);
    for format in Format::value_variants() {
        let mut bytes = Vec::new();
        {
            let mut guarded = out.guard(&mut bytes, format.policy(false));
            render::write(*format, &report, STYLE, &mut guarded).unwrap();
            guarded.flush().unwrap();
        }
        rendered.push((
            format!("{format:?}"),
            String::from_utf8(bytes).expect("reports are UTF-8"),
        ));
    }
    rendered
}

pub fn render(format: Format, files: Vec<FileReport>) -> String {
    let report = Report::new(files, 0);
    let mut out = Vec::new();
    render::write(format, &report, STYLE, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The sceplint binary, run from the crate root as users run it (without `NO_COLOR`, which
/// tests of colour set themselves).
pub fn sceplint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sceplint"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

pub fn run(args: &[&str]) -> Output {
    sceplint().args(args).output().unwrap()
}

/// Runs `command` with `input` on its standard input.
pub fn run_with_stdin(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output as JSON; a panic shows both streams when it is not.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
