//! A minimal LSP client for end-to-end tests: it drives the real tower-lsp
//! server (`nianbao::server::serve`, the loop `nianbao lsp` runs) in process over `tokio::io::duplex`, with Content-Length frames
//! (after typos-lsp's tests/common), answers the server's own requests, and
//! keeps every notification it receives for later assertions.

#![allow(dead_code)] // Each test binary uses part of it.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};

use nianbao::server::{AnalyzeFn, State};

pub const URI: &str = "file:///tmp/report.nianbao.txt";

pub fn fixture(path: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Capabilities in the shape of the editors we serve.
pub mod caps {
    use serde_json::{json, Value};

    /// VS Code: pulls diagnostics, UTF-16 only, versioned workspace edits.
    pub fn vscode() -> Value {
        json!({
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false},
                             "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
                             "codeAction": {"isPreferredSupport": true}},
            "workspace": {"workspaceEdit": {"documentChanges": true}, "configuration": true,
                          "diagnostics": {"refreshSupport": true}, "inlayHint": {"refreshSupport": true}}
        })
    }

    /// Neovim 0.11: offers UTF-8, and pulls too.
    pub fn neovim_011() -> Value {
        json!({
            "general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false},
                             "publishDiagnostics": {"relatedInformation": true}},
            "workspace": {"workspaceEdit": {"documentChanges": true}, "configuration": true}
        })
    }

    /// Neovim 0.7: push only, no positionEncodings (so UTF-16).
    pub fn neovim_07() -> Value {
        json!({
            "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
            "workspace": {"workspaceEdit": {"documentChanges": false}}
        })
    }

    /// A push client that offers UTF-8 (Helix-like).
    pub fn push_utf8() -> Value {
        json!({
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
        })
    }
}

pub struct Client {
    write: WriteHalf<DuplexStream>,
    incoming: tokio::sync::mpsc::UnboundedReceiver<Value>,
    /// Messages received but not yet consumed, in arrival order.
    pub queue: VecDeque<Value>,
    /// Every message received, in arrival order (for ordering assertions).
    pub log: Vec<Value>,
    next_id: i64,
    pub state: Arc<State>,
    /// What to answer `workspace/configuration` with.
    pub configuration: Value,
    pub initialize_result: Value,
}

async fn read_frame(r: &mut BufReader<ReadHalf<DuplexStream>>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("the server sent invalid JSON"))
}

impl Client {
    pub async fn start(capabilities: Value, options: Value, locale: Option<&str>) -> Client {
        Client::start_with(nianbao::rules::analyze_report, capabilities, options, locale).await
    }

    pub async fn start_with(analyze: AnalyzeFn, capabilities: Value, options: Value, locale: Option<&str>) -> Client {
        let mut c = Client::connect(analyze);
        let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        if let Some(l) = locale {
            params["locale"] = json!(l);
        }
        let init = c.request("initialize", params).await;
        assert!(init.get("result").is_some(), "initialize failed: {init}");
        c.initialize_result = init["result"].clone();
        c.notify("initialized", json!({})).await;
        c
    }

    /// A connection to a fresh server, not yet initialised.
    pub fn connect(analyze: AnalyzeFn) -> Client {
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_io);
        let (service, socket, state) = nianbao::server::service(analyze);
        tokio::spawn(nianbao::server::serve(server_read, server_write, service, socket));
        let (read, write) = tokio::io::split(client_io);
        let (tx, incoming) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut r = BufReader::new(read);
            while let Some(v) = read_frame(&mut r).await {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            write,
            incoming,
            queue: VecDeque::new(),
            log: Vec::new(),
            next_id: 1,
            state,
            configuration: Value::Null,
            initialize_result: Value::Null,
        }
    }

    /// Writes bytes as they are: broken frames for the hostile-input tests.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
        self.write.flush().await.unwrap();
    }

    pub async fn send(&mut self, msg: Value) {
        let body = serde_json::to_vec(&msg).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.write.write_all(&frame).await.unwrap();
        self.write.flush().await.unwrap();
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Sends a request and returns its id, without waiting for the answer.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        id
    }

    /// Sends a request and waits for its response (the whole message).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params).await;
        self.response(id).await
    }

    /// The `result` of a request that must succeed.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    pub async fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none()).await
    }

    /// Receives one message, answering the server's requests on the way.
    async fn receive(&mut self) -> Value {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(120), self.incoming.recv())
            .await
            .expect("no message from the server for 120 s")
            .expect("the server closed the connection");
        self.log.push(msg.clone());
        if let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str)) {
            let result = match method {
                "workspace/configuration" => json!([self.configuration.clone()]),
                _ => Value::Null,
            };
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
            self.send(reply).await;
        }
        msg
    }

    /// Waits for the first message (queued or new) that `pred` accepts and
    /// removes it from the queue.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.queue.iter().position(&pred) {
            return self.queue.remove(i).unwrap();
        }
        loop {
            let m = self.receive().await;
            if pred(&m) {
                return m;
            }
            self.queue.push_back(m);
        }
    }

    /// The next `publishDiagnostics` for `uri`.
    pub async fn published(&mut self, uri: &str) -> Value {
        let m = self
            .wait_for(|m| {
                m.get("method") == Some(&json!("textDocument/publishDiagnostics")) && m["params"]["uri"] == json!(uri)
            })
            .await;
        m["params"].clone()
    }

    /// The `publishDiagnostics` for `uri` at `version`, skipping older ones.
    pub async fn published_version(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let p = self.published(uri).await;
            if p["version"] == json!(version) {
                return p;
            }
            assert!(p["version"].as_i64().is_some_and(|v| v < version), "published {} after {version}", p["version"]);
        }
    }

    pub async fn open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    /// Pull diagnostics (`textDocument/diagnostic`): the items.
    pub async fn pull(&mut self, uri: &str) -> Vec<Value> {
        let r = self.call("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).await;
        assert_eq!(r["kind"], "full", "{r}");
        r["items"].as_array().unwrap().clone()
    }

    pub async fn shutdown(mut self) {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"})).await;
        let r = self.response(id).await;
        assert_eq!(r["result"], Value::Null, "{r}");
        self.send(json!({"jsonrpc": "2.0", "method": "exit"})).await;
        assert!(self.state.shut_down_cleanly());
    }

    pub fn text(&self, uri: &str) -> Option<String> {
        self.state.text(&uri.parse().unwrap())
    }
}

/// Codes of a list of LSP diagnostics.
pub fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or("?").to_string()).collect()
}

/// Applies LSP text edits (all against the same text) to `text`, with
/// positions in `enc` ("utf-8" or "utf-16").
pub fn apply_lsp_edits(text: &str, edits: &[Value], enc: &str) -> String {
    let index = nianbao::text::LineIndex::new(text);
    let enc =
        if enc == "utf-8" { nianbao::text::PositionEncoding::Utf8 } else { nianbao::text::PositionEncoding::Utf16 };
    let offset = |p: &Value| {
        let lc = nianbao::text::LineCol {
            line: p["line"].as_u64().unwrap() as u32,
            col: p["character"].as_u64().unwrap() as u32,
        };
        index.offset(text, lc, enc)
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

/// The edits of a code action's `WorkspaceEdit` for `uri`, in either shape.
pub fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .filter(|d| d["textDocument"]["uri"] == json!(uri))
            .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// An LSP position computed independently of the server: lines end at
/// `\r\n`, `\r` or `\n`; columns count bytes ("utf-8") or UTF-16 units.
pub fn lsp_pos(text: &str, offset: usize, enc: &str) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.replace("\r\n", "\n").chars().filter(|&c| c == '\n' || c == '\r').count();
    let seg = &text[line_start..offset];
    let col = if enc == "utf-8" { seg.len() } else { seg.encode_utf16().count() };
    json!({"line": line, "character": col})
}

pub fn lsp_range(text: &str, start: usize, end: usize, enc: &str) -> Value {
    json!({"start": lsp_pos(text, start, enc), "end": lsp_pos(text, end, enc)})
}
