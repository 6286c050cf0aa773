//! The language server over real stdio, the way an editor drives it
//! (product-spec §8): the built `nianbao lsp` against a do-nothing tower-lsp
//! server built into this bench (it keeps a rope and publishes an empty list:
//! the protocol floor), side by side in one run, on the 7 KB seed and on the
//! 1 MB report made from it.
//!
//! Measured per server and document: the time from `didOpen` to the first
//! `publishDiagnostics`; keystroke → `publishDiagnostics` for that version,
//! p50 and p99 (one Chinese character typed at a time in the middle of
//! section 一, each waited for); the flood (200 keystrokes sent back to back,
//! time from the last one to the diagnostics for the final version); and the
//! server's peak RSS. Run with `cargo bench --bench lsp`. Nothing here
//! asserts a time: the numbers are printed, as ratios to the floor.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "support.rs"]
mod support;

const FLOOR_ARG: &str = "--floor-server";

fn main() {
    if std::env::args().any(|a| a == FLOOR_ARG) {
        floor::serve();
        return;
    }
    let seed = support::seed();
    let big = support::one_mb_report(&seed);
    // `cargo test --all-targets` runs this without `--bench`: a smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let keystrokes = |len: usize| match () {
        _ if smoke => 20,
        _ if len > 100_000 => 500,
        _ => 1000,
    };
    let floods = if smoke { 1 } else { 9 };
    println!("nianbao lsp vs the protocol floor (a do-nothing tower-lsp server), over stdio; times in ms");
    println!("{:<8} {:<8} {:>9} {:>8} {:>8} {:>9} {:>9}", "doc", "server", "first", "p50", "p99", "flood", "rss MB");
    for (name, text) in [("7 KB", &seed), ("1 MB", &big)] {
        let (floor, ours) = run_pair(text, keystrokes(text.len()), floods);
        for (who, r) in [("floor", &floor), ("nianbao", &ours)] {
            println!(
                "{:<8} {:<8} {:>9.2} {:>8.3} {:>8.3} {:>9.2} {:>9.1}",
                name,
                who,
                ms(r.first),
                ms(r.p50),
                ms(r.p99),
                ms(r.flood),
                r.rss_kb as f64 / 1024.0
            );
        }
        println!(
            "{:<8} ratio    p50 {:.2}×  p99 {:.2}×  flood {:.2}× (+{:.2} ms)",
            name,
            ratio(ours.p50, floor.p50),
            ratio(ours.p99, floor.p99),
            ratio(ours.flood, floor.flood),
            ms(ours.flood) - ms(floor.flood)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

#[derive(Clone, Copy)]
enum Server {
    Floor,
    Nianbao,
}

struct Results {
    first: Duration,
    p50: Duration,
    p99: Duration,
    flood: Duration,
    rss_kb: u64,
}

struct Conn {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<Value>,
}

impl Conn {
    fn start(server: Server) -> Conn {
        let mut cmd = match server {
            Server::Floor => {
                let mut c = Command::new(std::env::current_exe().unwrap());
                c.arg(FLOOR_ARG);
                c
            }
            Server::Nianbao => {
                let mut c = Command::new(env!("CARGO_BIN_EXE_nianbao"));
                c.arg("lsp");
                c
            }
        };
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(v) = read_frame(&mut out) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Conn { child, stdin, rx }
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn wait(&self, pred: impl Fn(&Value) -> bool) -> Instant {
        loop {
            let v = self.rx.recv_timeout(Duration::from_secs(60)).expect("the server went quiet");
            if pred(&v) {
                return Instant::now();
            }
        }
    }

    fn published(&self, version: i64) -> Instant {
        self.wait(|v| v["method"] == "textDocument/publishDiagnostics" && v["params"]["version"] == version)
    }

    /// Peak resident set (VmHWM), in KiB.
    fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        self.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        self.wait(|v| v["id"] == 99);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Where to type: the middle line of section 一, after its first character.
fn typing_point(text: &str) -> (u32, u32) {
    let lines: Vec<&str> = text.split('\n').collect();
    let one = lines.iter().position(|l| l.contains("一、总体情况")).unwrap();
    let two = lines.iter().position(|l| l.contains("二、主动公开")).unwrap();
    let mid = (one + 1 + two) / 2;
    let mid = (mid..two).find(|&l| lines[l].chars().count() > 4).unwrap_or(one + 1);
    (mid as u32, 1)
}

/// One server with the report open, typing at the same point.
struct Session {
    conn: Conn,
    version: i64,
    col0: u32,
    col: u32,
    line: u32,
    first: Duration,
    lat: Vec<Duration>,
    floods: Vec<Duration>,
}

const URI: &str = "file:///bench/report.txt";
/// Characters typed before they are taken out again.
const SENTENCE: u32 = 30;

impl Session {
    fn open(server: Server, text: &str) -> Session {
        let mut conn = Conn::start(server);
        conn.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": null,
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": true}}}}}));
        conn.wait(|v| v["id"] == 1);
        conn.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        let t0 = Instant::now();
        conn.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": URI, "languageId": "plaintext", "version": 1, "text": text}}}));
        let first = conn.published(1) - t0;
        let (line, col) = typing_point(text);
        Session { conn, version: 1, col0: col, col, line, first, lat: Vec::new(), floods: Vec::new() }
    }

    /// Types one Chinese character; returns when it was sent. Every
    /// `SENTENCE` characters the next edit takes the sentence out again (an
    /// undo), so the paragraph keeps its real length however long the run.
    fn type_one(&mut self) -> Instant {
        self.version += 1;
        let (start, end, text) = if self.col - self.col0 == SENTENCE {
            self.col = self.col0;
            (self.col0, self.col0 + SENTENCE, "")
        } else {
            self.col += 1;
            (self.col - 1, self.col - 1, "政")
        };
        let (start, end) =
            (json!({"line": self.line, "character": start}), json!({"line": self.line, "character": end}));
        let sent = Instant::now();
        self.conn.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": self.version},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": text}]}}));
        sent
    }

    /// One keystroke, waited for.
    fn keystroke(&mut self) {
        let sent = self.type_one();
        let lat = self.conn.published(self.version) - sent;
        self.lat.push(lat);
    }

    /// 200 keystrokes back to back: from the last one to the diagnostics
    /// for the final version.
    fn flood(&mut self) {
        let mut last = Instant::now();
        for _ in 0..200 {
            last = self.type_one();
        }
        let took = self.conn.published(self.version) - last;
        self.floods.push(took);
    }

    fn finish(mut self) -> Results {
        let rss_kb = self.conn.peak_rss_kb();
        self.conn.stop();
        self.lat.sort();
        self.floods.sort();
        let pct = |v: &[Duration], p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        Results {
            first: self.first,
            p50: pct(&self.lat, 0.50),
            p99: pct(&self.lat, 0.99),
            flood: pct(&self.floods, 0.50),
            rss_kb,
        }
    }
}

/// Both servers side by side: their keystrokes and floods interleave (in
/// alternating order), so a slow phase of the machine falls on both.
fn run_pair(text: &str, keystrokes: usize, floods: usize) -> (Results, Results) {
    let mut floor = Session::open(Server::Floor, text);
    let mut ours = Session::open(Server::Nianbao, text);
    let mut both = |i: usize, step: fn(&mut Session)| {
        let (first, second) = if i.is_multiple_of(2) { (&mut floor, &mut ours) } else { (&mut ours, &mut floor) };
        step(first);
        step(second);
    };
    for i in 0..keystrokes {
        both(i, Session::keystroke);
    }
    for i in 0..floods {
        both(i, Session::flood);
    }
    (floor.finish(), ours.finish())
}

/// The protocol floor: a tower-lsp server that keeps a rope per document and
/// answers every change with an empty `publishDiagnostics`.
mod floor {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use ropey::Rope;
    use tower_lsp::jsonrpc::Result;
    use tower_lsp::lsp_types::*;
    use tower_lsp::{Client, LanguageServer, LspService, Server};

    struct Floor {
        client: Client,
        docs: Mutex<HashMap<Url, Rope>>,
    }

    fn offset(rope: &Rope, p: Position) -> usize {
        let line = (p.line as usize).min(rope.len_lines() - 1);
        let start = rope.line_to_char(line);
        let units = rope.char_to_utf16_cu(start) + p.character as usize;
        rope.utf16_cu_to_char(units.min(rope.len_utf16_cu()))
    }

    #[tower_lsp::async_trait]
    impl LanguageServer for Floor {
        async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
            Ok(InitializeResult {
                capabilities: ServerCapabilities {
                    text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
                    ..Default::default()
                },
                server_info: None,
            })
        }

        async fn shutdown(&self) -> Result<()> {
            Ok(())
        }

        async fn did_open(&self, p: DidOpenTextDocumentParams) {
            let d = p.text_document;
            self.docs.lock().unwrap().insert(d.uri.clone(), Rope::from_str(&d.text));
            self.client.publish_diagnostics(d.uri, Vec::new(), Some(d.version)).await;
        }

        async fn did_change(&self, p: DidChangeTextDocumentParams) {
            {
                let mut docs = self.docs.lock().unwrap();
                let Some(rope) = docs.get_mut(&p.text_document.uri) else { return };
                for ch in &p.content_changes {
                    let Some(r) = ch.range else { continue };
                    let (a, b) = (offset(rope, r.start), offset(rope, r.end));
                    rope.remove(a..b);
                    rope.insert(a, &ch.text);
                }
            }
            let d = p.text_document;
            self.client.publish_diagnostics(d.uri, Vec::new(), Some(d.version)).await;
        }
    }

    pub fn serve() {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (service, socket) = LspService::new(|client| Floor { client, docs: Mutex::new(HashMap::new()) });
            Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
        });
        rt.shutdown_timeout(std::time::Duration::from_millis(10));
    }
}
