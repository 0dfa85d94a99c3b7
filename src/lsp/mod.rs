//! `locdrift lsp`: a Language Server over stdio that lints translations as they are typed.
//!
//! A synchronous `lsp-server` loop (rust-analyzer's `minimal_lsp` shape): one thread reads
//! messages in order and answers each before the next, which is fast enough because one
//! lint of a 2,000-line page is about 15 ms of CPU (see bench/LSP.md).
//!
//! - Opening, editing or saving a translation lints it against its source (the editor's
//!   buffer when the source is open, else the file on disk) and publishes diagnostics:
//!   the rule name as `code`, `relatedInformation` at the source's counterpart.
//!   Opening, editing or closing a source re-lints its open translations. Links and
//!   anchors are checked against the tree on disk (`workspace::Tree`, as `check` does);
//!   saving any file re-lints every open translation with what is on disk now.
//! - Code actions: each finding's safe fix, and "Disable RULE for this line", which
//!   inserts a `locdrift-disable-next-line` comment above the finding.
//! - Hover on a finding: the source's text there and the rule's catalog entry.
//! - The nearest `locdrift.yaml` configures a file; a changed watched file reloads it.
//! - Each diagnostic's `data` carries the finding's `kind` (`drift` or `defect`); the
//!   initialization option `{"kinds": ["defect"]}` publishes only those kinds.
//! - A panic in one lint is logged and becomes an `io-error` diagnostic; the server goes on.

mod actions;
mod convert;
mod project;

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    Hover, HoverParams, HoverProviderCapability, InitializeParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use convert::SourceSide;
pub use convert::{path_of, uri_of, Encoding};
use project::{normalize, Place, Projects};

use crate::engine;
use crate::finding::Finding;
use crate::line_index::LineIndex;
use crate::model::Doc;

/// Why the server stopped abnormally: a protocol violation, a broken pipe.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The comment that "Disable RULE for this line" inserts above a finding.
pub(crate) const DISABLE_NEXT_LINE: &str = "locdrift-disable-next-line";

/// Called with the text of every translation the server lints, inside the engine's
/// panic guard: tests pass one that panics to check that the server survives a crash.
pub type Observe = fn(&str);

/// Serves on stdin/stdout until the client says `exit`. An `exit` without a prior
/// `shutdown` is an error, as the protocol asks (the process then exits non-zero).
pub fn run() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let clean = serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    if clean {
        Ok(())
    } else {
        Err("the session ended without `shutdown`".into())
    }
}

/// Runs the initialize handshake and the message loop on a connection. Returns whether
/// the session ended with `shutdown` then `exit` (`false`: `exit` alone, or the client
/// went away).
pub fn serve(connection: &Connection) -> Result<bool, Error> {
    serve_with(connection, |_| {})
}

/// `serve`, telling `observe` of every translation linted.
pub fn serve_with(connection: &Connection, observe: Observe) -> Result<bool, Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("invalid initialize params: {e}"))?;
    let encoding = Encoding::negotiate(&params);
    let kinds = kinds_wanted(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "locdrift".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        conn: connection,
        encoding,
        observe,
        docs: HashMap::new(),
        linted: HashMap::new(),
        parsed: HashMap::new(),
        projects: Projects::default(),
        next_request: 0,
        kinds,
    };
    if can_register_watchers(&params) {
        server.register_watchers();
    }
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(true);
                }
                server.guarded(&req.method.clone(), Some(req.id.clone()), |s| s.request(req));
            }
            Message::Notification(n) if n.method == lsp_types::notification::Exit::METHOD => return Ok(false),
            Message::Notification(n) => server.guarded(&n.method.clone(), None, |s| {
                s.notification(n);
            }),
            // Answers to our own requests (capability registration): nothing to do.
            Message::Response(_) => {}
        }
    }
    Ok(false)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

fn can_register_watchers(params: &InitializeParams) -> bool {
    let watched = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration).unwrap_or(false)
}

/// A document the editor has open, keyed by its normalized path.
struct OpenDoc {
    uri: Uri,
    text: String,
    version: i32,
}

/// The last lint of an open translation, kept for code actions and hovers (they are
/// always about the current text: every change re-lints before the next request).
struct Linted {
    findings: Vec<Finding>,
    source: Option<Source>,
}

/// The source a translation was compared with, as it was then.
struct Source {
    uri: Uri,
    path: PathBuf,
    text: String,
}

struct Server<'c> {
    conn: &'c Connection,
    encoding: Encoding,
    observe: Observe,
    docs: HashMap<PathBuf, OpenDoc>,
    linted: HashMap<PathBuf, Linted>,
    /// Sources as last parsed, by path, with the text they were parsed from and their
    /// skeleton (built when a rule first asks, then kept while the text is).
    parsed: HashMap<PathBuf, (String, Doc, crate::skeleton::Shared)>,
    projects: Projects,
    next_request: i32,
    /// Which kinds of finding to publish (`kinds` in the initialization options); all
    /// when `None`.
    kinds: Option<Vec<String>>,
}

/// The `kinds` initialization option: `["drift"]`, `["defect"]` or both.
fn kinds_wanted(params: &InitializeParams) -> Option<Vec<String>> {
    let kinds = params.initialization_options.as_ref()?.get("kinds")?.as_array()?;
    Some(kinds.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
}

impl Server<'_> {
    /// Handles one message; a panic is logged and, for a request, answered with an
    /// error, so one bad document cannot take the editor's diagnostics down.
    fn guarded(&mut self, method: &str, id: Option<RequestId>, handle: impl FnOnce(&mut Self)) {
        if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| handle(self))) {
            let what = crate::engine::panic_message(panic.as_ref());
            self.log(MessageType::ERROR, format!("locdrift crashed handling {method}: {what}; please report it"));
            if let Some(id) = id {
                self.send(Response::new_err(id, ErrorCode::InternalError as i32, what).into());
            }
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id;
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => parse(req.params).map(|p| json(self.code_actions(p))),
            HoverRequest::METHOD => parse(req.params).map(|p| json(self.hover(p))),
            _ => Err((ErrorCode::MethodNotFound, format!("locdrift does not handle `{}`", req.method))),
        };
        let response = match result {
            Ok(value) => Response { id, result: Some(value), error: None },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    fn notification(&mut self, n: Notification) -> Option<()> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = parse::<DidOpenTextDocumentParams>(n.params) else { return None };
                let doc = p.text_document;
                let path = self.open_path(&doc.uri)?;
                self.docs.insert(path.clone(), OpenDoc { uri: doc.uri, text: doc.text, version: doc.version });
                self.changed(&path);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = parse::<DidChangeTextDocumentParams>(n.params) else { return None };
                let path = self.open_path(&p.text_document.uri)?;
                let encoding = self.encoding;
                let doc = self.docs.get_mut(&path)?;
                for change in p.content_changes {
                    match change.range {
                        // Full sync is what we ask for; a range edit is applied anyway.
                        Some(range) => {
                            let index = LineIndex::new(&doc.text);
                            let start = convert::offset(&index, range.start, encoding);
                            let end = convert::offset(&index, range.end, encoding).max(start);
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                self.changed(&path);
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = parse::<DidSaveTextDocumentParams>(n.params) else { return None };
                let path = self.open_path(&p.text_document.uri)?;
                if path.file_name().is_some_and(|f| f == crate::config::FILE_NAME) {
                    self.reload();
                } else {
                    // The saved file may be the target of links (and anchors) in any open
                    // translation, not only its own counterparts.
                    self.projects.refresh();
                    self.relint_all();
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = parse::<DidCloseTextDocumentParams>(n.params) else { return None };
                let path = self.open_path(&p.text_document.uri)?;
                self.docs.remove(&path);
                if self.linted.remove(&path).is_some() {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
                // Keep parsed sources only while an open translation uses them.
                let linted = &self.linted;
                self.parsed.retain(|p, _| linted.values().any(|l| l.source.as_ref().is_some_and(|s| &s.path == p)));
                // A closed source's unsaved edits are gone: its translations go back to disk.
                self.changed(&path);
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(_) = parse::<DidChangeWatchedFilesParams>(n.params) else { return None };
                self.reload();
            }
            _ => {}
        }
        Some(())
    }

    /// The key of a document, or `None` (silently) for URIs that are not local files.
    fn open_path(&self, uri: &Uri) -> Option<PathBuf> {
        path_of(uri).map(|p| normalize(&p))
    }

    /// A document changed: lint it if it is a translation, or its open translations if
    /// it is a source.
    fn changed(&mut self, path: &Path) {
        match self.place(path) {
            Place::Translation { .. } => self.lint_and_publish(path),
            Place::Source => {
                let open: Vec<PathBuf> = self.docs.keys().filter(|p| p.as_path() != path).cloned().collect();
                for p in open {
                    if matches!(self.place(&p), Place::Translation { source, .. } if source == path) {
                        self.lint_and_publish(&p);
                    }
                }
            }
            Place::Outside => self.clear(path),
        }
    }

    /// A config may have changed: resolve every open document again.
    fn reload(&mut self) {
        self.projects.clear();
        // A new vocabulary parses sources differently.
        self.parsed.clear();
        self.relint_all();
    }

    fn relint_all(&mut self) {
        let mut open: Vec<PathBuf> = self.docs.keys().cloned().collect();
        open.sort();
        for p in open {
            match self.place(&p) {
                Place::Translation { .. } => self.lint_and_publish(&p),
                _ => self.clear(&p),
            }
        }
    }

    fn place(&mut self, path: &Path) -> Place {
        let place = self.projects.place(path);
        for problem in std::mem::take(&mut self.projects.problems) {
            self.log(MessageType::ERROR, problem.clone());
            self.send(
                Notification::new(
                    ShowMessage::METHOD.into(),
                    ShowMessageParams { typ: MessageType::ERROR, message: format!("locdrift: {problem}") },
                )
                .into(),
            );
        }
        place
    }

    /// Withdraws a document's diagnostics if it had any (it left the tree, or a config
    /// change excluded it).
    fn clear(&mut self, path: &Path) {
        if self.linted.remove(path).is_some() {
            if let Some(doc) = self.docs.get(path) {
                self.publish(doc.uri.clone(), Vec::new(), Some(doc.version));
            }
        }
    }

    fn lint_and_publish(&mut self, path: &Path) {
        let Place::Translation { project, locale, source, source_rel, rel } = self.place(path) else { return };
        let Some(doc) = self.docs.get(path) else { return };
        let settings = &project.config.settings;
        // The source as the writer sees it: their unsaved buffer if open, else the disk.
        let shown = display(&project.root, &source);
        let (source_side, unreadable) = match self.docs.get(&source) {
            Some(open) => (Some(Source { uri: open.uri.clone(), path: source.clone(), text: open.text.clone() }), None),
            None => match crate::workspace::read_text(&source, settings.max_file_size) {
                Ok(text) => (uri_of(&source).map(|uri| Source { uri, path: source.clone(), text }), None),
                Err(_) if !source.exists() => (None, None),
                Err(why) => (None, Some(why)),
            },
        };
        // The source parsed once per version: it rarely changes while a translation is
        // typed, which saves a parse per keystroke.
        let parsed = &mut self.parsed;
        let mut unreadable = unreadable;
        if let Some(s) = &source_side {
            if parsed.get(&s.path).is_none_or(|(text, ..)| *text != s.text) {
                parsed.remove(&s.path);
                match std::panic::catch_unwind(AssertUnwindSafe(|| crate::parse::parse_for(&s.text, settings))) {
                    Ok(doc) => {
                        parsed.insert(s.path.clone(), (s.text.clone(), doc, Default::default()));
                    }
                    Err(panic) => {
                        let what = crate::engine::panic_message(panic.as_ref());
                        unreadable = Some(format!("locdrift crashed on it ({what}); please report it"));
                    }
                }
            }
        }
        let source_input = match (&source_side, &unreadable) {
            (_, Some(why)) => engine::Source::Unreadable { shown: &shown, why },
            (Some(s), None) => match parsed.get(&s.path) {
                Some((_, doc, side)) => engine::Source::Shared(doc, &s.text, side),
                None => engine::Source::Unread,
            },
            (None, None) => engine::Source::Missing { shown: &shown },
        };
        let tree = project.tree();
        let observe = self.observe;
        let on_parse = |_: &Doc| observe(&doc.text);
        let input = engine::Input {
            rel: &rel,
            locale: Some(&locale),
            text: Ok(&doc.text),
            source_rel: Some(&source_rel),
            source: source_input,
            workspace: Some(&*tree),
            on_parse: Some(&on_parse),
        };
        let linted = engine::lint(&input, settings);
        if let Some(what) = &linted.crash {
            self.log(
                MessageType::ERROR,
                format!("locdrift crashed checking {}: {what}; please report it", path.display()),
            );
        }
        let mut findings = linted.findings;
        if let Some(kinds) = &self.kinds {
            findings.retain(|f| kinds.iter().any(|k| k == crate::catalog::kind(f.rule.name())));
        }
        let index = LineIndex::new(&doc.text);
        let source_index = source_side.as_ref().map(|s| LineIndex::new(&s.text));
        let side = source_side.as_ref().zip(source_index.as_ref()).map(|(s, index)| SourceSide {
            uri: &s.uri,
            text: &s.text,
            index,
        });
        let diagnostics =
            findings.iter().map(|f| convert::diagnostic(f, &index, side.as_ref(), self.encoding)).collect();
        let (uri, version) = (doc.uri.clone(), doc.version);
        self.publish(uri, diagnostics, Some(version));
        self.linted.insert(path.to_path_buf(), Linted { findings, source: source_side });
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let path = self.open_path(&p.text_document.uri)?;
        let (doc, linted) = (self.docs.get(&path)?, self.linted.get(&path)?);
        Some(actions::code_actions(doc, linted, p.range, self.encoding))
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let at = p.text_document_position_params;
        let path = self.open_path(&at.text_document.uri)?;
        let (doc, linted) = (self.docs.get(&path)?, self.linted.get(&path)?);
        actions::hover(doc, linted, at.position, self.encoding)
    }

    /// Asks the client to tell us when a `locdrift.yaml` changes on disk.
    fn register_watchers(&mut self) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "locdrift-config".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: Some(json(options)),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("locdrift-{}", self.next_request));
        self.send(Request::new(id, RegisterCapability::METHOD.into(), params).into());
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        self.send(Notification::new(LogMessage::METHOD.into(), LogMessageParams { typ, message }).into());
    }

    fn send(&self, msg: Message) {
        // The client hung up; the receive loop will end on its own.
        let _ = self.conn.sender.send(msg);
    }
}

/// The path shown in messages: relative to the tree's root, as the command line shows it.
fn display(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).expect("LSP types serialize")
}
