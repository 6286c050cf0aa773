//! Word input (product-spec §5), end to end: a `.docx` made here from a
//! fixture report (its prose lines as paragraphs, its tab-separated lines as
//! table rows) is checked like the text it holds, named or found under a
//! directory, and `fix` refuses it.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, escape(text))
}

/// A minimal Word document: each line a paragraph, each run of lines with
/// tabs a table, one row per line and one cell per tab-separated field.
fn docx_of(text: &str) -> Vec<u8> {
    let mut body = String::new();
    let mut in_table = false;
    for line in text.lines() {
        let row = line.contains('\t');
        if row != in_table {
            body.push_str(if row { "<w:tbl>" } else { "</w:tbl>" });
            in_table = row;
        }
        if row {
            body.push_str("<w:tr>");
            for cell in line.split('\t') {
                body.push_str(&format!(
                    "<w:tc><w:p>{}</w:p></w:tc>",
                    if cell.is_empty() { String::new() } else { run(cell) }
                ));
            }
            body.push_str("</w:tr>");
        } else if line.is_empty() {
            body.push_str("<w:p/>");
        } else {
            body.push_str(&format!("<w:p>{}</w:p>", run(line)));
        }
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn check(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(BIN).args(["check", "--format", "json"]).args(args).current_dir(dir).output().unwrap();
    let v =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn diagnostics(v: &Value, k: usize) -> Vec<(String, Value)> {
    v["files"][k]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].to_string(), d["range"].clone()))
        .collect()
}

#[test]
fn a_word_report_is_checked_like_its_text() {
    let mut text = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/rules/NB302-fires.txt")).unwrap();
    // Every paragraph of a Word document is a line, the last one too.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fs::create_dir(d.join("reports")).unwrap();
    fs::write(d.join("reports/2023.docx"), docx_of(&text)).unwrap();
    fs::write(d.join("as-text.txt"), &text).unwrap();
    assert!(nianbao::cli::docx::text(&docx_of(&text)).unwrap() == text, "the document's text is the report");

    let (code, v) = check(d, &["reports/2023.docx", "as-text.txt"]);
    assert_eq!(code, 1, "{v}");
    let (word, plain) = (diagnostics(&v, 0), diagnostics(&v, 1));
    assert!(word.iter().any(|(c, _)| c == "\"NB302\""), "{word:?}");
    assert_eq!(word, plain, "the same diagnostics at the same places");
    assert_eq!(v["files"][0]["path"], "reports/2023.docx");
    assert_eq!(v["files"][0]["format"], "2021");

    // Found under a directory by check.
    let (_, v) = check(d, &["reports"]);
    assert_eq!(v["files"][0]["path"], "reports/2023.docx");
    assert_eq!(diagnostics(&v, 0), plain);

    // fix refuses it by name, and leaves it out of a directory.
    let out = Command::new(BIN).args(["fix", "reports/2023.docx"]).current_dir(d).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nianbao: reports/2023.docx: fix does not write Word (.docx) files"), "{err}");
    let out = Command::new(BIN).args(["fix", "reports"]).current_dir(d).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read(d.join("reports/2023.docx")).unwrap(), docx_of(&text), "untouched");
}

#[test]
fn a_broken_word_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("bad.docx"), b"PK\x03\x04 this is no zip").unwrap();
    fs::write(tmp.path().join("fine.txt"), "一、总体情况\n").unwrap();
    let (code, v) = check(tmp.path(), &["bad.docx", "fine.txt"]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["path"], "bad.docx");
    assert!(v["errors"][0]["message"].as_str().unwrap().starts_with("not a Word (.docx) file: "), "{v}");
    assert_eq!(v["files"][0]["path"], "fine.txt");
}
