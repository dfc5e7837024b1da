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
    /// Found by a walk and holding no SCEP profile: left out without a word.
    Skipped,
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
    if !may_hold_scep(&input.path, &bytes) {
        // Named on the command line (pre-commit passes every staged `.json`): noted, never
        // parsed, so an unrelated file in a format sceplint reads strictly cannot fail the run.
        return if input.explicit {
            Outcome::Report(FileReport::empty(
                &input.display,
                FileStatus::NoScep,
                settings,
            ))
        } else {
            Outcome::Skipped
        };
    }
    let report = check_bytes(&input.display, &bytes, settings);
    if !input.explicit && report.status == FileStatus::NoScep {
        return Outcome::Skipped;
    }
    Outcome::Report(report)
}

/// Reads a regular file, refusing files over `limit` bytes without reading them whole. Anything
/// else (a FIFO, a socket, a device) is refused without blocking, also when it replaced a file
/// after the walk saw it: the file is opened without waiting for a writer, then checked.
pub fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let describe = |e: std::io::Error| format!("cannot read the file: {}", crate::io_message(&e));
    let file = open_without_blocking(path).map_err(describe)?;
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
fn open_without_blocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
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
