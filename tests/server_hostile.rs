//! Hostile protocol input against the running server (issue 6): broken
//! frames, requests out of order, edits to documents that are not open or
//! go back in version, wild ranges, a 100,000-character line, 1,000 open
//! documents, and a cancelled request. After each, the server still
//! answers, and no other document's state is touched.

mod common;

use common::{caps, fixture, Client};
use serde_json::{json, Value};

const OTHER: &str = "file:///tmp/other.txt";

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn open_msg(uri: &str, text: &str) -> String {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
    .to_string()
}

fn error_code(msg: &Value) -> i64 {
    msg["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error: {msg}"))
}

/// The server still answers a request (a full round trip).
async fn alive(c: &mut Client) {
    let r = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": OTHER}})).await;
    assert!(r.get("error").is_none(), "{r}");
}

#[tokio::test]
async fn broken_frames_are_answered_or_skipped_and_reading_goes_on() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let seed = fixture("seeds/004_446d20770044734b.txt");
    c.open(OTHER, "plaintext", 1, &seed).await;

    // Malformed JSON: -32700 with id null.
    c.send_raw(&frame(r#"{"jsonrpc": "2.0", "id": 77, "method": "#)).await;
    let err = c.wait_for(|m| m.get("error").is_some()).await;
    assert_eq!((error_code(&err), &err["id"]), (-32700, &Value::Null), "{err}");
    // Valid JSON that is no message: -32600, with its id when it has one.
    c.send_raw(&frame(r#"{"id": 78, "method": "textDocument/hover"}"#)).await;
    let err = c.wait_for(|m| m.get("error").is_some()).await;
    assert_eq!((error_code(&err), &err["id"]), (-32600, &json!(78)), "{err}");

    // A header line that is none, a length that is none, a body sent
    // without its length, a length too short and one too long: each is
    // skipped up to the next frame, which is read.
    let mut junk = b"Hello there\r\n".to_vec();
    junk.extend(frame(&open_msg("file:///tmp/a.txt", "甲")));
    junk.extend(b"Content-Length: many\r\n\r\n");
    junk.extend(frame(&open_msg("file:///tmp/b.txt", "乙")));
    junk.extend(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
    junk.extend(open_msg("file:///tmp/lost.txt", "丢").as_bytes());
    junk.extend(frame(&open_msg("file:///tmp/c.txt", "丙")));
    let short = open_msg("file:///tmp/short.txt", "短");
    junk.extend(format!("Content-Length: 20\r\n\r\n{short}").as_bytes());
    junk.extend(frame(&open_msg("file:///tmp/d.txt", "丁")));
    c.send_raw(&junk).await;
    // A length too long swallows the start of the next frame; the one
    // after it is read.
    let long = open_msg("file:///tmp/long.txt", "长");
    let mut junk = format!("Content-Length: {}\r\n\r\n{long}", long.len() + 30).into_bytes();
    junk.extend(frame(&open_msg("file:///tmp/eaten.txt", "吞")));
    junk.extend(frame(&open_msg("file:///tmp/e.txt", "戊")));
    c.send_raw(&junk).await;

    alive(&mut c).await;
    for (name, text) in [("a", "甲"), ("b", "乙"), ("c", "丙"), ("d", "丁"), ("e", "戊")] {
        assert_eq!(c.text(&format!("file:///tmp/{name}.txt")).as_deref(), Some(text), "{name}");
    }
    for lost in ["lost", "short", "long", "eaten"] {
        assert_eq!(c.text(&format!("file:///tmp/{lost}.txt")), None, "{lost}");
    }
    // The cut frames were answered as parse errors.
    let parse_errors = c.log.iter().filter(|m| m["error"]["code"] == -32700).count();
    assert!(parse_errors >= 3, "{parse_errors} parse errors in {:?}", c.log);
    assert_eq!(c.text(OTHER).as_deref(), Some(seed.as_str()), "the open report was not touched");
    c.shutdown().await;
}

#[tokio::test]
async fn requests_before_initialize_are_refused_then_served() {
    let mut c = Client::connect(nianbao::rules::analyze_report);
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": OTHER},
        "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(error_code(&r), -32002, "ServerNotInitialized: {r}");
    let init = c.request("initialize", json!({"capabilities": {}})).await;
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    c.notify("initialized", json!({})).await;
    alive(&mut c).await;
    c.shutdown().await;
}

#[tokio::test]
async fn edits_to_closed_documents_old_versions_and_wild_ranges() {
    let mut c = Client::start(caps::push_utf8(), Value::Null, None).await;
    let seed = fixture("seeds/004_446d20770044734b.txt");
    c.open(OTHER, "plaintext", 1, &seed).await;
    c.published_version(OTHER, 1).await;

    // A document never opened: ignored (and logged).
    let change = json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                         "text": "X"}]);
    c.change("file:///tmp/never.txt", 2, change.clone()).await;
    alive(&mut c).await;
    assert_eq!(c.text("file:///tmp/never.txt"), None);

    let uri = "file:///tmp/mine.txt";
    c.open(uri, "plaintext", 5, "第一行\n第二行").await;
    // A version going backwards is applied (and logged), and published.
    c.change(uri, 3, change).await;
    c.published_version(uri, 3).await;
    assert_eq!(c.text(uri).as_deref(), Some("X第一行\n第二行"));
    // Past the end of a line, past the end of the document, reversed (UTF-8:
    // character 3 of line 1 is after its first Chinese character).
    let edits = json!([
        {"range": {"start": {"line": 0, "character": 999}, "end": {"line": 0, "character": 999}}, "text": "!"},
        {"range": {"start": {"line": 99, "character": 0}, "end": {"line": 120, "character": 5}}, "text": "?"},
        {"range": {"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 0}}, "text": ""}
    ]);
    c.change(uri, 4, edits).await;
    c.published_version(uri, 4).await;
    assert_eq!(c.text(uri).as_deref(), Some("X第一行!\n二行?"));
    assert_eq!(c.text(OTHER).as_deref(), Some(seed.as_str()), "the other document was not touched");
    c.shutdown().await;
}

#[tokio::test]
async fn a_line_of_100000_characters() {
    let mut c = Client::start(caps::vscode(), Value::Null, None).await;
    let seed = fixture("seeds/004_446d20770044734b.txt");
    let two = seed.find("二、主动公开").expect("section 二");
    let at = seed[..two].rfind('\n').expect("a line before it") + 1;
    let long: String = "政务公开".repeat(25_000);
    let text = format!("{}{long}\n{}", &seed[..at], &seed[at..]);
    let line = seed[..at].matches('\n').count() as u32;
    c.open(common::URI, "plaintext", 1, &text).await;
    let before = c.pull(common::URI).await;
    // Type in the middle and at the end of the line (UTF-16: one unit per character).
    for (v, ch) in [(2, 50_000), (3, 100_002), (4, 100_004)] {
        let p = json!({"line": line, "character": ch});
        c.change(common::URI, v, json!([{"range": {"start": p, "end": p}, "text": "𠮷"}])).await;
    }
    let expected = format!("{}{}𠮷{}𠮷𠮷\n{}", &seed[..at], &long[..150_000], &long[150_000..], &seed[at..]);
    // (The pull is answered after the edits before it are applied.)
    assert_eq!(c.pull(common::URI).await, before, "the same diagnostics, moved nowhere");
    assert!(c.text(common::URI).as_deref() == Some(expected.as_str()), "the text after typing on the long line");
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": common::URI},
        "position": {"line": line, "character": 99_999}}),
        )
        .await;
    assert!(hover.get("error").is_none(), "{hover}");
    c.shutdown().await;
}

#[tokio::test]
async fn a_thousand_documents_open_at_once() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let seed = fixture("seeds/004_446d20770044734b.txt");
    let uri = |i: usize| format!("file:///tmp/many/{i:04}.txt");
    let mut burst = Vec::new();
    for i in 0..1000 {
        burst.extend(frame(&open_msg(&uri(i), &format!("{i}\n{seed}"))));
    }
    c.send_raw(&burst).await;
    for i in 0..1000 {
        let d = c.published(&uri(i)).await;
        assert!(!d["diagnostics"].as_array().unwrap().is_empty(), "{i}: {d}");
    }
    assert_eq!(c.state.open_documents().len(), 1000);
    // An edit to one touches no other.
    let p = json!({"line": 0, "character": 0});
    c.change(&uri(500), 2, json!([{"range": {"start": p, "end": p}, "text": "改"}])).await;
    c.published_version(&uri(500), 2).await;
    for i in [0, 499, 501, 999] {
        assert_eq!(c.text(&uri(i)), Some(format!("{i}\n{seed}")), "{i}");
    }
    assert!(c.text(&uri(500)).unwrap().starts_with("改500\n"));
    c.shutdown().await;
}

/// An analysis that takes its time on documents that ask for it.
fn slow(text: &str, report: &nianbao::report::Report, config: &nianbao::Config) -> nianbao::rules::Analysis {
    if text.contains("请慢慢分析") {
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
    nianbao::rules::analyze_report(text, report, config)
}

#[tokio::test]
async fn a_cancelled_request_is_answered_as_cancelled() {
    let mut c = Client::start_with(slow, caps::neovim_07(), Value::Null, None).await;
    // Big enough to be analysed on the blocking pool.
    let text = format!("请慢慢分析\n{}", fixture("seeds/004_446d20770044734b.txt").repeat(12));
    c.open(common::URI, "plaintext", 1, &text).await;
    let id = c
        .send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": common::URI},
            "position": {"line": 0, "character": 0}}),
        )
        .await;
    c.notify("$/cancelRequest", json!({"id": id})).await;
    let r = c.response(id).await;
    assert_eq!(error_code(&r), -32800, "RequestCancelled: {r}");
    // Answered before the analysis it was waiting for finished.
    assert!(!c.log.iter().any(|m| m["method"] == "textDocument/publishDiagnostics"), "{:?}", c.log);
    c.published_version(common::URI, 1).await;
    alive(&mut c).await;
    c.shutdown().await;
}
