//! Finding the files to lint: paths named on the command line are always read; directories are
//! walked in parallel (the `ignore` crate, as ripgrep and ruff do), honouring `.gitignore`,
//! `.ignore` and hidden files, and keeping only names that can hold a profile.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

/// Extensions a directory walk reads (case-insensitive).
pub const EXTENSIONS: &[&str] = &["mobileconfig", "plist", "xml", "json", "tf", "yml", "yaml"];

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// How reports name it: as given, or under the directory as given.
    pub display: String,
    pub path: PathBuf,
    /// Named on the command line (read whatever its name; reported even if it holds no SCEP
    /// profile), rather than found by a walk.
    pub explicit: bool,
    /// The file itself, however it was named (`a`, `./a`, `dir/../a`, a symlink to it named
    /// on the command line): each file is read once.
    pub identity: PathBuf,
}

/// Where `path` really is: resolved when it exists, else as given.
pub fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub display: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Also read files that `.gitignore`/`.ignore` exclude, and hidden files.
    pub no_ignore: bool,
}

pub fn has_profile_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// How a path is shown: relative to the working directory when it lies under it (as given
/// otherwise), without a leading `./`.
pub fn display(path: &Path) -> String {
    let relative = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path.strip_prefix(&cwd).unwrap_or(path),
        _ => path,
    };
    let text = relative.to_string_lossy();
    let mut shown: &str = &text;
    while let Some(rest) = shown.strip_prefix("./") {
        shown = rest;
    }
    if shown.is_empty() {
        ".".to_owned()
    } else {
        shown.to_owned()
    }
}

/// The files under `roots`, sorted by how they are shown.
pub fn discover(roots: &[PathBuf], options: WalkOptions) -> (Vec<Input>, Vec<WalkError>) {
    let inputs = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    for root in roots {
        let named = || Input {
            display: display(root),
            path: root.clone(),
            explicit: true,
            identity: identity(root),
        };
        // Not there or not readable: reading it reports why.
        if std::fs::metadata(root).map_or(true, |meta| !meta.is_dir()) {
            push(&inputs, named());
            continue;
        }
        let real_root = identity(root);
        let mut builder = WalkBuilder::new(root);
        builder
            .standard_filters(!options.no_ignore)
            .require_git(false)
            .follow_links(false);
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    // Symbolic links are not followed, as ripgrep does not: a link is another
                    // name for a file the walk may meet anyway, or a way out of the tree.
                    Ok(entry) => {
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if is_file && has_profile_extension(entry.path()) {
                            let under = entry.path().strip_prefix(root).unwrap_or(entry.path());
                            push(
                                &inputs,
                                Input {
                                    display: display(entry.path()),
                                    identity: real_root.join(under),
                                    path: entry.into_path(),
                                    explicit: false,
                                },
                            );
                        }
                    }
                    Err(error) => push(&errors, walk_error(&error)),
                }
                WalkState::Continue
            })
        });
    }
    let mut inputs = inputs.into_inner().unwrap_or_else(|e| e.into_inner());
    inputs.sort();
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(input.identity.clone()));
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort_by(|a, b| a.display.cmp(&b.display));
    (inputs, errors)
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    list.lock().unwrap_or_else(|e| e.into_inner()).push(item);
}

fn walk_error(error: &ignore::Error) -> WalkError {
    let path = error_path(error)
        .map(display)
        .unwrap_or_else(|| ".".to_owned());
    let message = match error.io_error() {
        Some(io) => format!(
            "cannot read this path while walking: {}",
            crate::io_message(io)
        ),
        None if is_loop(error) => {
            "symbolic link loop: this path leads back to a directory above it".to_owned()
        }
        None => "cannot walk this path".to_owned(),
    };
    WalkError {
        display: path,
        message,
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_strips_leading_dot_slash() {
        assert_eq!(display(Path::new("./a/b.json")), "a/b.json");
        assert_eq!(display(Path::new(".")), ".");
        assert_eq!(display(Path::new("/abs/x")), "/abs/x");
    }

    #[test]
    fn only_profile_extensions_are_walked() {
        assert!(has_profile_extension(Path::new("a/B.MobileConfig")));
        assert!(has_profile_extension(Path::new("x.json")));
        assert!(has_profile_extension(Path::new("x.yaml")));
        assert!(has_profile_extension(Path::new("main.tf")));
        assert!(!has_profile_extension(Path::new("x.md")));
        assert!(!has_profile_extension(Path::new("mobileconfig")));
    }
}
