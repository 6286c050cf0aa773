//! End-to-end tests of `nianbao lsp` through the real tower-lsp `Server`, in
//! process over `tokio::io::duplex`: the lifecycle, push and pull clients,
//! the code-action ladder, hover, outline, folding, inlay hints, settings,
//! position encodings, and what happens to bad requests.

mod common;

use serde_json::{json, Value};

use common::{action_edits, apply_lsp_edits, caps, codes, fixture, lsp_pos, lsp_range, Client, URI};

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(l0: u32, c0: u32, l1: u32, c1: u32) -> Value {
    json!({"start": pos(l0, c0), "end": pos(l1, c1)})
}

fn doc(uri: &str) -> Value {
    json!({"uri": uri})
}

async fn code_actions(c: &mut Client, uri: &str, r: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    let res =
        c.call("textDocument/codeAction", json!({"textDocument": doc(uri), "range": r, "context": context})).await;
    res.as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_of_a_push_client() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let init = c.initialize_result.clone();
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(init["serverInfo"]["name"], "nianbao");

    // NB301-fires: 「一、本年新收…」 total 12 where its parts sum to 11 (line 88, 「12」).
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    let p = c.published(URI).await;
    assert_eq!(p["version"], 1);
    let diags = p["diagnostics"].as_array().unwrap().clone();
    assert_eq!(codes(&diags), ["NB301"]);
    let d = &diags[0];
    assert_eq!(d["range"], range(87, 1, 87, 3));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "nianbao");
    assert!(d["message"].as_str().unwrap().contains("总计应为 11"), "zh by default: {d}");
    assert_eq!(d["data"], json!({"expected": "11", "found": "12"}));
    assert_eq!(d["relatedInformation"].as_array().unwrap().len(), 6, "the summed cells");

    // The ladder: this cell (preferred), this table, the document.
    let actions = code_actions(&mut c, URI, range(87, 2, 87, 2), None).await;
    let kinds: Vec<&str> = actions.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["quickfix", "quickfix", "source.fixAll.nianbao"], "{actions:#?}");
    assert_eq!(actions[0]["isPreferred"], true);
    assert!(actions[1].get("isPreferred").is_none());
    assert_eq!(actions[0]["diagnostics"][0]["code"], "NB301");
    // Neovim 0.7 declares no documentChanges: plain `changes`.
    assert!(actions[0]["edit"]["changes"].is_object());
    let edits = action_edits(&actions[0], URI);
    assert_eq!(edits, vec![json!({"range": range(87, 1, 87, 3), "newText": "11"})]);

    // Apply it as an editor would, and see the problem go.
    c.change(URI, 2, json!([{"range": range(87, 1, 87, 3), "text": "11"}])).await;
    let p = c.published_version(URI, 2).await;
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(c.text(URI).unwrap(), apply_lsp_edits(&text, &edits, "utf-16"));

    // Hover on the total: its row × column path and the relation.
    let h = c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": pos(87, 2)})).await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("一、本年新收政府信息公开申请数量 × 申请人情况·总计"), "{md}");
    assert!(md.contains("NB301：计算值 11 = 自然人 11 + 商业企业 0"), "{md}");
    assert_eq!(h["range"], range(87, 1, 87, 3));
    // …and on a part.
    let h = c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": pos(81, 1)})).await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("计入「总计」（NB301，计算值 11）"), "{md}");
    assert!(md.contains("NB303"), "{md}");
    // …on a heading: what the section must contain.
    let h =
        c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": heading_pos(&text, "三、")})).await;
    assert!(
        h["contents"]["value"].as_str().unwrap().contains("本节应包含：收到和处理政府信息公开申请情况统计表"),
        "{h}"
    );
    // …on prose: nothing.
    let h = c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": pos(0, 0)})).await;
    assert_eq!(h, Value::Null);

    // The outline: six sections, the tables inside theirs.
    let syms = c.call("textDocument/documentSymbol", json!({"textDocument": doc(URI)})).await;
    let names: Vec<&str> = syms.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names[2].starts_with("三、收到和处理政府信息公开申请情况"), "{names:?}");
    let t3 = &syms[2]["children"][0];
    assert_eq!(t3["name"], "收到和处理政府信息公开申请情况表");
    assert_eq!(syms[1]["children"].as_array().unwrap().len(), 4, "section 二's four tables");

    let folds = c.call("textDocument/foldingRange", json!({"textDocument": doc(URI)})).await;
    let folds = folds.as_array().unwrap();
    assert!(folds.len() >= 6 + 6, "sections and tables: {folds:?}");
    assert!(folds.iter().any(|f| f["startLine"] == syms[2]["range"]["start"]["line"]));

    // Inlay hints: none while every total agrees ("mismatch" is the default).
    let all = range(0, 0, 400, 0);
    let hints = c.call("textDocument/inlayHint", json!({"textDocument": doc(URI), "range": all})).await;
    assert_eq!(hints, json!([]));
    c.change(URI, 3, json!([{"range": range(87, 1, 87, 3), "text": "13"}])).await;
    c.published_version(URI, 3).await;
    let hints = c.call("textDocument/inlayHint", json!({"textDocument": doc(URI), "range": all})).await;
    assert_eq!(hints.as_array().unwrap().len(), 1, "{hints}");
    assert_eq!(hints[0]["label"], "应为 11");
    assert_eq!(hints[0]["position"], pos(87, 3));

    // Closing clears what was published.
    c.notify("textDocument/didClose", json!({"textDocument": doc(URI)})).await;
    let p = c.published(URI).await;
    assert_eq!(p["diagnostics"], json!([]));
    assert!(c.text(URI).is_none());
    c.shutdown().await;
}

/// The position of the first line starting with `prefix`.
fn heading_pos(text: &str, prefix: &str) -> Value {
    let line = nianbao::report::split_lines(text).iter().position(|l| l.range.slice(text).starts_with(prefix)).unwrap();
    pos(line as u32, 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_client_is_never_pushed_to() {
    let mut c = Client::start(caps::vscode(), Value::Null, None).await;
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "plaintext", 1, &text).await;
    let items = c.pull(URI).await;
    assert_eq!(codes(&items), ["NB301"]);
    // The same result id means unchanged.
    let r = c.call("textDocument/diagnostic", json!({"textDocument": doc(URI)})).await;
    let id = r["resultId"].clone();
    let r = c.call("textDocument/diagnostic", json!({"textDocument": doc(URI), "previousResultId": id})).await;
    assert_eq!(r["kind"], "unchanged");
    // VS Code declares documentChanges: versioned edits.
    let actions = code_actions(&mut c, URI, range(87, 1, 87, 3), None).await;
    let dc = &actions[0]["edit"]["documentChanges"][0];
    assert_eq!(dc["textDocument"], json!({"uri": URI, "version": 1}));
    c.change(URI, 2, json!([{"range": range(87, 1, 87, 3), "text": "11"}])).await;
    assert_eq!(c.pull(URI).await, Vec::<Value>::new());
    c.notify("textDocument/didClose", json!({"textDocument": doc(URI)})).await;
    // A barrier: by the time this answers, any push would have been sent.
    c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": pos(0, 0)})).await;
    let pushed = c.log.iter().filter(|m| m["method"] == "textDocument/publishDiagnostics").count();
    assert_eq!(pushed, 0, "a pull client must not get pushed diagnostics");
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_on_save_with_no_diagnostics_in_the_request() {
    let mut c = Client::start(caps::vscode(), Value::Null, None).await;
    // Break two totals in different tables.
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    let only = Some(json!(["source.fixAll"]));
    let actions = code_actions(&mut c, URI, range(0, 0, 0, 0), only).await;
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.nianbao");
    let fixed = apply_lsp_edits(&text, &action_edits(&actions[0], URI), "utf-16");
    assert_eq!(nianbao::analyze(&fixed, &Default::default()).diagnostics, vec![]);
    // Asking for quick fixes only leaves the fix-all out.
    let actions = code_actions(&mut c, URI, range(87, 1, 87, 3), Some(json!(["quickfix"]))).await;
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"), "{actions:#?}");
    assert_eq!(actions.len(), 2);
    // `source` covers `source.fixAll.nianbao`; `refactor` covers nothing.
    assert_eq!(code_actions(&mut c, URI, range(0, 0, 0, 0), Some(json!(["source"]))).await.len(), 1);
    assert_eq!(code_actions(&mut c, URI, range(87, 1, 87, 3), Some(json!(["refactor"]))).await.len(), 0);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nb303_secondary_action_comes_last() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let text = fixture("rules/NB303-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    let p = c.published(URI).await;
    let diags = p["diagnostics"].as_array().unwrap().clone();
    let d = diags.iter().find(|d| d["code"] == "NB303").expect("NB303 fires");
    let actions = code_actions(&mut c, URI, d["range"].clone(), None).await;
    let last = actions.last().unwrap();
    assert!(last["title"].as_str().unwrap().contains("一 + 二 − （七）"), "{actions:#?}");
    assert_eq!(last["kind"], "quickfix");
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insertions_are_offered_as_quick_fixes() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    for (i, code) in ["NB101", "NB201", "NB202", "NB205"].iter().enumerate() {
        let uri = format!("file:///tmp/{code}.txt");
        let text = fixture(&format!("rules/{code}-fires.txt"));
        c.open(&uri, "plaintext", 1, &text).await;
        let p = c.published(&uri).await;
        let diags = p["diagnostics"].as_array().unwrap().clone();
        let d = diags.iter().find(|d| d["code"] == *code).unwrap_or_else(|| panic!("{code} fires: {diags:?}"));
        let actions = code_actions(&mut c, &uri, d["range"].clone(), Some(json!(["quickfix"]))).await;
        assert!(!actions.is_empty(), "{code} offers a fix");
        let fixed = apply_lsp_edits(&text, &action_edits(&actions[0], &uri), "utf-16");
        c.change(&uri, 2, json!([{"text": fixed}])).await;
        let p = c.published_version(&uri, 2).await;
        let after = codes(p["diagnostics"].as_array().unwrap());
        let before = codes(&diags).iter().filter(|x| *x == code).count();
        let now = after.iter().filter(|x| *x == code).count();
        assert!(now < before, "#{i} {code}: {before} → {now} after applying 「{}」", actions[0]["title"]);
    }
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_initialization_options_and_changes() {
    let opts = json!({"locale": "en", "rules": {"NB301": "warning"}, "inlayHints": "all"});
    let mut c = Client::start(caps::neovim_07(), opts, Some("zh-CN")).await;
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    let p = c.published(URI).await;
    let d = &p["diagnostics"][0];
    assert_eq!(d["severity"], 2, "NB301 set to warning");
    assert!(d["message"].as_str().unwrap().contains("should be 11"), "English on request: {d}");
    let hints = c.call("textDocument/inlayHint", json!({"textDocument": doc(URI), "range": range(0, 0, 400, 0)})).await;
    assert!(hints.as_array().unwrap().len() > 20, "every derived cell with inlayHints=all");
    assert!(hints.as_array().unwrap().iter().any(|h| h["label"] == "should be 11"));

    // VS Code's shape; the documents are re-checked at once.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"nianbao": {"rules": {"NB301": "off"}}}})).await;
    let p = c.published(URI).await;
    assert_eq!(p["diagnostics"], json!([]), "NB301 off");
    // Bare shape; locale back to the client's (zh-CN).
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"inlayHints": "off"}})).await;
    let p = c.published(URI).await;
    assert!(p["diagnostics"][0]["message"].as_str().unwrap().contains("总计应为 11"));
    let hints = c.call("textDocument/inlayHint", json!({"textDocument": doc(URI), "range": range(0, 0, 400, 0)})).await;
    assert_eq!(hints, json!([]));
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_pulled_when_the_notification_carries_none() {
    let mut c = Client::start(caps::vscode(), Value::Null, Some("en-US")).await;
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    let items = c.pull(URI).await;
    assert!(items[0]["message"].as_str().unwrap().contains("should be"), "InitializeParams.locale en-US");
    c.configuration = json!({"locale": "zh-CN", "amountDecimals": 2});
    c.notify("workspace/didChangeConfiguration", json!({"settings": null})).await;
    // The server asks for the settings, then asks the client to pull again.
    let ask = c.wait_for(|m| m["method"] == "workspace/configuration").await;
    assert_eq!(ask["params"]["items"][0]["section"], "nianbao");
    c.wait_for(|m| m["method"] == "workspace/diagnostic/refresh").await;
    let items = c.pull(URI).await;
    assert_eq!(codes(&items), ["NB208", "NB301"], "amountDecimals 2 now asks for 2 decimals");
    assert!(items[1]["message"].as_str().unwrap().contains("总计应为"), "{items:?}");
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_reports_are_checked_unless_the_language_is_nianbao() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let notes = "会议纪要\n一、参会人员\n二、议题\n合计 3 项，实为 2 项。\n";
    c.open("file:///tmp/notes.md", "markdown", 1, notes).await;
    let p = c.published("file:///tmp/notes.md").await;
    assert_eq!(p["diagnostics"], json!([]));
    let syms = c.call("textDocument/documentSymbol", json!({"textDocument": doc("file:///tmp/notes.md")})).await;
    assert_eq!(syms, Value::Null, "silent on ordinary text");
    c.open("file:///tmp/notes.nianbao.txt", "nianbao", 1, notes).await;
    let p = c.published("file:///tmp/notes.nianbao.txt").await;
    assert!(!p["diagnostics"].as_array().unwrap().is_empty(), "language id nianbao is always checked");
    // A plaintext document that becomes a report as it is typed.
    c.open("file:///tmp/grow.txt", "plaintext", 1, "").await;
    assert_eq!(c.published("file:///tmp/grow.txt").await["diagnostics"], json!([]));
    let report = fixture("rules/NB301-fires.txt");
    c.change("file:///tmp/grow.txt", 2, json!([{"range": range(0, 0, 0, 0), "text": report}])).await;
    let p = c.published_version("file:///tmp/grow.txt", 2).await;
    assert_eq!(codes(p["diagnostics"].as_array().unwrap()), ["NB301"]);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_and_wild_positions_are_answered() {
    let mut c = Client::start(caps::vscode(), Value::Null, None).await;
    let nowhere = "file:///tmp/never-opened.txt";
    let p = json!({"textDocument": doc(nowhere), "position": pos(3, 4)});
    assert_eq!(c.call("textDocument/hover", p).await, Value::Null);
    assert_eq!(c.pull(nowhere).await, Vec::<Value>::new());
    assert_eq!(code_actions(&mut c, nowhere, range(0, 0, 1, 0), None).await, Vec::<Value>::new());
    assert_eq!(c.call("textDocument/documentSymbol", json!({"textDocument": doc(nowhere)})).await, Value::Null);
    // A change to a document never opened is ignored, and nothing else moves.
    c.change(nowhere, 2, json!([{"range": range(0, 0, 0, 0), "text": "x"}])).await;
    let text = fixture("rules/NB301-fires.txt");
    c.open(URI, "nianbao", 1, &text).await;
    // Positions past the end of a line or the document are clamped.
    let far = json!({"textDocument": doc(URI), "position": pos(87, 9999)});
    let h = c.call("textDocument/hover", far).await;
    assert_eq!(h["range"], range(87, 1, 87, 3), "clamped to the end of the line, which ends the cell");
    let h = c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": pos(99999, 5)})).await;
    assert_eq!(h, Value::Null);
    assert_eq!(code_actions(&mut c, URI, range(99999, 0, 99999, 9), None).await.len(), 0);
    // An edit past the end appends; a version that goes backwards is applied (and logged).
    c.change(URI, 0, json!([{"range": range(99999, 0, 99999, 9), "text": "\n（完）"}])).await;
    assert_eq!(c.pull(URI).await.len(), 1);
    assert!(c.text(URI).unwrap().ends_with("\n（完）"));
    assert_eq!(c.state.open_documents().len(), 1);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_in_both_encodings_with_astral_characters_and_every_line_end() {
    for (client_caps, enc) in [(caps::push_utf8(), "utf-8"), (caps::neovim_07(), "utf-16")] {
        for eol in ["\n", "\r\n", "\r"] {
            let mut c = Client::start(client_caps.clone(), Value::Null, None).await;
            let init = c.initialize_result.clone();
            assert_eq!(init["capabilities"]["positionEncoding"], enc);
            let case = format!("{enc} {eol:?}");

            // Prose: 「35」 in a paragraph that starts with 𠮷𠮷 (NB401).
            let base = fixture("rules/NB401-fires.txt").replace("2023 年，示范区", "𠮷𠮷2023 年，示范区");
            let text = base.replace('\n', eol);
            let uri = "file:///tmp/prose.txt";
            c.open(uri, "plaintext", 1, &text).await;
            let p = c.published(uri).await;
            let at = text.find("35 件").unwrap();
            assert_eq!(p["diagnostics"][0]["code"], "NB401", "{case}");
            assert_eq!(p["diagnostics"][0]["range"], lsp_range(&text, at, at + 2, enc), "{case}");

            // An edit between the two 𠮷, and one after them, in the client's encoding.
            let mid = text.find("𠮷").unwrap() + "𠮷".len();
            let here = lsp_pos(&text, mid, enc);
            let after = lsp_range(&text, at, at + 2, enc);
            c.change(
                uri,
                2,
                json!([{"range": after, "text": "34"}, {"range": {"start": here, "end": here}, "text": "中"}]),
            )
            .await;
            let expected = text.replacen("35 件", "34 件", 1).replacen("𠮷𠮷", "𠮷中𠮷", 1);
            let p = c.published_version(uri, 2).await;
            assert_eq!(c.text(uri).unwrap(), expected, "{case}");
            // 34 agrees with the table; what is left is seed 002's NB106 (its 五 never mentions last year).
            let codes: Vec<&Value> = p["diagnostics"].as_array().unwrap().iter().map(|d| &d["code"]).collect();
            assert_eq!(codes, [&json!("NB106")], "{case}: 34 agrees with the table");

            // Hover on a heading after 𠮷: its range ends after the 𠮷.
            let text = fixture("rules/NB301-fires.txt").replace("一、总体情况", "一、总体情况𠮷").replace('\n', eol);
            c.open(URI, "nianbao", 1, &text).await;
            let p = c.published(URI).await;
            let h_start = text.find("一、总体情况𠮷").unwrap();
            let h_end = h_start + "一、总体情况𠮷".len();
            let hover_at = lsp_pos(&text, h_end, enc);
            let h = c.call("textDocument/hover", json!({"textDocument": doc(URI), "position": hover_at})).await;
            assert_eq!(h["range"], lsp_range(&text, h_start, h_end, enc), "{case}: {h}");

            // The NB301 quick fix lands on the right line whatever the line ends.
            let d = &p["diagnostics"][0];
            let twelve =
                text.match_indices("\t12").map(|(i, _)| i + 1).find(|&i| lsp_pos(&text, i, enc) == d["range"]["start"]);
            let twelve = twelve.unwrap_or_else(|| panic!("{case}: NB301 at {} is not on a 「12」 cell", d["range"]));
            assert_eq!(d["range"], lsp_range(&text, twelve, twelve + 2, enc));
            let actions = code_actions(&mut c, URI, d["range"].clone(), None).await;
            let fixed = apply_lsp_edits(&text, &action_edits(&actions[0], URI), enc);
            assert_eq!(fixed, format!("{}11{}", &text[..twelve], &text[twelve + 2..]), "{case}");
            c.shutdown().await;
        }
    }
}
