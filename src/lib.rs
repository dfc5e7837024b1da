//! sceplint: lint SCEP configuration profiles before they reach a device.
//!
//! Layers, from bytes to findings (docs/architecture.md):
//! - [`container`]: encodings, XML and binary plists, CMS, JSON, SyncML, HCL and YAML into a
//!   positioned [`tree`];
//! - [`mdm`]: each MDM's and format's shapes (Apple profiles, Jamf Pro, Kandji/Iru, Intune,
//!   Fleet, the Windows ClientCertificateInstall CSP, Terraform) into the [`model`];
//! - [`rules`]: checks that read only the model;
//! - [`engine`]: one file's check and the checks across files; [`render`] and [`output`] write
//!   the results; [`secrets`] keeps every challenge out of everything written.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod container;
pub mod diagnostic;
pub mod engine;
pub mod escape;
pub mod fix;
pub mod frame;
pub mod init;
pub mod mdm;
pub mod model;
pub mod output;
pub mod render;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod server;
pub mod severity;
pub mod similarity;
pub mod source;
pub mod suppress;
pub mod tree;
pub mod variables;
pub mod walk;

/// An I/O error in a few words, without the OS's error number.
pub(crate) fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_owned(),
    }
}
