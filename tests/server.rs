//! `sceplint server` over the Language Server Protocol, as an editor drives it: the same findings
//! as `sceplint check` for the same file and configuration, code actions whose edits give the
//! same bytes as `--fix`, hover with the rule's page, and nothing secret in any message.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// Every message the server sent, for the checks on secrets.
    seen: String,
}

impl Client {
    fn start() -> Client {
        Client::start_in(None)
    }

    /// A server for a client that opened `root` as its workspace.
    fn start_in(root: Option<&std::path::Path>) -> Client {
        Client::start_with(
            json!({"processId": null, "rootUri": root.map(uri), "capabilities": {}, "initializationOptions": {"isolated": true}}),
        )
    }

    /// A server initialized with these parameters.
    fn start_with(initialize: Value) -> Client {
        let mut child = common::sceplint()
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut client = Client {
            child,
            stdin,
            stdout,
            next_id: 1,
            seen: String::new(),
        };
        let init = client.request("initialize", initialize);
        assert!(
            init["result"]["capabilities"]["codeActionProvider"].is_object(),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        let text = String::from_utf8(body).unwrap();
        self.seen.push_str(&text);
        serde_json::from_str(&text).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

const SECRET: &str = "kX9#qZ2vT7-pR4Wz8mY1-Lb3Q7nH";

#[test]
fn the_server_finds_what_check_finds_and_fixes_as_fix_does() {
    let dir = common::scratch("server");
    let path = dir.join("jamf.xml");
    std::fs::copy("fixtures/key-size/jamf-fail.xml", &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::start();
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    // The same findings as the command line, for the same file and configuration.
    let check = common::sceplint()
        .args(["check", "--isolated", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut expected: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert_eq!(codes, expected);
    let key_size = diagnostics.iter().find(|d| d["code"] == "SCEP003").unwrap();
    assert_eq!(key_size["range"]["start"]["line"], 16);

    // Hover shows the rule's page.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": key_size["range"]["start"]}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("# key-size (SCEP003)")
    );

    // The quick fix and "fix all" give the bytes `--fix` writes.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": key_size["range"], "context": {"diagnostics": [key_size]}}),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    let fixed_by_action = apply(&text, quick["edit"]["changes"][&uri].as_array().unwrap());
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll")
        .expect("fix all");
    let fixed_by_all = apply(&text, all["edit"]["changes"][&uri].as_array().unwrap());
    // Code actions carry only what changes: never the challenge that sits in the document.
    let sent = serde_json::to_string(&actions).unwrap();
    for piece in SECRET.as_bytes().windows(6) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(!sent.contains(piece), "a code action carries `{piece}`");
    }
    client.stop();
    let fix = common::sceplint()
        .args(["check", "--isolated", "--fix-only"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(0));
    let fixed_by_cli = std::fs::read_to_string(&path).unwrap();
    assert_eq!(fixed_by_action, fixed_by_cli);
    assert_eq!(fixed_by_all, fixed_by_cli);
}

#[test]
fn nothing_the_server_sends_holds_a_secret() {
    let dir = common::scratch("server-secret");
    let path = dir.join("broken.mobileconfig");
    // A file that does not parse, with the secret where no tree keeps it.
    std::fs::write(
        &path,
        format!("<plist><dict><key>PayloadType</key><string>com.apple.security.scep</string><key>Challenge</key><string>{SECRET}\n"),
    )
    .unwrap();
    let mut client = Client::start();
    let uri = uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(!diagnostics.is_empty());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text.replace("<plist>", "<plist version=\"1.0\">")}]}),
    );
    let _ = client.diagnostics(&uri);
    let seen = client.seen.clone();
    client.stop();
    for piece in SECRET.as_bytes().windows(6) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(!seen.contains(piece), "the server sent `{piece}`");
    }
}

#[test]
fn a_fix_that_would_send_the_challenge_is_not_offered() {
    moving_the_challenge_is_left_to_the_command_line(SECRET);
    // Too short for the redactor to search for elsewhere: withheld all the same.
    moving_the_challenge_is_left_to_the_command_line("Zq9w");
}

fn moving_the_challenge_is_left_to_the_command_line(secret: &str) {
    let dir = common::scratch(&format!("server-move-{}", secret.len()));
    let path = dir.join("misplaced.mobileconfig");
    let text =
        std::fs::read_to_string("fixtures/misplaced-key/generic-fail-payload-level.mobileconfig")
            .unwrap()
            .replace(SECRET, secret);
    std::fs::write(&path, &text).unwrap();
    assert!(text.contains(secret));
    let mut client = Client::start();
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let misplaced = diagnostics
        .iter()
        .find(|d| d["code"] == "SCEP025")
        .expect("the misplaced challenge is found")
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": misplaced["range"], "context": {"diagnostics": [misplaced]}}),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    // `--fix` moves the challenge on disk; the editor would have to receive it to do the same,
    // so neither the quick fix nor "fix all" is offered.
    assert!(
        actions.iter().all(|a| !a["title"]
            .as_str()
            .unwrap_or_default()
            .contains("Move Challenge")
            && a["kind"] != "source.fixAll"),
        "{actions:?}"
    );
    let sent = serde_json::to_string(&actions).unwrap();
    assert!(
        !sent.contains(secret),
        "a code action carries the challenge"
    );
    let seen = client.seen.clone();
    client.stop();
    for piece in secret.as_bytes().windows(6.min(secret.len())) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(!seen.contains(piece), "the server sent `{piece}`");
    }
    let fixed = common::sceplint()
        .args(["check", "--isolated", "--fix-only"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(fixed.status.code(), Some(0));
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after.matches(secret).count(),
        1,
        "the challenge is moved, not copied"
    );
    assert_ne!(after, text);
}

#[test]
fn a_burst_of_changes_is_checked_once_typing_pauses() {
    let dir = common::scratch("server-burst");
    let path = dir.join("jamf.xml");
    std::fs::copy("fixtures/key-size/jamf-fail.xml", &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::start();
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let opened = client.diagnostics(&uri);
    assert!(opened.iter().any(|d| d["code"] == "SCEP003"));
    // Typing 1024 → 2048 one keystroke at a time: only the last text is checked.
    let fixed = text.replace("&lt;integer&gt;1024&lt;", "&lt;integer&gt;2048&lt;");
    assert_ne!(fixed, text);
    for (version, body) in [(2, &text), (3, &text), (4, &text), (5, &fixed)] {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": body}]}),
        );
    }
    let after = client.diagnostics(&uri);
    assert!(
        after.iter().all(|d| d["code"] != "SCEP003"),
        "the first check after the burst saw an old text: {after:?}"
    );
    client.stop();
}

#[test]
fn saving_checks_the_workspace_and_finds_what_spans_files() {
    let dir = common::scratch("server-workspace");
    let a = dir.join("a.mobileconfig");
    let b = dir.join("b.mobileconfig");
    std::fs::copy(
        "fixtures/duplicate-identifier/generic-fail-copy-a.mobileconfig",
        &a,
    )
    .unwrap();
    std::fs::copy(
        "fixtures/duplicate-identifier/generic-fail-copy-b.mobileconfig",
        &b,
    )
    .unwrap();
    let text = std::fs::read_to_string(&a).unwrap();
    let mut client = Client::start_in(Some(&dir));
    let (a_uri, b_uri) = (uri(&a), uri(&b));
    let published = |client: &mut Client| {
        let mut seen = std::collections::BTreeMap::new();
        while seen.len() < 2 {
            let message = client.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                let codes: Vec<String> = message["params"]["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["code"].as_str().unwrap().to_owned())
                    .collect();
                seen.insert(message["params"]["uri"].as_str().unwrap().to_owned(), codes);
            }
        }
        for file in [&a_uri, &b_uri] {
            let codes = seen
                .get(file)
                .unwrap_or_else(|| panic!("nothing published for {file}: {seen:?}"));
            assert!(codes.iter().any(|c| c == "SCEP022"), "{file}: {codes:?}");
        }
    };
    // The workspace is checked when the server starts, before any document opens.
    published(&mut client);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": a_uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let _ = client.diagnostics(&a_uri);
    // And again on save, with the open document as its buffer holds it.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": a_uri}}),
    );
    published(&mut client);
    client.stop();
}

#[test]
fn a_configuration_changed_on_disk_is_read_again() {
    let dir = common::scratch("server-watch");
    let config = dir.join("sceplint.toml");
    std::fs::write(&config, "ignore = [\"key-size\"]\n").unwrap();
    let path = dir.join("jamf.xml");
    std::fs::copy("fixtures/key-size/jamf-fail.xml", &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::start_with(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
    }));
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let before = client.diagnostics(&uri);
    assert!(before.iter().all(|d| d["code"] != "SCEP003"), "{before:?}");
    // The server asked the client to watch configuration files for it.
    assert!(
        client.seen.contains("client/registerCapability")
            && client.seen.contains("**/sceplint.toml"),
        "{}",
        client.seen
    );
    std::fs::write(&config, "ignore = []\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": crate::uri(&config), "type": 2}]}),
    );
    let after = client.diagnostics(&uri);
    assert!(after.iter().any(|d| d["code"] == "SCEP003"), "{after:?}");
    client.stop();
}

#[test]
fn malformed_messages_are_skipped_and_never_repeated() {
    let mut client = Client::start();
    // Not JSON, a lone surrogate (what JSON.stringify writes for half a pair), no length.
    for body in [
        format!("{{not json {SECRET}"),
        format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///x.mobileconfig","languageId":"xml","version":1,"text":"\ud800{SECRET}"}}}}}}"#
        ),
    ] {
        write!(client.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    write!(client.stdin, "X-Nothing: 1\r\n\r\n").unwrap();
    client.stdin.flush().unwrap();
    // Still serving.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.mobileconfig"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover["result"].is_null(), "{hover}");
    assert!(!client.seen.contains(SECRET));
    client.stop();
}

/// What the adversarial review of the server found, kept fixed: an open file keeps its
/// findings across saves; a profile a `.tf` deploys is checked once, in the `.tf`'s context,
/// with its open buffer; another file's challenge is hidden in what is said of this one; files
/// that are not profiles get nothing; an unreadable configuration says so.
#[test]
fn the_workspace_check_keeps_open_files_right() {
    let dir = common::scratch("server-review");
    let root = dir.join("repo");
    let copy = |from: &str, to: &std::path::Path| {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    copy(
        "fixtures/profiles-as-code/terraform-jamf/main.tf",
        &root.join("main.tf"),
    );
    for entry in std::fs::read_dir("fixtures/profiles-as-code/terraform-jamf/profiles").unwrap() {
        let path = entry.unwrap().path();
        copy(
            path.to_str().unwrap(),
            &root.join("profiles").join(path.file_name().unwrap()),
        );
    }
    let deployed = std::fs::read_dir(root.join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "mobileconfig"))
        .expect("a deployed profile");
    // Another file's URL holds this one's challenge.
    let other_secret = "Hv7$Lm2pQ9-zT4kR8wN1";
    std::fs::write(
        root.join("other.mobileconfig"),
        std::fs::read_to_string("fixtures/key-size/generic-fail-string.mobileconfig")
            .unwrap()
            .replace(SECRET, other_secret),
    )
    .unwrap();
    let readme = root.join("README.md");
    std::fs::write(&readme, "# Our SCEP profiles\n").unwrap();
    let mut client = Client::start_in(Some(&root));
    let (deployed_uri, readme_uri) = (uri(&deployed), uri(&readme));
    // The buffer's URL quotes the other file's challenge (and is unsaved).
    let text = std::fs::read_to_string(&deployed).unwrap().replacen(
        "https://",
        &format!("{other_secret}."),
        1,
    );
    assert!(text.contains(other_secret));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": deployed_uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    // The startup check published the file as it is on disk; then comes the buffer's check.
    let judged = (0..2).any(|_| {
        client
            .diagnostics(&deployed_uri)
            .iter()
            .any(|d| d["code"] == "SCEP014")
    });
    assert!(judged, "the buffer's URL is judged");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": readme_uri, "languageId": "markdown", "version": 1, "text": "# Our SCEP profiles\n"}}),
    );
    assert!(client.diagnostics(&readme_uri).is_empty());
    let mut saves = Vec::new();
    for _ in 0..2 {
        client.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": deployed_uri}}),
        );
        let diagnostics = client.diagnostics(&deployed_uri);
        let codes: Vec<&str> = diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(!codes.contains(&"SCEP022"), "checked twice: {codes:?}");
        assert!(!codes.is_empty());
        // In the .tf's context: the MDM is Jamf Pro.
        assert!(
            diagnostics
                .iter()
                .any(|d| d["message"].as_str().unwrap().contains("Jamf Pro")),
            "{diagnostics:?}"
        );
        saves.push(codes.len());
    }
    assert_eq!(
        saves[0], saves[1],
        "the second save changed the open file's findings"
    );
    let seen = client.seen.clone();
    client.stop();
    assert!(
        !seen.contains(other_secret),
        "another file's challenge was sent"
    );
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let mut client = Client::start();
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}
