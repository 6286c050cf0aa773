//! NB403 in the language server: last year's report of the same body found
//! among the open documents or on disk under the workspace folders, the
//! related location converted to an LSP location in the other file (in the
//! negotiated encoding), and the later year's document analysed again when
//! last year's changes or closes. Reports: 三明市人民政府's real 2023 and 2024
//! reports (`fixtures/cross/`).

mod common;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use common::{caps, Client};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cross").join(name)).unwrap()
}

/// The 2024 report with 上年结转 (自然人) 0 → 2 (line 82, 0-based).
fn bad_2024() -> String {
    let cur = fixture("sanming-2024.txt");
    let at = cur.find("二、上年结转政府信息公开申请数量\r\n0\r\n").unwrap();
    format!("{}{}", &cur[..at], cur[at..].replacen("\r\n0\r\n", "\r\n2\r\n", 1))
}

/// The 2023 report with its 四 row's 自然人 cell written 「　　2」 (two
/// ideographic spaces: 2 UTF-16 units, 6 UTF-8 bytes before the 2).
fn shifted_2023() -> String {
    let prev = fixture("sanming-2023.txt");
    let at = prev.find("四、结转下年度继续办理\r\n0\r\n").unwrap();
    format!("{}{}", &prev[..at], prev[at..].replacen("\r\n0\r\n", "\r\n\u{3000}\u{3000}2\r\n", 1))
}

async fn start(capabilities: Value, root: Option<&Path>) -> Client {
    let mut c = Client::connect(nianbao::rules::analyze_report);
    let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
    if let Some(root) = root {
        let uri = tower_lsp::lsp_types::Url::from_directory_path(root).unwrap().to_string();
        params["workspaceFolders"] = json!([{"uri": uri, "name": "reports"}]);
    }
    let init = c.request("initialize", params).await;
    c.initialize_result = init["result"].clone();
    c.notify("initialized", json!({})).await;
    c
}

fn nb403(diags: &[Value]) -> Vec<Value> {
    diags.iter().filter(|d| d["code"] == "NB403").cloned().collect()
}

fn range(l0: u32, c0: u32, l1: u32, c1: u32) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

/// Waits for a push of `uri` whose NB403 diagnostics satisfy `pred`.
async fn pushed(c: &mut Client, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    loop {
        let p = c.published(uri).await;
        let found = nb403(p["diagnostics"].as_array().unwrap());
        if pred(&found) {
            return found;
        }
    }
}

/// Pulls `uri` until its NB403 diagnostics satisfy `pred` (the workspace
/// scan runs in the background).
async fn pulled(c: &mut Client, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..200 {
        let found = nb403(&c.pull(uri).await);
        if pred(&found) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no such NB403 on {uri}");
}

fn has_warning(found: &[Value]) -> bool {
    found.iter().any(|d| d["severity"] == 2)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_open_documents_push_related_information_into_the_other() {
    let mut c = start(caps::neovim_07(), None).await;
    let (u23, u24) = ("file:///tmp/cross/sanming-2023.txt", "file:///tmp/cross/sanming-2024.txt");
    c.open(u24, "plaintext", 1, &bad_2024()).await;
    c.open(u23, "plaintext", 1, &shifted_2023()).await;
    // Whichever is analysed first, 2024 is published again once 2023 is known.
    // 2 carried out, 2 carried in: only X2 (info) is left.
    let found = pushed(&mut c, u24, |f| f.len() == 1 && !has_warning(f)).await;
    assert_eq!(found[0]["severity"], 3, "{found:#?}");
    assert_eq!(found[0]["relatedInformation"][0]["location"]["uri"], u23);
    // Change 2023's cell back to 0: 2024's 2 no longer matches.
    c.change(u23, 2, json!([{"range": range(372, 0, 372, 3), "text": "0"}])).await;
    let found = pushed(&mut c, u24, has_warning).await;
    let d = found.iter().find(|d| d["severity"] == 2).unwrap();
    assert_eq!(d["range"], range(82, 0, 82, 1));
    assert_eq!(d["data"], json!({"expected": "0", "found": "2"}));
    let rel = &d["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], u23);
    assert_eq!(rel["location"]["range"], range(372, 0, 372, 1));
    assert!(rel["message"].as_str().unwrap().contains("2023年报告"));
    // Closing 2023 leaves 2024 with nothing to compare.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u23}})).await;
    pushed(&mut c, u24, |f| f.is_empty()).await;
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_years_report_on_disk_in_utf16_and_utf8() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sanming-2023.txt"), fixture("sanming-2023.txt")).unwrap();
    let sub = dir.path().join("old");
    std::fs::create_dir(&sub).unwrap();
    // Not text, and not readable as a report: logged and skipped.
    std::fs::write(sub.join("binary.txt"), b"\x00\x01\xff").unwrap();
    std::fs::write(sub.join("empty.md"), b"").unwrap();
    let prev_uri = tower_lsp::lsp_types::Url::from_file_path(dir.path().join("sanming-2023.txt")).unwrap().to_string();
    let u24 = tower_lsp::lsp_types::Url::from_file_path(dir.path().join("sanming-2024.txt")).unwrap().to_string();

    // VS Code: pulls, UTF-16.
    let mut c = start(caps::vscode(), Some(dir.path())).await;
    c.open(&u24, "plaintext", 1, &bad_2024()).await;
    let found = pulled(&mut c, &u24, has_warning).await;
    let d = found.iter().find(|d| d["severity"] == 2).unwrap();
    let rel = &d["relatedInformation"][0]["location"];
    assert_eq!(rel["uri"], prev_uri.as_str());
    assert_eq!(rel["range"], range(372, 0, 372, 1));

    // The file on disk changes (its mtime too): the next scan (on save) reads it again.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(dir.path().join("sanming-2023.txt"), shifted_2023()).unwrap();
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": u24}})).await;
    let found = pulled(&mut c, &u24, |f| !has_warning(f)).await;
    assert_eq!(found.len(), 1, "X2 only: {found:#?}");
    // And back (a scan on open, this time); then deleted: nothing to compare.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(dir.path().join("sanming-2023.txt"), fixture("sanming-2023.txt")).unwrap();
    c.open("file:///tmp/cross/unrelated.txt", "plaintext", 1, "随便写的").await;
    pulled(&mut c, &u24, has_warning).await;
    std::fs::rename(dir.path().join("sanming-2023.txt"), dir.path().join("old/sanming-2023.bak")).unwrap();
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": u24}})).await;
    pulled(&mut c, &u24, |f| f.is_empty()).await;
    std::fs::rename(dir.path().join("old/sanming-2023.bak"), dir.path().join("sanming-2023.txt")).unwrap();
    std::fs::write(dir.path().join("sanming-2023.txt"), shifted_2023()).unwrap();
    c.shutdown().await;

    // Neovim 0.11: UTF-8 positions, counted in the file on disk.
    let mut c = start(caps::neovim_011(), Some(dir.path())).await;
    let cur = bad_2024().replacen("\r\n2\r\n", "\r\n0\r\n", 1);
    c.open(&u24, "plaintext", 1, &cur).await;
    let found = pulled(&mut c, &u24, has_warning).await;
    let d = found.iter().find(|d| d["severity"] == 2).unwrap();
    assert_eq!(d["relatedInformation"][0]["location"]["range"], range(372, 6, 372, 7));
    c.shutdown().await;

    // And UTF-16 for the same file: two units for two ideographic spaces.
    let mut c = start(caps::neovim_07(), Some(dir.path())).await;
    c.open(&u24, "plaintext", 1, &cur).await;
    let found = pushed(&mut c, &u24, has_warning).await;
    let d = found.iter().find(|d| d["severity"] == 2).unwrap();
    assert_eq!(d["relatedInformation"][0]["location"]["range"], range(372, 2, 372, 3));
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_document_wins_over_its_file_on_disk_and_off_turns_nb403_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sanming-2023.txt");
    std::fs::write(&path, fixture("sanming-2023.txt")).unwrap();
    let prev_uri = tower_lsp::lsp_types::Url::from_file_path(&path).unwrap().to_string();
    let u24 = tower_lsp::lsp_types::Url::from_file_path(dir.path().join("sanming-2024.txt")).unwrap().to_string();
    let mut c = start(caps::vscode(), Some(dir.path())).await;
    c.open(&u24, "plaintext", 1, &bad_2024()).await;
    pulled(&mut c, &u24, has_warning).await;
    // The editor's text of the 2023 file says 2: no mismatch while it is open.
    c.open(&prev_uri, "plaintext", 1, &shifted_2023()).await;
    pulled(&mut c, &u24, |f| !has_warning(f) && f.len() == 1).await;
    // Closed, the disk's 0 counts again.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": prev_uri}})).await;
    pulled(&mut c, &u24, has_warning).await;
    // rules: {NB403: off}.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"nianbao": {"rules": {"NB403": "off"}}}})).await;
    pulled(&mut c, &u24, |f| f.is_empty()).await;
    c.shutdown().await;
}
