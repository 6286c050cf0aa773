//! Incremental sync under load: thousands of edits sent back to back must
//! leave the server with exactly the client's text, and with the diagnostics
//! a fresh open of that text gets; publishes come once per version, in
//! order, and never for a superseded version.

mod common;

use serde_json::{json, Value};

use common::{caps, fixture, lsp_pos, Client};

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    // Never split a CRLF: the client's positions could not name that point.
    if i > 0 && s.as_bytes()[i - 1] == b'\r' && s.as_bytes().get(i) == Some(&b'\n') {
        i -= 1;
    }
    i
}

const INSERTS: &[&str] = &[
    "中",
    "政府信息公开",
    "𠮷",
    "12",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "三、",
    "（七）总计",
    "𠮷𠮷文",
    " ",
    "0",
    "本年度共收到申请35件。\n",
];

/// One random edit of `text`: (start, end, inserted).
/// Edits stay after `keep` bytes (the title, so the text stays a report of
/// a known year with something to check).
fn random_edit(rng: &mut Rng, text: &str, keep: usize) -> (usize, usize, String) {
    let a = floor_char(text, keep + rng.below(text.len() + 1 - keep));
    match rng.below(10) {
        // Insertions of Chinese, 𠮷, digits, line breaks (line splits).
        0..=4 => (a, a, INSERTS[rng.below(INSERTS.len())].to_string()),
        // Short deletions, often of a line break (line joins).
        5..=6 => {
            let b = match text[a..].find(['\n', '\r']) {
                Some(i) if rng.below(2) == 0 => a + i + 1,
                _ => a + rng.below(12),
            };
            (a, floor_char(text, b).max(a), String::new())
        }
        // Deletions across several lines (rarely, so the text keeps its size).
        7 if rng.below(4) == 0 => (a, floor_char(text, a + rng.below(200)).max(a), String::new()),
        // Replacements.
        _ => {
            let b = floor_char(text, a + rng.below(8)).max(a);
            (a, b, INSERTS[rng.below(INSERTS.len())].repeat(1 + rng.below(2)))
        }
    }
}

fn strip_uri(mut diags: Value) -> Value {
    for d in diags.as_array_mut().unwrap() {
        if let Some(rel) = d.get_mut("relatedInformation").and_then(Value::as_array_mut) {
            for r in rel {
                r["location"]["uri"] = Value::Null;
            }
        }
    }
    diags
}

async fn two_thousand_edits(client_caps: Value, enc: &str, seed: &str, eol: &str) {
    let mut c = Client::start(client_caps, Value::Null, None).await;
    let uri = "file:///tmp/typed.txt";
    let mut text = fixture(seed).replace('\n', eol);
    let start_len = text.len();
    let keep = text.find("一、").expect("section 一");
    // Language `nianbao`: checked even when the edits have broken the title.
    c.open(uri, "nianbao", 1, &text).await;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut version = 1;
    for _ in 0..2000 {
        // Usually one change per notification, sometimes several (each
        // against the text the previous one left).
        let mut changes = Vec::new();
        for _ in 0..1 + usize::from(rng.below(8) == 0) * 2 {
            let (a, b, ins) = random_edit(&mut rng, &text, keep);
            let range = json!({"start": lsp_pos(&text, a, enc), "end": lsp_pos(&text, b, enc)});
            changes.push(json!({"range": range, "text": ins}));
            text.replace_range(a..b, &ins);
        }
        version += 1;
        c.change(uri, version, Value::Array(changes)).await;
    }
    let last = c.published_version(uri, version).await;
    assert_eq!(c.text(uri).unwrap(), text, "the server's text is the client's");
    // The edits kept a report's worth of text to work on.
    assert!(text.len() > start_len / 2, "{} bytes left of {start_len}", text.len());
    let published = last["diagnostics"].as_array().unwrap().len();
    eprintln!("{} bytes (was {start_len}), {published} diagnostics at the end", text.len());
    assert!(published > 0, "a mangled report has problems to show");

    // Every publish for this document: versions strictly increasing.
    let versions: Vec<i64> = c
        .log
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "one publish per version, in order: {versions:?}");
    assert_eq!(versions.last(), Some(&version));

    let fresh = "file:///tmp/fresh.txt";
    c.open(fresh, "nianbao", 1, &text).await;
    let p = c.published(fresh).await;
    assert_eq!(strip_uri(last["diagnostics"].clone()), strip_uri(p["diagnostics"].clone()));
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_edits_utf16() {
    two_thousand_edits(caps::neovim_07(), "utf-16", "seeds/004_446d20770044734b.txt", "\n").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_edits_utf8_crlf() {
    two_thousand_edits(caps::push_utf8(), "utf-8", "cli/seed_bad_total.txt", "\r\n").await;
}

/// Typing one character at a time with a pause for each publish: every
/// version gets exactly one publish, with its version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_version_published_exactly_once_when_typing_slowly() {
    let mut c = Client::start(caps::neovim_07(), Value::Null, None).await;
    let uri = "file:///tmp/slow.txt";
    let mut text = fixture("rules/NB301-fires.txt");
    c.open(uri, "nianbao", 1, &text).await;
    c.published_version(uri, 1).await;
    let at = text.find("（一）").unwrap();
    for (i, ch) in "本年度我单位认真贯彻落实𠮷".chars().enumerate() {
        let p = lsp_pos(&text, at, "utf-16");
        text.insert(at, ch);
        let version = 2 + i as i64;
        c.change(uri, version, json!([{"range": {"start": p, "end": p}, "text": ch.to_string()}])).await;
        let got = c.published(uri).await;
        assert_eq!(got["version"], version);
    }
    // A barrier request, then no publish may be left over.
    c.call("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})).await;
    assert!(!c.queue.iter().any(|m| m["method"] == "textDocument/publishDiagnostics"), "{:?}", c.queue);
    assert_eq!(c.text(uri).unwrap(), text);
    c.shutdown().await;
}

/// Typing in a paragraph of section 一 reaches the analysis as an
/// incremental reparse of that one line; typing a heading makes it a full one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reparses_incrementally() {
    use nianbao::report::Reparse;
    let mut c = Client::start(caps::vscode(), Value::Null, None).await;
    let uri = "file:///tmp/inc.txt";
    let mut text = fixture("seeds/004_446d20770044734b.txt");
    c.open(uri, "plaintext", 1, &text).await;
    let parsed = |c: &Client| {
        let state = c.state.clone();
        async move { state.snapshot(&uri.parse().unwrap()).await.unwrap().parse }
    };
    c.pull(uri).await; // a barrier: the open has been handled
    assert_eq!(parsed(&c).await, Some(Reparse::Full), "opening parses the whole text");
    let line_one = text.find("一、").unwrap();
    let para = line_one + text[line_one..].find('\n').unwrap() + 1 + 3;
    let p = lsp_pos(&text, para, "utf-16");
    c.change(uri, 2, json!([{"range": {"start": p, "end": p}, "text": "中"}])).await;
    text.insert(para, '中');
    c.pull(uri).await;
    assert_eq!(parsed(&c).await, Some(Reparse::Incremental { lines_reparsed: 1 }));
    // A heading typed above the paragraph changes the outline: full parse.
    let start = lsp_pos(&text, para - 3, "utf-16");
    let heading = "三、收到和处理政府信息公开申请情况\n";
    c.change(uri, 3, json!([{"range": {"start": start, "end": start}, "text": heading}])).await;
    c.pull(uri).await;
    assert_eq!(parsed(&c).await, Some(Reparse::Full));
    c.shutdown().await;
}
