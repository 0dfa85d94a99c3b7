//! Measures `locdrift lsp` latency: from a `didChange` of a 2,000-line translation to its
//! `publishDiagnostics`, over an in-memory connection (no process or pipe overhead).
//!
//! Run: `cargo run --release --example lsp_latency [ROUNDS]` (figures in bench/LSP.md).
//! Every linked page exists in the generated tree, so link checks run as in a real one.
//! It prints the first lint (didOpen), then min / median / p95 / max wall-clock time and
//! the average CPU time per change for three cases: the
//! translation edited with its source read from disk on every change (the source is not
//! open), the same with the source open in the editor, and the open source edited (each
//! change re-parses it and re-lints the translation).

#![allow(clippy::print_stdout)]

use std::path::Path;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

/// Sections of 20 lines: a heading, a paragraph with a link and a number, a five-column
/// table of six rows with flags and a (Preview) marker, a note and a list.
fn document(sections: usize, translated: bool) -> String {
    let (yes, preview, used, text) = if translated {
        ("Ja", "(Förhandsversion)", "Batchinferens", "Används för arbetsbelastningar som kräver mindre än 48 GB RAM.")
    } else {
        ("Yes", "(Preview)", "Batch inference", "Use for workloads that require less than 48 GB of RAM.")
    };
    let mut out = String::from("---\ntitle: Compute targets\nms.date: 08/23/2019\n---\n\n");
    for i in 0..sections {
        // Every tenth section of the translation links a page that moved.
        let topic = if translated && i % 10 == 3 { format!("old-topic-{i}") } else { format!("topic-{i}") };
        out.push_str(&format!("## Section {i}\n\n"));
        out.push_str(&format!("{text} See the [overview](../articles/{topic}.md) for {i} options.\n\n"));
        out.push_str("| Compute target | Used for | GPU support | FPGA support | Description |\n");
        out.push_str("| ----- | ----- | ----- | ----- | ----- |\n");
        for r in 0..6 {
            let marker = if r == 2 && !(translated && i % 7 == 0) { format!("{preview} ") } else { String::new() };
            let gpu = if r % 2 == 0 { yes } else { "&nbsp;" };
            out.push_str(&format!(
                "| [Target {i}.{r}](../articles/target-{i}-{r}.md) | {marker}{used} | {gpu} | &nbsp; | {text} |\n"
            ));
        }
        out.push_str(&format!("\n> [!NOTE]\n> {text} ({i})\n\n"));
        out.push_str(&format!("- [First](../articles/first-{i}.md)\n- [Second](../articles/second-{i}.md)\n\n"));
    }
    out
}

struct Client {
    conn: Connection,
    next_id: i32,
}

impl Client {
    fn notify(&self, method: &str, params: Value) {
        self.conn.sender.send(Notification::new(method.into(), params).into()).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        self.conn.sender.send(Request::new(RequestId::from(self.next_id), method.into(), params).into()).unwrap();
        loop {
            if let Message::Response(_) = self.conn.receiver.recv().unwrap() {
                return;
            }
        }
    }

    /// Waits for the diagnostics of `uri`; returns how many there were.
    fn diagnostics(&self, uri: &str) -> usize {
        loop {
            match self.conn.receiver.recv_timeout(Duration::from_secs(30)).expect("diagnostics in time") {
                Message::Notification(n) if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri => {
                    return n.params["diagnostics"].as_array().unwrap().len();
                }
                _ => {}
            }
        }
    }
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let source = document(105, false);
    let translation = document(105, true);
    let src_path = dir.path().join("en-us/compute.md");
    let tr_path = dir.path().join("sv-se/compute.md");
    write(&src_path, &source);
    write(&tr_path, &translation);
    // Every link target exists, as in a healthy docs tree: the server checks each one
    // (`broken-link`), and the figures include those lookups, not a flood of findings.
    for line in source.lines().chain(translation.lines()) {
        for (i, _) in line.match_indices("](../") {
            let target = &line[i + 5..];
            let target = &target[..target.find(')').unwrap()];
            write(&dir.path().join(target), "# Target\n");
        }
    }
    let (src_uri, tr_uri) = (uri(&src_path), uri(&tr_path));

    let (server, conn) = Connection::memory();
    let thread = std::thread::spawn(move || locdrift::lsp::serve(&server).unwrap());
    let mut client = Client { conn, next_id: 0 };
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));

    let open = |c: &Client, uri: &str, text: &str| {
        let doc = json!({ "uri": uri, "languageId": "markdown", "version": 1, "text": text });
        c.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    };
    let start = Instant::now();
    open(&client, &tr_uri, &translation);
    let findings = client.diagnostics(&tr_uri);
    let first = start.elapsed();
    println!(
        "translation: {} lines, {} bytes; source: {} lines; {findings} diagnostics per lint; {rounds} changes per case",
        translation.lines().count(),
        translation.len(),
        source.lines().count()
    );
    println!("didOpen -> publishDiagnostics (first lint, source parsed): {:.1} ms", first.as_secs_f64() * 1000.0);

    let mut version = 1;
    for case in ["source on disk", "source open in the editor", "editing the source"] {
        if case == "source open in the editor" {
            open(&client, &src_uri, &source);
            client.diagnostics(&tr_uri);
        }
        let mut times = Vec::with_capacity(rounds);
        let cpu_before = cpu_time();
        for round in 0..rounds {
            version += 1;
            // A keystroke: one character more in the last paragraph each time. When
            // the source is edited, the open translation is re-linted against it.
            let (uri, base) = if case == "editing the source" { (&src_uri, &source) } else { (&tr_uri, &translation) };
            let text = format!("{base}End{}\n", "!".repeat(round % 50));
            let params = json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            });
            let start = Instant::now();
            client.notify("textDocument/didChange", params);
            let n = client.diagnostics(&tr_uri);
            times.push(start.elapsed());
            assert_eq!(n, findings, "every lint reports the same drift");
        }
        let cpu = cpu_before.zip(cpu_time()).map(|(a, b)| (b - a).as_secs_f64() * 1000.0 / rounds as f64);
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{case:<26} didChange -> publishDiagnostics: min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms{}",
            ms(times[0]),
            ms(pick(0.5)),
            ms(pick(0.95)),
            ms(times[times.len() - 1]),
            cpu.map(|c| format!("; CPU {c:.1} ms per change")).unwrap_or_default()
        );
    }

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    thread.join().unwrap();
}

/// CPU time of this process so far (user + system, both threads), from /proc on Linux:
/// unlike wall-clock time, it does not grow when other processes compete for the CPU.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) start at field 3;
    // utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn uri(path: &Path) -> String {
    locdrift::lsp::uri_of(path).unwrap().as_str().to_string()
}
