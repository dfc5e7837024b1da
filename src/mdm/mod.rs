//! Vendor parsers: from a parsed document to the common [`Profile`](crate::model::Profile) model.
//!
//! Each export shape has its module; `read` recognises which one a document is from its
//! content. Files that hold no SCEP profile are `Ok` with no profiles, never an error.

pub mod apple;
pub mod fleet;
pub mod intune;
pub mod jamf;
pub mod kandji;
pub mod rewrite;
pub mod subject;
pub mod terraform;
pub mod windows;

use crate::container::escape::{self, OffsetMap};
use crate::container::{Comment, Document, Limits, ParseError, xml};
use crate::model::{Origin, Profile, Vendor, Words};
use crate::tree::Node;

/// Why a document yields no profiles to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Parse(ParseError),
    /// Encrypted payloads: the profile cannot be inspected. The secrets found in what could be
    /// read (a nested export's plist) come with it, to be hidden in what is shown.
    Encrypted(Origin, crate::secrets::Found),
}

impl From<ParseError> for Problem {
    fn from(error: ParseError) -> Self {
        Problem::Parse(error)
    }
}

/// The profiles a document holds, and comments found in text nested inside it (the escaped
/// plist of a Jamf export can carry suppressions too).
#[derive(Debug, Default)]
pub struct Read {
    pub profiles: Vec<Profile>,
    pub nested_comments: Vec<Comment>,
    /// The entry ranges of nested plists, when they carry `sceplint:` comments.
    pub nested_entries: Vec<crate::source::Span>,
    /// Secrets in nested plists (the document's own tree is searched by the engine).
    pub secrets: crate::secrets::Found,
    /// Profiles the file deploys by path, linted on their own in its context.
    pub references: Vec<crate::model::Reference>,
    /// Profiles the file deploys that cannot be read from it (a computed payload), with why.
    pub unreadable: Vec<(Origin, String)>,
}

/// What the reader is told from outside the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints {
    /// The vendor, when configuration says which MDM a file comes from.
    pub vendor: Option<Vendor>,
}

pub fn read(
    document: &Document,
    text: Option<&str>,
    limits: &Limits,
    hints: Hints,
) -> Result<Read, Problem> {
    match document {
        Document::Enveloped => Err(Problem::Encrypted(Origin::default(), Default::default())),
        Document::Plist {
            root, xml_version, ..
        } => {
            let vendor = hints
                .vendor
                .unwrap_or_else(|| detect_plist_vendor(root, xml_version.as_deref()));
            let context = apple::Context::standalone(vendor);
            let mut profiles: Vec<Profile> = apple::read_profile(root, &context)
                .map_err(|apple::NotReadable::Encrypted(origin)| {
                    Problem::Encrypted(origin, Default::default())
                })?
                .into_iter()
                .collect();
            if vendor == Vendor::Fleet {
                for profile in &mut profiles {
                    let subjects: Vec<_> = profile.payloads.iter().map(|p| &p.subject).collect();
                    profile.redistribution = fleet::redistribution(&subjects, &profile.origin);
                    profile.rejections = fleet::apple_rejections(root, profile);
                }
            }
            Ok(Read {
                profiles,
                ..Read::default()
            })
        }
        Document::SyncMl(file) => Ok(read_syncml(file, hints)),
        Document::Hcl { root, .. } => terraform::read(root, text, limits, hints),
        Document::Yaml { root, .. } => {
            if let Some(read) = fleet::read_gitops(root) {
                Ok(read)
            } else if let Some(read) = intune::read(root, hints) {
                Ok(read)
            } else {
                Ok(Read::default())
            }
        }
        Document::Xml { root, .. } => {
            if jamf::is_jamf(root) {
                jamf::read(root, text, Escaping::Xml, limits)
            } else {
                Ok(Read::default())
            }
        }
        Document::Json { root } => {
            if jamf::is_jamf(root) {
                jamf::read(root, text, Escaping::Json, limits)
            } else if let Some(read) = intune::read(root, hints) {
                Ok(read)
            } else if kandji::is_kandji_json(root) {
                kandji::read(root, text, limits)
            } else {
                Ok(Read::default())
            }
        }
    }
}

/// A Windows profile written as SyncML: Fleet's when it uses Fleet's variables (or
/// configuration says so), else from an MDM the file does not name.
fn read_syncml(file: &crate::container::syncml::SyncMl, hints: Hints) -> Read {
    let written = windows::written_in_syncml(file);
    let vendor = hints.vendor.unwrap_or_else(|| {
        let fleet = written.iter().any(|w| {
            fleet::is_fleet_text(&w.uri)
                || w.data
                    .as_ref()
                    .is_some_and(|(d, _)| fleet::is_fleet_text(d))
        });
        if fleet {
            Vendor::Fleet
        } else {
            Vendor::Generic
        }
    });
    let at =
        |span: &crate::source::Span| Origin::new(Some(span.clone()), crate::tree::KeyPath::root());
    let origin = file
        .top_level
        .first()
        .map(|(_, span)| at(span))
        .unwrap_or_default();
    let frame = windows::Frame {
        vendor,
        words: windows::csp_words(vendor),
        origin,
        display_name: None,
        identifier: None,
        file: crate::model::CspFile {
            has_commands: true,
            top_level: file
                .top_level
                .iter()
                .map(|(name, span)| (name.clone(), at(span)))
                .collect(),
            declaration: file.declaration.as_ref().map(at),
            ..Default::default()
        },
    };
    let profiles = windows::read(&written, frame)
        .map(|mut profile| {
            if profile.vendor == Vendor::Fleet {
                profile.rejections = fleet::windows_rejections(&profile);
            }
            profile
        })
        .into_iter()
        .collect();
    Read {
        profiles,
        ..Read::default()
    }
}

/// Where a file first mentions SCEP the way only a profile would: Apple's payload type, a
/// Windows ClientCertificateInstall SCEP node, a Graph SCEP profile type, Intune's
/// `scepServerUrls` as a key. Used to report files no reader understood instead of passing them.
pub fn scep_mention(text: &str) -> Option<crate::source::Span> {
    use std::sync::LazyLock;
    static MENTION: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r#"com\.apple\.security\.scep|ClientCertificateInstall/SCEP|(?i:scepcertificateprofile)|"scepServerUrls"\s*:"#,
        )
        .expect("a valid pattern")
    });
    MENTION.find(text).map(|m| m.range())
}

/// Whether a YAML file may deploy or hold a profile: a Fleet GitOps file's profile lists, or
/// an Intune backup's Graph object (a cheap look before parsing a file a walk found).
pub fn may_matter_yaml(bytes: &[u8]) -> bool {
    ["custom_settings", "configuration_profiles", "@odata.type"]
        .iter()
        .any(|needle| memchr::memmem::find(bytes, needle.as_bytes()).is_some())
}

/// Documents known not to be profiles although they name SCEP: an Apple MDM `ProfileList`
/// response lists installed profiles' payload types without their settings.
pub fn is_known_non_profile(document: &Document) -> bool {
    match document {
        Document::Plist { root, .. } | Document::Json { root } => {
            root.get("ProfileList").is_some() || root.get("CommandUUID").is_some()
        }
        _ => false,
    }
}

/// The words of an MDM that delivers Apple profiles: where each is registered.
pub fn apple_words(vendor: Vendor) -> Words {
    Words(match vendor {
        Vendor::Jamf => &jamf::JAMF,
        Vendor::Kandji => &kandji::KANDJI,
        Vendor::Fleet => &fleet::FLEET,
        Vendor::Intune | Vendor::WorkspaceOne | Vendor::Generic => &apple::GENERIC,
    })
}

/// The Subject field of an MDM that has one with a documented limit, and what it appends when
/// it redistributes the profile: Jamf Pro `$PROFILE_IDENTIFIER` (taken as a UUID, unconfirmed),
/// Kandji/Iru a space and the profile UUID (smallstep's documentation).
pub fn subject_field(vendor: Vendor) -> Option<crate::model::SubjectField> {
    let appended = match vendor {
        Vendor::Jamf => "$PROFILE_IDENTIFIER",
        Vendor::Kandji => "$PROFILE_UUID",
        _ => return None,
    };
    Some(crate::model::SubjectField {
        limit: 64,
        appended,
    })
}

/// Kandji/Iru identifiers, then Fleet's variables, then Jamf Pro's `<plist version="1">`,
/// else generic.
fn detect_plist_vendor(root: &Node, xml_version: Option<&str>) -> Vendor {
    if apple::identifiers(root).any(kandji::is_kandji_identifier) {
        Vendor::Kandji
    } else if fleet::mentions_fleet(root) {
        Vendor::Fleet
    } else if xml_version == Some("1") {
        Vendor::Jamf
    } else {
        Vendor::Generic
    }
}

/// How text nested in a string was escaped in the outer file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    Xml,
    Json,
    /// An HCL quoted string.
    Hcl,
    /// An HCL heredoc; `<<-` removes the common indentation.
    Heredoc {
        dedent: bool,
    },
}

/// Parses the plist held in a string value of the outer document, with spans (and comments)
/// mapped back into the outer file's text.
pub fn nested_plist(
    node: &Node,
    text: Option<&str>,
    escaping: Escaping,
    limits: &Limits,
) -> Result<(Node, Vec<Comment>), ParseError> {
    let outer = text
        .zip(node.inner.clone())
        .and_then(|(text, inner)| text.get(inner.clone()).map(|raw| (raw, inner.start)));
    let Some((raw, start)) = outer else {
        // No positions (signed or binary input): parse the decoded string as it is.
        let value = node.as_str().unwrap_or_default();
        let mut document =
            xml::parse_plist(value, limits).map_err(|e| ParseError::new(e.message, None))?;
        document.root.clear_spans();
        return Ok((document.root, Vec::new()));
    };
    let (decoded, map) = match escaping {
        Escaping::Xml => escape::unescape_xml(raw, start)?,
        Escaping::Json => escape::unescape_json(raw, start)?,
        Escaping::Hcl => escape::unescape_hcl(raw, start)?,
        Escaping::Heredoc { dedent } => escape::unescape_heredoc(raw, start, dedent),
    };
    let remap = |span: &crate::source::Span| OffsetMap::span(&map, span);
    let document = xml::parse_plist(&decoded, limits).map_err(|e| ParseError {
        message: format!("in the embedded profile: {}", e.message),
        span: e.span.as_ref().map(remap),
    })?;
    let mut root = document.root;
    root.map_spans(&remap);
    let comments = document
        .comments
        .into_iter()
        .map(|c| Comment {
            span: c.span.as_ref().map(remap),
            text: c.text,
        })
        .collect();
    Ok((root, comments))
}

impl Read {
    /// Keeps what the engine needs from a nested plist: its secrets, its comments and, when one
    /// of them is for sceplint, its entry ranges.
    pub fn keep_nested(&mut self, root: &Node, comments: Vec<Comment>, text: Option<&str>) {
        crate::secrets::candidates::collect_tree(root, text, &mut self.secrets);
        for comment in &comments {
            crate::secrets::candidates::scan_comment(comment, &mut self.secrets);
        }
        if crate::suppress::mentions_sceplint(&comments) {
            self.nested_entries.extend(root.entry_ranges());
            self.nested_entries.sort_by_key(|r| (r.start, r.end));
        }
        self.nested_comments.extend(comments);
    }
}
