//! Reading the inputs: regular files only, within the size limit, without blocking, and each
//! file's check behind the panic guard.

use super::check::check_bytes;
use super::report::{FileReport, FileStatus};
use super::settings::Settings;
use crate::container;

/// What checking one input gave.
#[derive(Debug)]
pub enum Outcome {
    Report(FileReport),
    /// Found by a walk and holding no SCEP profile: left out without a word. What it holds
    /// under secret keys is still hidden in what the run writes about other files.
    Skipped {
        secrets: Vec<String>,
    },
}

/// Runs one file's check behind a guard: a panic (a bug in sceplint) becomes an internal-error
/// finding for that file, and the other files are still checked.
pub fn guarded(path: &str, settings: &Settings, check: impl FnOnce() -> Outcome) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Report(FileReport::internal_error(path, settings)),
    }
}

/// Reads and checks one input, behind the panic guard.
pub fn check_input_guarded(input: &crate::walk::Input, settings: &Settings) -> Outcome {
    guarded(&input.display, settings, || check_input(input, settings))
}

/// Reads and checks one input.
pub fn check_input(input: &crate::walk::Input, settings: &Settings) -> Outcome {
    let bytes = match read_limited(&input.path, settings.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => {
            return Outcome::Report(FileReport::unreadable(&input.display, message, settings));
        }
    };
    check_read(input, &bytes, settings)
}

/// Checks the bytes of `input`, read from its file or given as text (an editor's buffer), as
/// a walk or the command line would: a file found by a walk that holds no SCEP profile is
/// skipped quietly.
pub fn check_read(input: &crate::walk::Input, bytes: &[u8], settings: &Settings) -> Outcome {
    if bytes.len() as u64 > settings.max_file_size {
        return Outcome::Report(FileReport::unreadable(
            &input.display,
            format!(
                "the text is larger than the size limit ({} bytes, --max-file-size)",
                settings.max_file_size
            ),
            settings,
        ));
    }
    if !may_hold_scep(&input.path, bytes) {
        // Named on the command line (pre-commit passes every staged `.json`): noted, never
        // parsed, so an unrelated file in a format sceplint reads strictly cannot fail the run.
        return if input.explicit {
            let mut report = FileReport::empty(&input.display, FileStatus::NoScep, settings);
            report.secrets = skipped_secrets(bytes);
            Outcome::Report(report)
        } else {
            Outcome::Skipped {
                secrets: skipped_secrets(bytes),
            }
        };
    }
    let report = check_bytes(&input.display, bytes, settings);
    if !input.explicit && report.status == FileStatus::NoScep {
        return Outcome::Skipped {
            secrets: report.secrets,
        };
    }
    Outcome::Report(report)
}

/// The secrets of a file skipped unparsed, found in its text as written and decoded.
fn skipped_secrets(bytes: &[u8]) -> Vec<String> {
    let text = match container::encoding::decode(bytes) {
        Ok((text, _)) => text,
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let mut found = crate::secrets::Found::default();
    crate::secrets::candidates::scan_text(&text, 0, &mut found);
    found.searchable().into_iter().map(str::to_owned).collect()
}

/// Reads a regular file, refusing files over `limit` bytes without reading them whole. Anything
/// else (a FIFO, a socket, a device) is refused without blocking, also when it replaced a file
/// after the walk saw it: the file is opened without waiting for a writer, then checked.
pub fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    read_regular(path, limit, Links::Follow)
}

/// Whether a read may go through a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Profiles named on the command line: the user's own choice.
    Follow,
    /// Configuration and baselines: a link committed to a repository could point anywhere
    /// (`/proc/self/environ`, a credentials file) and print it in an error.
    Refuse,
}

/// [`read_limited`], with symbolic links followed or refused.
pub fn read_regular(path: &std::path::Path, limit: u64, links: Links) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let describe = |e: std::io::Error| format!("cannot read the file: {}", crate::io_message(&e));
    if links == Links::Refuse
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(
            "it is a symbolic link, which sceplint does not follow for this file (it could point outside the repository)"
                .to_owned(),
        );
    }
    let file = open_without_blocking(path, links).map_err(describe)?;
    let metadata = file.metadata().map_err(describe)?;
    if metadata.is_dir() {
        return Err("this is a directory that could not be walked".to_owned());
    }
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file ({}): sceplint reads only regular files",
            file_kind(&metadata)
        ));
    }
    let too_large = |size: u64| {
        format!(
            "the file is {} and the limit is {} (raise it with --max-file-size if this really is a profile)",
            human_size(size),
            human_size(limit)
        )
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(describe)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &std::path::Path, links: Links) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let no_follow = if links == Links::Refuse {
        libc::O_NOFOLLOW
    } else {
        0
    };
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | no_follow)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &std::path::Path, _links: Links) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "not a file"
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{bytes} bytes")
    }
}

/// A cheap look before parsing a file a walk found under a generic name (`.json`, `.xml`,
/// `.plist`): does it mention SCEP or encrypted payloads at all? `.mobileconfig` files are
/// profiles by name and always parsed, so a broken one is reported.
pub fn may_hold_scep(path: &std::path::Path, bytes: &[u8]) -> bool {
    let is_mobileconfig = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mobileconfig"));
    if is_mobileconfig || container::cms::looks_like_cms(bytes) {
        return true;
    }
    match crate::container::Syntax::of_path(&path.to_string_lossy()) {
        crate::container::Syntax::Hcl => return crate::mdm::terraform::may_matter(bytes),
        crate::container::Syntax::Yaml => return crate::mdm::may_matter_yaml(bytes),
        crate::container::Syntax::Sniffed => {}
    }
    let mentions = |haystack: &[u8]| {
        [&b"scep"[..], b"SCEP", b"Scep", b"EncryptedPayloadContent"]
            .iter()
            .any(|needle| memchr::memmem::find(haystack, needle).is_some())
    };
    if mentions(bytes) {
        return true;
    }
    let looks_utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || bytes
            .get(..4)
            .is_some_and(|b| b[1] == 0 && b[3] == 0 || b[0] == 0 && b[2] == 0);
    looks_utf16
        && container::encoding::decode(bytes)
            .map(|(text, _)| mentions(text.as_bytes()))
            .unwrap_or(true)
}
