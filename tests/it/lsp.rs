//! The language server: over an in-memory connection, and once end to end in Neovim.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::thread::JoinHandle;
use std::time::Duration;

use locdrift::lsp::{self, uri_of, Observe};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    CodeActionOrCommand, Diagnostic, NumberOrString, Position, PublishDiagnosticsParams, Range, TextEdit, Uri,
};
use serde_json::{json, Value};

use crate::{read, root, write_file as write};

/// How long to wait for one message: generous, for a loaded 2-core CI machine.
const WAIT: Duration = Duration::from_secs(30);

const SV: &str = "fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md";
const NL: &str = "fixtures/azure-ml/nl-nl/includes/aml-compute-target-deploy.md";
const EN: &str = "fixtures/azure-ml/en-us/includes/aml-compute-target-deploy.md";

/// An editor talking to a server thread over `Connection::memory()`.
pub(crate) struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<bool, String>>>,
    next_id: i32,
    /// `window/logMessage` and `window/showMessage` texts, in arrival order.
    logs: Vec<String>,
    /// Requests the server sent us (capability registration).
    requests: Vec<Request>,
}

impl Client {
    pub(crate) fn start(capabilities: Value) -> (Client, Value) {
        Client::start_with(|_| {}, capabilities)
    }

    fn start_with(observe: Observe, capabilities: Value) -> (Client, Value) {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || lsp::serve_with(&server, observe).map_err(|e| e.to_string()));
        let mut client = Client { conn, server: Some(handle), next_id: 0, logs: Vec::new(), requests: Vec::new() };
        let init = client.request(Initialize::METHOD, json!({ "capabilities": capabilities }));
        client.notify(Initialized::METHOD, json!({}));
        (client, init)
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn.sender.send(Notification::new(method.into(), params).into()).unwrap();
    }

    /// Sends a request and returns its result; the server answers in order, so no
    /// diagnostics may arrive in between (they would be a bug: a request does not lint).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn.sender.send(Request::new(id.clone(), method.into(), params).into()).unwrap();
        match self.next() {
            Message::Response(r) => {
                assert_eq!(r.id, id);
                assert!(r.error.is_none(), "{method} failed: {:?}", r.error);
                r.result.unwrap_or(Value::Null)
            }
            other => panic!("expected the answer to {method}, got {other:?}"),
        }
    }

    /// The next message that is not a log line or a request from the server.
    fn next(&mut self) -> Message {
        loop {
            let msg = self.conn.receiver.recv_timeout(WAIT).expect("the server answers in time");
            match msg {
                Message::Notification(n) if n.method.starts_with("window/") => {
                    self.logs.push(n.params["message"].as_str().unwrap_or_default().to_string());
                }
                Message::Request(r) => self.requests.push(r),
                other => return other,
            }
        }
    }

    /// The next `publishDiagnostics`.
    pub(crate) fn diagnostics(&mut self) -> PublishDiagnosticsParams {
        match self.next() {
            Message::Notification(n) if n.method == PublishDiagnostics::METHOD => {
                serde_json::from_value(n.params).unwrap()
            }
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    pub(crate) fn open(&self, path: &Path, text: &str) -> Uri {
        let uri = uri_of(path).unwrap();
        let item = json!({ "uri": uri, "languageId": "markdown", "version": 1, "text": text });
        self.notify(DidOpenTextDocument::METHOD, json!({ "textDocument": item }));
        uri
    }

    fn change(&self, uri: &Uri, version: i32, text: &str) {
        let params = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "text": text }],
        });
        self.notify(DidChangeTextDocument::METHOD, params);
    }

    fn code_actions(&mut self, uri: &Uri, range: Range) -> Vec<CodeActionOrCommand> {
        let params = json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } });
        serde_json::from_value(self.request(CodeActionRequest::METHOD, params)).unwrap()
    }

    fn hover(&mut self, uri: &Uri, position: Position) -> Value {
        let params = json!({ "textDocument": { "uri": uri }, "position": position });
        self.request(HoverRequest::METHOD, params)
    }

    /// `shutdown` then `exit`; the server must end cleanly.
    pub(crate) fn finish(mut self) -> Vec<String> {
        self.request(Shutdown::METHOD, Value::Null);
        self.notify(Exit::METHOD, Value::Null);
        let clean = self.server.take().unwrap().join().expect("the server thread does not panic");
        assert_eq!(clean, Ok(true), "shutdown + exit is a clean end");
        std::mem::take(&mut self.logs)
    }
}

pub(crate) fn utf8_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } })
}

fn fixture(rel: &str) -> (PathBuf, String) {
    let path = root().join(rel);
    let text = read(&path);
    (path, text)
}

/// The text a range covers, counting columns in UTF-16 or UTF-8 as the server said.
fn slice(text: &str, range: Range, utf8: bool) -> &str {
    let offset = |p: Position| {
        let start: usize = text.split_inclusive('\n').take(p.line as usize).map(str::len).sum();
        let line = &text[start..];
        if utf8 {
            return start + p.character as usize;
        }
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    };
    &text[offset(range.start)..offset(range.end)]
}

pub(crate) fn code(d: &Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(s)) => s,
        other => panic!("a rule name as code, not {other:?}"),
    }
}

/// Pretty JSON with the checkout's location replaced by `ROOT`, as the server spells it
/// (resolved) and as the test's client does (as given).
fn redact(value: &impl serde::Serialize) -> String {
    let mut json = serde_json::to_string_pretty(value).unwrap();
    for dir in [root().canonicalize().unwrap(), root()] {
        json = json.replace(uri_of(&dir).unwrap().as_str(), "file:///ROOT");
    }
    json
}

/// Copies a fixture tree into a temporary directory the test may edit.
fn scratch(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![root().join(rel)];
    let base = root().join(rel);
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let target = dir.path().join(path.strip_prefix(&base).unwrap());
            if path.is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                stack.push(path);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    dir
}

#[test]
fn a_translation_gets_diagnostics_pointing_at_its_source() {
    let (mut client, init) = Client::start(json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16", "UTF-16 unless the client offers UTF-8");
    assert_eq!(init["serverInfo"]["name"], "locdrift");
    let (path, text) = fixture(SV);
    let uri = client.open(&path, &text);
    let published = client.diagnostics();
    assert_eq!(published.uri, uri);
    assert_eq!(published.version, Some(1));
    let d = published.diagnostics.iter().find(|d| code(d) == "stale-link").expect("the Swedish stale link");
    assert_eq!(slice(&text, d.range, false), "../articles/databox-online/data-box-edge-overview.md");
    assert_eq!(d.range.start, Position::new(27, 24));
    assert_eq!(d.source.as_deref(), Some("locdrift"));
    assert_eq!(d.severity, Some(lsp_types::DiagnosticSeverity::WARNING));
    let related = &d.related_information.as_ref().expect("the source's link")[0];
    let source_path = root().join(EN).canonicalize().unwrap();
    assert_eq!(related.location.uri, uri_of(&source_path).unwrap());
    assert_eq!(
        slice(&read(&source_path), related.location.range, false),
        "../articles/databox-online/azure-stack-edge-overview.md"
    );
    assert_eq!(related.message, "source: ../articles/databox-online/azure-stack-edge-overview.md");

    insta::assert_snapshot!("sv_se_diagnostics", redact(&published.diagnostics));
    assert!(client.finish().is_empty(), "nothing to log on a normal session");
}

#[test]
fn positions_follow_the_negotiated_encoding_next_to_japanese_and_swedish_text() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("en-us/guide.md"), "# Guide\n\nRead the [overview](new-target.md) first.\n");
    // Both targets exist: only the drift between them is reported, not a broken link.
    write(&dir.path().join("en-us/new-target.md"), "# New\n");
    write(&dir.path().join("en-us/old-target.md"), "# Old\n");
    let ja = "# ガイド\n\n最初に 😀 [概要](old-target.md) をお読みください。\n";
    let sv = "# Guide\n\nLäs först översikten på svenska: [översikt](old-target.md).\n";
    write(&dir.path().join("ja-jp/guide.md"), ja);
    write(&dir.path().join("sv-se/guide.md"), sv);
    // (client capabilities, UTF-8 columns?, expected column in ja, in sv)
    let cases = [(json!({}), false, 12, 44), (utf8_client(), true, 24, 49)];
    for (capabilities, utf8, ja_col, sv_col) in cases {
        let (mut client, init) = Client::start(capabilities);
        assert_eq!(init["capabilities"]["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
        for (locale, text, col) in [("ja-jp", ja, ja_col), ("sv-se", sv, sv_col)] {
            client.open(&dir.path().join(locale).join("guide.md"), text);
            let published = client.diagnostics();
            let [d] = published.diagnostics.as_slice() else { panic!("{locale}: {:?}", published.diagnostics) };
            assert_eq!(code(d), "stale-link");
            assert_eq!(d.range.start, Position::new(2, col), "{locale}, utf8={utf8}");
            assert_eq!(d.range.end, Position::new(2, col + "old-target.md".len() as u32));
            assert_eq!(slice(text, d.range, utf8), "old-target.md", "{locale}, utf8={utf8}");
            // The same position back: the hover must find the finding there.
            let hover = client.hover(&published.uri, Position::new(2, col + 1));
            assert_eq!(hover["range"], json!(d.range), "{locale}, utf8={utf8}");
        }
        client.finish();
    }
}

#[test]
fn code_actions_apply_the_safe_fix_or_insert_a_disable_comment() {
    let (mut client, _) = Client::start(json!({}));
    let (path, text) = fixture(SV);
    let uri = client.open(&path, &text);
    let stale = client.diagnostics().diagnostics.into_iter().find(|d| code(d) == "stale-link").unwrap();
    let cursor = Range::new(stale.range.start, stale.range.start);
    let actions = client.code_actions(&uri, cursor);
    insta::assert_snapshot!("sv_se_code_actions", redact(&actions));
    let titles: Vec<&str> = actions.iter().map(title).collect();
    assert_eq!(
        titles,
        [
            "Replace `../articles/databox-online/data-box-edge-overview.md` with \
             `../articles/databox-online/azure-stack-edge-overview.md`",
            "Disable stale-link for this line",
        ]
    );

    // The fix, applied as an editor would, silences the finding.
    let fixed = apply(&text, edits(&actions[0], &uri));
    assert!(fixed.contains("[Azure Data Box Edge](../articles/databox-online/azure-stack-edge-overview.md)"));
    client.change(&uri, 2, &fixed);
    let after = client.diagnostics();
    assert_eq!(after.version, Some(2));
    assert!(after.diagnostics.iter().all(|d| code(d) != "stale-link"), "{:?}", after.diagnostics);

    // The disable comment goes on its own line just above the finding's.
    let disabled = apply(&text, edits(&actions[1], &uri));
    let lines: Vec<&str> = disabled.lines().collect();
    assert_eq!(lines[27], "<!-- locdrift-disable-next-line stale-link -->");
    assert!(lines[28].starts_with("| [Azure Data Box Edge](../articles/databox-online/data-box-edge-overview.md)"));
    assert_eq!(lines.len(), text.lines().count() + 1);

    // The lost "(Preview)" marker of the Dutch translation is restored by its fix.
    let (nl_path, nl_text) = fixture(NL);
    let nl = client.open(&nl_path, &nl_text);
    let marker = client.diagnostics().diagnostics.into_iter().find(|d| code(d) == "marker-mismatch").unwrap();
    let actions = client.code_actions(&nl, marker.range);
    let fix = actions.iter().find(|a| title(a).starts_with("Insert")).expect("a marker fix");
    let restored = apply(&nl_text, edits(fix, &nl));
    assert!(restored.contains("| (Preview) Batch&nbsp;deductie |"), "{}", restored.lines().nth(26).unwrap());
    client.change(&nl, 2, &restored);
    assert!(client.diagnostics().diagnostics.iter().all(|d| code(d) != "marker-mismatch"));
    client.finish();
}

fn title(a: &CodeActionOrCommand) -> &str {
    match a {
        CodeActionOrCommand::CodeAction(a) => &a.title,
        CodeActionOrCommand::Command(c) => &c.title,
    }
}

fn edits(a: &CodeActionOrCommand, uri: &Uri) -> Vec<TextEdit> {
    let CodeActionOrCommand::CodeAction(a) = a else { panic!("a code action, not a command") };
    a.edit.as_ref().unwrap().changes.as_ref().unwrap()[uri].clone()
}

/// Applies UTF-16 edits, last first so earlier offsets stay valid.
fn apply(text: &str, mut edits: Vec<TextEdit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start.line, e.range.start.character)));
    let mut out = text.to_string();
    for e in edits {
        let covered = slice(&out, e.range, false);
        let start = covered.as_ptr() as usize - out.as_ptr() as usize;
        let end = start + covered.len();
        out.replace_range(start..end, &e.new_text);
    }
    out
}

#[test]
fn hover_shows_the_source_text_and_the_rules_explanation() {
    let (mut client, _) = Client::start(json!({}));
    let (path, text) = fixture(NL);
    let uri = client.open(&path, &text);
    let diagnostics = client.diagnostics().diagnostics;
    let marker = diagnostics.iter().find(|d| code(d) == "marker-mismatch").unwrap();
    let hover = client.hover(&uri, marker.range.start);
    assert_eq!(hover["range"], json!(marker.range));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    insta::assert_snapshot!("nl_nl_marker_hover", value);
    assert!(value.contains("**marker-mismatch** (LD110)"), "{value}");
    assert!(value.contains("```markdown\n(Preview)\n```"), "the source's text there: {value}");
    let why = locdrift::catalog::get("marker-mismatch").unwrap().why.trim();
    assert!(value.contains(why), "{value}");

    let note = diagnostics.iter().find(|d| code(d) == "extra-note").unwrap();
    let value = client.hover(&uri, note.range.start)["contents"]["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("**extra-note** (LD202)"), "{value}");

    // Away from any finding, no hover (and no error).
    assert_eq!(client.hover(&uri, Position::new(0, 0)), Value::Null);
    client.finish();
}

#[test]
fn closing_a_translation_clears_its_diagnostics() {
    let (mut client, _) = Client::start(json!({}));
    let (path, text) = fixture(SV);
    let uri = client.open(&path, &text);
    assert!(!client.diagnostics().diagnostics.is_empty());
    client.notify(DidCloseTextDocument::METHOD, json!({ "textDocument": { "uri": uri } }));
    let cleared = client.diagnostics();
    assert_eq!(cleared.uri, uri);
    assert!(cleared.diagnostics.is_empty());
    assert_eq!(client.hover(&uri, Position::new(27, 30)), Value::Null, "a closed file has no hover");
    client.finish();
}

#[test]
fn files_outside_any_tree_are_answered_without_diagnostics_or_errors() {
    let (mut client, _) = Client::start(json!({}));
    let dir = tempfile::tempdir().unwrap();
    let loose = dir.path().join("notes.md");
    write(&loose, "# Notes\n\n[a link](somewhere.md)\n");
    let uri = client.open(&loose, &read(&loose));
    // A source opened alone has nothing to report either.
    let (en_path, en_text) = fixture(EN);
    let en = client.open(&en_path, &en_text);
    let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
    let item = json!({ "uri": untitled, "languageId": "markdown", "version": 1, "text": "# x" });
    client.notify(DidOpenTextDocument::METHOD, json!({ "textDocument": item }));
    for u in [&uri, &en, &untitled] {
        // Each answer arrives first: no diagnostics were published before it.
        assert_eq!(client.hover(u, Position::new(2, 3)), Value::Null);
        assert_eq!(client.request(CodeActionRequest::METHOD, code_action_params(u)), Value::Null);
    }
    // An unknown request is an error response, not a crash.
    client.next_id += 1;
    let id = RequestId::from(client.next_id);
    client.conn.sender.send(Request::new(id.clone(), "textDocument/definition".into(), json!({})).into()).unwrap();
    let Message::Response(r) = client.next() else { panic!("a response") };
    assert_eq!((r.id, r.error.map(|e| e.code)), (id, Some(lsp_server::ErrorCode::MethodNotFound as i32)));
    assert!(client.finish().is_empty());
}

fn code_action_params(uri: &Uri) -> Value {
    json!({
        "textDocument": { "uri": uri },
        "range": Range::new(Position::new(0, 0), Position::new(3, 0)),
        "context": { "diagnostics": [] },
    })
}

#[test]
fn editing_the_source_relints_its_open_translations() {
    let (mut client, _) = Client::start(json!({}));
    let (sv_path, sv_text) = fixture(SV);
    let sv = client.open(&sv_path, &sv_text);
    assert!(client.diagnostics().diagnostics.iter().any(|d| code(d) == "stale-link"));
    // Opening the source re-lints the translation against the buffer (same text).
    let (en_path, en_text) = fixture(EN);
    let en = client.open(&en_path, &en_text);
    let again = client.diagnostics();
    assert_eq!(again.uri, sv);
    assert!(again.diagnostics.iter().any(|d| code(d) == "stale-link"));
    // The writer changes the source's link to the one the translation has: in their
    // unsaved buffer, the drift is gone.
    let edited = en_text.replace("azure-stack-edge-overview.md", "data-box-edge-overview.md");
    assert_ne!(edited, en_text);
    client.change(&en, 2, &edited);
    let relinted = client.diagnostics();
    assert_eq!(relinted.uri, sv);
    assert!(relinted.diagnostics.iter().all(|d| code(d) != "stale-link"), "{:?}", relinted.diagnostics);
    // Closing the source drops the unsaved edit: back to the file on disk.
    client.notify(DidCloseTextDocument::METHOD, json!({ "textDocument": { "uri": en } }));
    let reverted = client.diagnostics();
    assert_eq!(reverted.uri, sv);
    assert!(reverted.diagnostics.iter().any(|d| code(d) == "stale-link"));
    client.finish();
}

#[test]
fn the_nearest_config_applies_and_is_reloaded_when_it_changes() {
    let dir = scratch("fixtures/azure-ml");
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (mut client, _) = Client::start(capabilities);
    let config = dir.path().join("locdrift.yaml");
    write(&config, "rules:\n  stale-link:\n    severity: error\n");
    let sv_path = dir.path().join("sv-se/includes/aml-compute-target-deploy.md");
    let sv = client.open(&sv_path, &read(&sv_path));
    let published = client.diagnostics();
    let stale = published.diagnostics.iter().find(|d| code(d) == "stale-link").unwrap();
    assert_eq!(stale.severity, Some(lsp_types::DiagnosticSeverity::ERROR), "the config's severity");
    assert_eq!(client.requests.len(), 1, "the server asked to watch locdrift.yaml");
    assert_eq!(client.requests[0].method, "client/registerCapability");
    assert_eq!(
        client.requests[0].params["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/locdrift.yaml"
    );

    write(&config, "rules:\n  stale-link:\n    severity: info\n");
    let event = json!({ "changes": [{ "uri": uri_of(&config).unwrap(), "type": 2 }] });
    client.notify(DidChangeWatchedFiles::METHOD, event.clone());
    let reloaded = client.diagnostics();
    assert_eq!(reloaded.uri, sv);
    let stale = reloaded.diagnostics.iter().find(|d| code(d) == "stale-link").unwrap();
    assert_eq!(stale.severity, Some(lsp_types::DiagnosticSeverity::INFORMATION), "the changed config's severity");

    // A broken config is shown to the user once, and the file gets no diagnostics.
    write(&config, "sevrity: x\n");
    client.notify(DidChangeWatchedFiles::METHOD, event.clone());
    let broken = client.diagnostics();
    assert!(broken.diagnostics.is_empty());
    assert!(client.logs.iter().any(|l| l.contains("unknown field `sevrity`")), "{:?}", client.logs);
    let logs = client.finish();
    assert_eq!(logs.iter().filter(|l| l.contains("sevrity")).count(), 2, "one log line, one message: {logs:?}");
}

#[test]
fn links_are_checked_against_the_tree_and_a_save_refreshes_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("en-us/guide.md"), "# Guide\n\nSee [setup](other.md#setup) and [more](saknas.md).\n");
    write(&dir.path().join("en-us/other.md"), "# Other\n\n## Install\n");
    let sv = "# Guide\n\nSe [installation](other.md#setup) och [mer](saknas.md).\n";
    write(&dir.path().join("sv-se/guide.md"), sv);
    let (mut client, _) = Client::start(json!({}));
    let uri = client.open(&dir.path().join("sv-se/guide.md"), sv);
    let published = client.diagnostics();
    let codes: Vec<&str> = published.diagnostics.iter().map(code).collect();
    assert!(codes.contains(&"broken-anchor") && codes.contains(&"broken-link"), "{codes:?}");
    let link = published.diagnostics.iter().find(|d| code(d) == "broken-link").unwrap();
    assert_eq!(slice(sv, link.range, false), "saknas.md");

    // The writer adds the heading in the linked page and saves it: the open translation
    // is re-linted with the page's new anchors.
    let other = dir.path().join("en-us/other.md");
    write(&other, "# Other\n\n## Setup\n");
    client.notify(DidSaveTextDocument::METHOD, json!({ "textDocument": { "uri": uri_of(&other).unwrap() } }));
    let after = client.diagnostics();
    assert_eq!(after.uri, uri);
    let codes: Vec<&str> = after.diagnostics.iter().map(code).collect();
    assert_eq!(codes, ["broken-link"]);
    client.finish();
}

/// Crashes on a marker text inside the engine's panic guard, standing in for a bug in
/// a rule.
fn crash_on_marker(translation: &str) {
    assert!(!translation.contains("CRASH HERE"), "a rule tripped over this file");
}

#[test]
fn a_panic_in_a_lint_is_logged_and_the_server_keeps_serving() {
    let (mut client, _) = Client::start_with(crash_on_marker, json!({}));
    let (path, text) = fixture(SV);
    let uri = client.open(&path, &format!("{text}\nCRASH HERE\n"));
    let crashed = client.diagnostics();
    let [d] = crashed.diagnostics.as_slice() else { panic!("{:?}", crashed.diagnostics) };
    assert_eq!(code(d), "io-error");
    assert!(d.message.contains("locdrift crashed on it (a rule tripped over this file)"), "{}", d.message);
    assert!(client.logs.iter().any(|l| l.contains("a rule tripped over this file")), "{:?}", client.logs);
    // The next edit is linted as usual.
    client.change(&uri, 2, &text);
    assert!(client.diagnostics().diagnostics.iter().any(|d| code(d) == "stale-link"));
    assert_eq!(client.hover(&uri, Position::new(0, 0)), Value::Null);
    client.finish();
}

#[test]
fn exit_without_shutdown_is_reported() {
    let (client, _) = Client::start(json!({}));
    client.notify(Exit::METHOD, Value::Null);
    let mut client = client;
    let clean = client.server.take().unwrap().join().unwrap();
    assert_eq!(clean, Ok(false));
}

/// The README's snippet for Neovim 0.7 (the block after `<!-- nvim-0.7 -->`).
fn readme_nvim_snippet() -> String {
    let readme = crate::read(&root().join("README.md"));
    let after = readme.split_once("<!-- nvim-0.7 -->\n```lua\n").expect("the README has the Neovim 0.7 snippet").1;
    after.split_once("```").expect("the snippet's block ends").0.to_string()
}

/// The real thing: Neovim's built-in LSP client, set up by the README's snippet, starts
/// `locdrift lsp`, opens the Swedish include and reports the diagnostics it received.
#[test]
fn neovim_shows_the_stale_link() {
    let Some(nvim) = find_nvim() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must have nvim (.ci/run installs it)");
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: nvim is not installed (apt-get install -y neovim)");
        }
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("diagnostics.txt");
    let init = out_dir.path().join("init.lua");
    std::fs::write(&init, readme_nvim_snippet()).unwrap();
    // The snippet runs `locdrift` from PATH, as a user's would.
    let bin = out_dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_locdrift"), bin.join("locdrift")).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut child = std::process::Command::new(nvim)
        .current_dir(root())
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .args([SV, "-c", "luafile tests/it/nvim/diagnostics.lua"])
        .env("PATH", path)
        .env("LOCDRIFT_ATTACHED", "1")
        .env("XDG_CONFIG_HOME", out_dir.path())
        .env("XDG_DATA_HOME", out_dir.path())
        .env("LOCDRIFT_BIN", env!("CARGO_BIN_EXE_locdrift"))
        .env("LOCDRIFT_OUT", &out)
        .env("LOCDRIFT_TIMEOUT_MS", "20000")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let report = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed ({status}); it wrote:\n{report}");
    let lines: Vec<&str> = report.lines().collect();
    assert!(
        lines.contains(
            &"28:25 W locdrift stale-link link points to `../articles/databox-online/data-box-edge-overview.md`; \
                          the source links `../articles/databox-online/azure-stack-edge-overview.md`"
        ),
        "{report}"
    );
    assert_eq!(lines.last(), Some(&"stopped"), "the server shut down when asked: {report}");
}

fn find_nvim() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("nvim")).find(|p| p.is_file())
}
