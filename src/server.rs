//! `sceplint server`: a language server over standard input and output, on rust-analyzer's
//! `lsp-server` scaffold with `lsp-types` (the pair ruff's server uses: synchronous, no async
//! runtime, which suits a linter whose work is CPU-bound and per file).
//!
//! Open documents are checked on open and once typing pauses after a change, with the settings
//! `sceplint check` would use for their path (the closest `sceplint.toml`, reloaded when one is
//! saved; the client's `initializationOptions` can name a configuration file or ask for none).
//! On save the whole workspace is checked as `sceplint check <root>` would, open documents as
//! their buffers hold them, so findings across files (a duplicate identifier) show too. Each
//! finding's fix is a quick fix, and "fix all" applies what `sceplint check --fix` would, with
//! the same bytes. Hover on a finding shows its rule's page. Every string sent goes through the
//! same redaction as the command line's output: secrets never reach the editor's logs either.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod transport;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic as LspDiagnostic, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, Hover, HoverContents, HoverParams, HoverProviderCapability,
    MarkupContent, MarkupKind, NumberOrString, Position, PublishDiagnosticsParams, Range,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::config::{self, CommandLine, Config, Resolver};
use crate::diagnostic::Diagnostic;
use crate::engine::{self, Settings};
use crate::model::Applicability;
use crate::rules::{self, Severity};

/// What the client may say at initialization (`initializationOptions`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Options {
    /// A configuration file to use for every document, as `--config`.
    config: Option<PathBuf>,
    /// Ignore configuration files, as `--isolated`.
    isolated: bool,
}

impl Options {
    /// Where configuration comes from, read now (a named file is loaded again each time).
    fn source(&self) -> config::Source {
        if self.isolated {
            config::Source::Isolated
        } else if let Some(path) = &self.config {
            match Config::load(path) {
                Ok(config) => config::Source::Explicit(Arc::new(config)),
                Err(_) => config::Source::Discover,
            }
        } else {
            config::Source::Discover
        }
    }
}

/// How long typing must pause before a changed document is checked again.
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

struct Server {
    connection: Connection,
    documents: HashMap<String, (Uri, String)>,
    /// Documents changed since their last check: checked once typing pauses.
    changed: std::collections::BTreeSet<String>,
    last_change: std::time::Instant,
    options: Options,
    resolver: Resolver,
    /// The workspace folder checked on save, when the client names one.
    root: Option<PathBuf>,
    /// Files outside the open documents the last workspace check published findings for.
    published: std::collections::BTreeSet<String>,
    /// The secrets of the workspace's files at its last check, hidden in what is said of any
    /// document (one file's URL may hold another's challenge).
    workspace_secrets: Vec<String>,
}

/// Runs the server until the client shuts it down (`Ok(true)`) or leaves without doing so.
pub fn run() -> Result<bool, String> {
    let (connection, reader, writer) = transport::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection
        .initialize(capabilities)
        // The error would quote the client's message, which may hold a document.
        .map_err(|_| "the client did not initialize the language server".to_owned())?;
    let options: Options = params
        .get("initializationOptions")
        .cloned()
        .and_then(|o| serde_json::from_value(o).ok())
        .unwrap_or_default();
    let watches =
        params["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
            .as_bool()
            .unwrap_or(false);
    let mut server = Server {
        resolver: Resolver::new(options.source()),
        options,
        connection,
        documents: HashMap::new(),
        changed: Default::default(),
        last_change: std::time::Instant::now(),
        root: workspace_root(&params),
        published: Default::default(),
        workspace_secrets: Vec::new(),
    };
    if watches {
        server.watch_configuration();
    }
    // The workspace's findings, and its secrets, before the first document opens.
    server.check_workspace();
    let result = server.main_loop();
    // The writer thread ends when the connection's sender is gone; the reader, at the end of
    // input or after `exit`.
    drop(server);
    let _ = writer.join();
    drop(reader);
    result
}

impl Server {
    /// Serves until the client shuts the server down (`Ok(true)`), or exits or goes away without
    /// doing so (`Ok(false)`: LSP asks for exit status 1 then).
    fn main_loop(&mut self) -> Result<bool, String> {
        loop {
            let received = if self.changed.is_empty() {
                self.connection.receiver.recv().ok()
            } else {
                // Measured from the last change: requests in between do not postpone the check.
                let waited = self.last_change.elapsed();
                match self
                    .connection
                    .receiver
                    .recv_timeout(DEBOUNCE.saturating_sub(waited))
                {
                    Ok(message) => Some(message),
                    Err(pause) if pause.is_timeout() => {
                        for key in std::mem::take(&mut self.changed) {
                            self.publish(&key);
                        }
                        continue;
                    }
                    Err(_) => None,
                }
            };
            let Some(message) = received else { break };
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        // The error can quote a client's message.
                        .map_err(|_| "the client did not exit after shutdown".to_owned())?
                    {
                        return Ok(true);
                    }
                    let response = self.request(request);
                    let _ = self.connection.sender.send(Message::Response(response));
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return Ok(false);
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
        Ok(false)
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            "textDocument/codeAction" => serde_json::from_value::<CodeActionParams>(request.params)
                .map(|p| serde_json::to_value(self.code_actions(&p)).unwrap_or_default()),
            "textDocument/hover" => serde_json::from_value::<HoverParams>(request.params)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("sceplint does not answer {}", request.method),
                );
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) =
                    serde_json::from_value::<DidOpenTextDocumentParams>(notification.params)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    self.documents
                        .insert(key.clone(), (p.text_document.uri, p.text_document.text));
                    self.publish(&key);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) =
                    serde_json::from_value::<DidChangeTextDocumentParams>(notification.params)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    if let (Some(change), Some(document)) = (
                        p.content_changes.into_iter().last(),
                        self.documents.get_mut(&key),
                    ) {
                        document.1 = change.text;
                        self.changed.insert(key);
                        self.last_change = std::time::Instant::now();
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) =
                    serde_json::from_value::<DidSaveTextDocumentParams>(notification.params)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    self.changed.remove(&key);
                    if self.is_configuration(&key) {
                        self.reload_configuration();
                    } else if self.root.is_some() {
                        self.check_workspace();
                    } else {
                        self.publish(&key);
                    }
                }
            }
            // A configuration file changed on disk (`git checkout`, another editor): the client
            // watches them for the server (see `watch_configuration`).
            "workspace/didChangeWatchedFiles" => self.reload_configuration(),
            "textDocument/didClose" => {
                if let Ok(p) =
                    serde_json::from_value::<DidCloseTextDocumentParams>(notification.params)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    self.changed.remove(&key);
                    if let Some((uri, _)) = self.documents.remove(&key) {
                        self.send_diagnostics(uri, Vec::new());
                    }
                }
            }
            _ => {}
        }
    }

    fn is_configuration(&self, uri: &str) -> bool {
        config::FILE_NAMES
            .iter()
            .any(|name| uri.ends_with(&format!("/{name}")))
            || self
                .options
                .config
                .as_deref()
                .is_some_and(|path| file_path(uri) == path)
    }

    /// Reads configuration again and checks every open document (and the workspace) again.
    fn reload_configuration(&mut self) {
        self.resolver = Resolver::new(self.options.source());
        let keys: Vec<String> = self.documents.keys().cloned().collect();
        for key in keys {
            self.publish(&key);
        }
        if self.root.is_some() {
            self.check_workspace();
        }
    }

    /// Asks the client to tell the server when a configuration file changes on disk.
    fn watch_configuration(&mut self) {
        let mut watchers: Vec<serde_json::Value> = config::FILE_NAMES
            .iter()
            .map(|name| serde_json::json!({ "globPattern": format!("**/{name}") }))
            .collect();
        if let Some(path) = self.options.config.as_deref().and_then(Path::to_str) {
            watchers.push(serde_json::json!({ "globPattern": path }));
        }
        let params = serde_json::json!({
            "registrations": [{
                "id": "sceplint-configuration",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": watchers },
            }]
        });
        let _ = self.connection.sender.send(Message::Request(Request::new(
            lsp_server::RequestId::from("sceplint-watch".to_owned()),
            "client/registerCapability".to_owned(),
            params,
        )));
    }

    /// The settings `sceplint check` would use for `path`.
    fn settings(&mut self, path: &Path) -> Settings {
        let base = Settings::default();
        let config = self.resolver.config_for(path).ok().flatten();
        config::resolve(
            &base,
            config.as_deref(),
            &config::absolute(path),
            &CommandLine::default(),
        )
        .0
    }

    /// Checks a document as `sceplint check` checks its file, with every string redacted.
    fn check(&mut self, key: &str) -> Option<Checked> {
        let (uri, text) = self.documents.get(key)?.clone();
        let path = file_path(uri.as_str());
        let settings = self.settings(&path);
        let mut checked = Checked {
            uri,
            text,
            diagnostics: Vec::new(),
            settings,
            output: crate::run::seal(&mut [], &[]),
            short_secrets: Vec::new(),
            config_error: false,
        };
        // Only the files a walk would read: a README or a `sceplint.toml` is not a profile.
        if !crate::walk::has_profile_extension(&path) {
            return Some(checked);
        }
        let request = crate::run::CheckRequest {
            documents: vec![crate::run::Document {
                path: crate::walk::display(&path),
                bytes: Ok(checked.text.clone().into_bytes()),
                explicit: false,
            }],
            known_secrets: self.workspace_secrets.clone(),
            ..crate::run::CheckRequest::default()
        };
        match crate::run::check(request, &mut self.resolver) {
            Ok(run) => {
                if let Some(file) = run.files.into_iter().next() {
                    checked.diagnostics = file.diagnostics;
                    checked.short_secrets = file.short_secrets;
                }
                checked.output = run.output;
            }
            Err(_) => checked.config_error = true,
        }
        Some(checked)
    }

    /// Checks the workspace as `sceplint check <root>` would, open documents as their buffers
    /// hold them, and publishes every file's findings (clearing those of files that have none
    /// any more).
    fn check_workspace(&mut self) {
        let Some(root) = self.root.clone() else {
            return;
        };
        // A client opened at `/` or the home folder would have every save walk all of it.
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if root.parent().is_none() || home.as_deref() == Some(root.as_path()) {
            return;
        }
        let mut open: HashMap<String, (Uri, String)> = HashMap::new();
        for (uri, text) in self.documents.values() {
            let path = file_path(uri.as_str());
            if crate::walk::has_profile_extension(&path) {
                open.insert(crate::walk::display(&path), (uri.clone(), text.clone()));
            }
        }
        let request = crate::run::CheckRequest {
            roots: vec![root],
            documents: open
                .iter()
                .map(|(path, (_, text))| crate::run::Document {
                    path: path.clone(),
                    bytes: Ok(text.clone().into_bytes()),
                    explicit: false,
                })
                .collect(),
            ..crate::run::CheckRequest::default()
        };
        let Ok(checked) = crate::run::check(request, &mut self.resolver) else {
            return;
        };
        self.workspace_secrets = checked.secrets;
        let mut published = std::collections::BTreeSet::new();
        let mut reported = std::collections::BTreeSet::new();
        for file in checked.files {
            let (uri, text) = match open.get(file.path.as_str()) {
                Some(document) => document.clone(),
                None if file.diagnostics.is_empty() => continue,
                None => {
                    let path = absolute(Path::new(file.path.as_str()));
                    let Some(uri) = file_uri(&path) else { continue };
                    let text = engine::read_limited(&path, Settings::default().max_file_size)
                        .ok()
                        .map(|bytes| match crate::container::encoding::decode(&bytes) {
                            Ok((text, _)) => text.into_owned(),
                            // As the checker read it: invalid bytes replaced, one character each.
                            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
                        })
                        .unwrap_or_default();
                    published.insert(uri.as_str().to_owned());
                    (uri, text)
                }
            };
            reported.insert(uri.as_str().to_owned());
            let lsp = file.diagnostics.iter().map(|d| to_lsp(d, &text)).collect();
            self.send_diagnostics(uri, lsp);
        }
        // Open documents the run left out (nothing of SCEP in them) have nothing to show.
        for (uri, _) in open.values() {
            if !reported.contains(uri.as_str()) {
                self.send_diagnostics(uri.clone(), Vec::new());
            }
        }
        let open_uris: std::collections::BTreeSet<&str> =
            open.values().map(|(uri, _)| uri.as_str()).collect();
        for stale in self.published.difference(&published) {
            if open_uris.contains(stale.as_str()) {
                continue;
            }
            if let Ok(uri) = stale.parse::<Uri>() {
                self.send_diagnostics(uri, Vec::new());
            }
        }
        self.published = published;
    }

    fn publish(&mut self, key: &str) {
        let Some(Checked {
            uri,
            text,
            diagnostics,
            config_error,
            ..
        }) = self.check(key)
        else {
            return;
        };
        if config_error {
            // The error itself could quote the configuration: say where to look instead.
            let diagnostic = LspDiagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("sceplint".to_owned()),
                message: "sceplint cannot read the configuration for this file; `sceplint config <file>` shows why".to_owned(),
                ..LspDiagnostic::default()
            };
            self.send_diagnostics(uri, vec![diagnostic]);
            return;
        }
        let lsp = diagnostics.iter().map(|d| to_lsp(d, &text)).collect();
        self.send_diagnostics(uri, lsp);
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<LspDiagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".to_owned(),
                params,
            )));
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let key = params.text_document.uri.as_str().to_owned();
        let Some(Checked {
            uri,
            text,
            diagnostics,
            settings,
            output,
            short_secrets,
            ..
        }) = self.check(&key)
        else {
            return Vec::new();
        };
        // A fix that writes the challenge (misplaced-key moves it) is never sent: the editor
        // would receive the secret. `sceplint check --fix` makes it on disk.
        // Secrets of any length, whether or not the redactor searches for them.
        let carries_secret = |text: &str| {
            !output.redactor().file_spans(text).is_empty()
                || short_secrets.iter().any(|s| text.contains(s.as_str()))
        };
        let moves_secret = diagnostics
            .iter()
            .any(|d| d.fix.as_deref().is_some_and(|f| f.carries_secret));
        let mut actions = Vec::new();
        let wanted = |kind: &CodeActionKind| {
            params
                .context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
        };
        if wanted(&CodeActionKind::QUICKFIX) {
            for diagnostic in &diagnostics {
                let Some(fix) = diagnostic.fix.as_deref() else {
                    continue;
                };
                if fix.applicability == Applicability::DisplayOnly {
                    continue;
                }
                let range = to_lsp(diagnostic, &text).range;
                if range.end < params.range.start || params.range.end < range.start {
                    continue;
                }
                if fix.carries_secret || fix.edits.iter().any(|e| carries_secret(&e.content)) {
                    continue;
                }
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit {
                        range: Range {
                            start: position_of(&text, bom_len(&text) + e.start),
                            end: position_of(&text, bom_len(&text) + e.end),
                        },
                        new_text: e.content.clone(),
                    })
                    .collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{} ({})", fix.title, diagnostic.code),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(diagnostic, &text)]),
                    edit: Some(workspace_edit(&uri, edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..CodeAction::default()
                }));
            }
        }
        if wanted(&CodeActionKind::SOURCE_FIX_ALL) {
            let path = file_path(uri.as_str());
            let fixed = crate::fix::fix_file(
                &crate::walk::display(&path),
                text.as_bytes(),
                &settings,
                Applicability::Safe,
            );
            // The fixed text has no byte-order mark; the document keeps its own.
            let after = format!("{}{}", &text[..bom_len(&text)], fixed.after);
            let edits = changed_ranges(&text, &after);
            if fixed.bytes.is_some()
                && text.len() as u64 <= settings.max_file_size
                && !moves_secret
                && !edits.iter().any(|e| carries_secret(&e.new_text))
            {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all sceplint findings that can be fixed safely".to_owned(),
                    kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(workspace_edit(&uri, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }

    fn hover(&mut self, params: &HoverParams) -> Option<Hover> {
        let key = params
            .text_document_position_params
            .text_document
            .uri
            .as_str()
            .to_owned();
        let at = params.text_document_position_params.position;
        let Checked {
            text, diagnostics, ..
        } = self.check(&key)?;
        // The narrowest finding under the cursor: a profile-wide one may span the whole file.
        let diagnostic = diagnostics
            .iter()
            .filter(|d| {
                let range = to_lsp(d, &text).range;
                range.start <= at && at <= range.end
            })
            .min_by_key(|d| {
                let range = to_lsp(d, &text).range;
                (
                    range.end.line - range.start.line,
                    range.end.character.abs_diff(range.start.character),
                )
            })?;
        let meta = rules::find_meta(diagnostic.code)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: meta.docs.to_owned(),
            }),
            range: Some(to_lsp(diagnostic, &text).range),
        })
    }
}

/// A document checked as `sceplint check` would, with what its findings may not show.
struct Checked {
    uri: Uri,
    text: String,
    diagnostics: Vec<Diagnostic>,
    settings: Settings,
    output: crate::output::Output,
    /// The document's secrets too short for the redactor to search for.
    short_secrets: Vec<String>,
    /// Its configuration could not be read.
    config_error: bool,
}

/// The edits that turn `before` into `after`, each covering only characters that changed: the
/// document's other text (its challenge among it) is never sent back to the editor.
fn changed_ranges(before: &str, after: &str) -> Vec<TextEdit> {
    let old: Vec<(usize, char)> = before.char_indices().collect();
    let new: Vec<char> = after.chars().collect();
    let old_chars: Vec<char> = old.iter().map(|(_, c)| *c).collect();
    let byte_at = |i: usize| old.get(i).map_or(before.len(), |(b, _)| *b);
    similar::capture_diff_slices(similar::Algorithm::Myers, &old_chars, &new)
        .iter()
        .map(similar::DiffOp::as_tag_tuple)
        .filter(|(tag, _, _)| *tag != similar::DiffTag::Equal)
        .map(|(_, old_range, new_range)| TextEdit {
            range: Range {
                start: position_of(before, byte_at(old_range.start)),
                end: position_of(before, byte_at(old_range.end)),
            },
            new_text: new[new_range].iter().collect(),
        })
        .collect()
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// A finding as the editor shows it: the range in UTF-16 code units, the code linking to its
/// rule's page.
fn to_lsp(diagnostic: &Diagnostic, text: &str) -> LspDiagnostic {
    let start = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => char_position(text, line, column),
        _ => Position::new(0, 0),
    };
    let end = match (diagnostic.end_line, diagnostic.end_column) {
        (Some(line), Some(column)) => char_position(text, line, column),
        _ => start,
    };
    LspDiagnostic {
        range: Range { start, end },
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: rules::find_meta(diagnostic.code).and_then(|meta| {
            rules::docs_url(meta)
                .parse::<Uri>()
                .ok()
                .map(|href| lsp_types::CodeDescription { href })
        }),
        source: Some("sceplint".to_owned()),
        message: format!(
            "{} {}: {}\nhelp: {}",
            diagnostic.code,
            diagnostic.rule,
            diagnostic.message_with_place(),
            diagnostic.help
        ),
        ..LspDiagnostic::default()
    }
}

/// The byte offset of a finding's line and column (1-based, lines ended by `\n`, columns in
/// characters) in the text sceplint checked: the document without a byte-order mark.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let body = &text[bom_len(text)..];
    let line_start = if line <= 1 {
        0
    } else {
        body.match_indices('\n')
            .nth(line - 2)
            .map_or(body.len(), |(at, _)| at + 1)
    };
    let in_line = body[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(body.len() - line_start, |(at, _)| at);
    bom_len(text) + line_start + in_line
}

/// The length of the byte-order mark a document starts with, if any.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// A line and column of the checked text as an LSP position.
fn char_position(text: &str, line: usize, column: usize) -> Position {
    position_of(text, byte_offset(text, line, column))
}

/// A byte offset of `text` as an LSP position: lines end at `\r\n`, `\n` or a lone `\r`, as
/// LSP counts them, and columns count UTF-16 code units.
fn position_of(text: &str, offset: usize) -> Position {
    let offset = crate::source::clamp_to_char_boundary(text, offset);
    let before = &text.as_bytes()[..offset];
    let mut line = 0;
    let mut line_start = 0;
    for (at, byte) in before.iter().enumerate() {
        let ends_line = *byte == b'\n' || (*byte == b'\r' && before.get(at + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = at + 1;
        }
    }
    let units: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(units).unwrap_or(u32::MAX),
    )
}

/// The workspace folder the client opened: its first workspace folder, or its root URI.
fn workspace_root(params: &serde_json::Value) -> Option<PathBuf> {
    let uri = params["workspaceFolders"][0]["uri"]
        .as_str()
        .or_else(|| params["rootUri"].as_str())?;
    let path = file_path(uri);
    path.is_dir().then_some(path)
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
}

/// A `file://` URI for an absolute path, with what URIs do not allow percent-encoded.
fn file_uri(path: &Path) -> Option<Uri> {
    let mut uri = String::from("file://");
    for byte in path.to_str()?.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.parse().ok()
}

/// The path of a `file://` URI (percent escapes decoded); anything else as written, so its
/// configuration is looked for nowhere in particular.
fn file_path(uri: &str) -> PathBuf {
    let Some(rest) = uri.strip_prefix("file://") else {
        return PathBuf::from(uri);
    };
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(value) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            bytes.push(value);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_code_units() {
        let text = "a\n😀b<x>\n";
        // `<` is the 3rd character of line 2; the emoji is two UTF-16 units.
        assert_eq!(char_position(text, 2, 3), Position::new(1, 3));
        assert_eq!(
            position_of(text, text.find('<').unwrap()),
            Position::new(1, 3)
        );
    }

    #[test]
    fn lines_end_as_lsp_ends_them_and_a_byte_order_mark_is_a_character() {
        // A lone `\r` ends a line for LSP; sceplint's own lines end at `\n` only.
        let text = "a\rb\n<x>";
        assert_eq!(
            position_of(text, text.find('<').unwrap()),
            Position::new(2, 0)
        );
        assert_eq!(position_of("a\r\nb", 3), Position::new(1, 0));
        let bom = "\u{feff}<k>\n<x>";
        assert_eq!(char_position(bom, 1, 1), Position::new(0, 1));
        assert_eq!(char_position(bom, 2, 2), Position::new(1, 1));
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            file_path("file:///tmp/a%20b.mobileconfig"),
            PathBuf::from("/tmp/a b.mobileconfig")
        );
    }
}
