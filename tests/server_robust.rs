//! The server survives its own failures and stays responsive: a panic in the
//! analysis is logged and answered and every document is kept; a huge
//! document being analysed does not hold up requests on another.

mod common;

use serde_json::{json, Value};

use common::{caps, codes, fixture, Client, URI};
use nianbao::report::Report;
use nianbao::rules::{analyze_report, Analysis, Config};

/// The real engine, except that it panics on texts holding 💥.
fn fragile(text: &str, report: &Report, config: &Config) -> Analysis {
    assert!(!text.contains('💥'), "injected failure");
    analyze_report(text, report, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_analysis_is_answered_and_the_server_keeps_serving() {
    let mut c = Client::start_with(fragile, caps::vscode(), Value::Null, None).await;
    let text = fixture("rules/NB301-fires.txt");
    let bomb = format!("💥{text}");
    c.open(URI, "nianbao", 1, &bomb).await;
    let r = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}})).await;
    assert_eq!(r["error"]["code"], -32603, "an internal error, not a hang: {r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("injected failure"));
    let hover = json!({"textDocument": {"uri": URI}, "position": {"line": 87, "character": 2}});
    assert_eq!(c.call("textDocument/hover", hover.clone()).await, Value::Null);
    // Other documents are served.
    c.open("file:///tmp/other.txt", "plaintext", 1, &text).await;
    assert_eq!(codes(&c.pull("file:///tmp/other.txt").await), ["NB301"]);
    // The document is kept, edits still apply, and once the trigger is gone
    // the analysis comes back (a full parse: the failed one left no base).
    assert!(c.text(URI).unwrap() == bomb, "the document is kept");
    let end = json!({"line": 0, "character": 2});
    c.change(URI, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": end}, "text": ""}])).await;
    // The pull is answered after the change is applied (handlers start in order).
    assert_eq!(codes(&c.pull(URI).await), ["NB301"]);
    assert!(c.text(URI).unwrap() == text, "the 💥 was deleted");
    assert!(c.call("textDocument/hover", hover).await["contents"].is_object());
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_client_gets_nothing_for_a_failed_version_and_everything_after() {
    let mut c = Client::start_with(fragile, caps::neovim_07(), Value::Null, None).await;
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    assert_eq!(c.published(URI).await["version"], 1);
    let origin = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    c.change(URI, 2, json!([{"range": origin, "text": "💥"}])).await;
    let undo = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 2}});
    c.change(URI, 3, json!([{"range": undo, "text": ""}])).await;
    let p = c.published(URI).await;
    assert_eq!(p["version"], 3, "version 2 failed (or was skipped) and is never published");
    assert_eq!(codes(p["diagnostics"].as_array().unwrap()), ["NB301"]);
    c.shutdown().await;
}

/// A 50 MB report: section 一's paragraphs repeated (product-spec §8's
/// recipe, scaled up).
fn huge_report() -> String {
    let text = fixture("seeds/004_446d20770044734b.txt");
    let start = text.find("一、").unwrap();
    let body_start = start + text[start..].find('\n').unwrap() + 1;
    let end = body_start + text[body_start..].find("二、").unwrap();
    let para = &text[body_start..end];
    let mut out = String::with_capacity(51 << 20);
    out.push_str(&text[..body_start]);
    while out.len() < 50 << 20 {
        out.push_str(para);
    }
    out.push_str(&text[end..]);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hover_elsewhere_is_answered_while_a_50_mb_document_is_analysed() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let big = "file:///tmp/big.txt";
    c.open(big, "nianbao", 1, &huge_report()).await;
    let small = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &small).await;
    let hover = json!({"textDocument": {"uri": URI}, "position": {"line": 87, "character": 2}});
    let id = c.send_request("textDocument/hover", hover).await;
    let answer = c.response(id).await;
    assert!(answer["result"]["contents"].is_object(), "{answer}");
    let code_action = json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 87, "character": 1},
                             "end": {"line": 87, "character": 3}}, "context": {"diagnostics": []}});
    let actions = c.call("textDocument/codeAction", code_action).await;
    assert!(!actions.as_array().unwrap().is_empty());
    // Only now does the big document's analysis finish.
    let p = c.published(big).await;
    assert_eq!(p["version"], 1);
    let position = |pred: &dyn Fn(&Value) -> bool| c.log.iter().position(pred).unwrap();
    let answered = position(&|m| m["id"] == id && m.get("method").is_none());
    let published = position(&|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == big);
    assert!(answered < published, "the hover waited for the 50 MB analysis");
    c.shutdown().await;
}
