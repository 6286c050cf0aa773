//! The built `nianbao` binary, end to end: exit codes, the directory walk and
//! its paths, unreadable and binary files, output shapes, and `fix`.
//!
//! Tests marked "needs the engine" assert real diagnostics and fixes on a seed
//! report with one broken total (`fixtures/cli/seed_bad_total.txt`: the 总计 of
//! 一、本年新收 is 5, its parts sum to 4); they fail while `analyze` and
//! `fix_all` are stubs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nianbao::cli::encoding::{decode, encode, Enc};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let Output { status, stdout, stderr } = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn json_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run_in(dir, &all);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", r.stdout, r.stderr));
    (r.code, v)
}

fn paths(v: &Value) -> Vec<String> {
    v["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_owned()).collect()
}

fn error_paths(v: &Value) -> Vec<String> {
    v.get("errors")
        .and_then(Value::as_array)
        .map(|errors| errors.iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn seed_text() -> String {
    fs::read_to_string(fixture("seed_bad_total.txt")).unwrap()
}

/// The seed as it was before the total was broken.
fn seed_fixed_text() -> String {
    let text = seed_text();
    let broken = "一、本年新收政府信息公开申请数量\n\t3\n\t1\n\t0\n\t0\n\t0\n\t0\n\t5\n";
    assert!(text.contains(broken));
    text.replacen(broken, &broken.replace("\t5\n", "\t4\n"), 1)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli").join(name)
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    path
}

// ------------------------------------------------------------ commands

#[test]
fn usage_errors_exit_2_with_a_message() {
    for args in [
        &[][..],
        &["check"],
        &["check", "--format", "xml", "x.txt"],
        &["check", "--locale", "fr", "x.txt"],
        &["check", "--amount-decimals", "two", "x.txt"],
        &["frobnicate"],
        &["fix"],
        &["fix", "--force", "x.txt"],
        &["explain"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.starts_with("nianbao: "), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
    let r = run(&["check", "--rule", "NB999=off", "x.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule code 'NB999'"), "{}", r.stderr);
}

#[test]
fn explain_known_and_unknown_codes() {
    let r = run(&["explain", "NB301"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("NB301 row-total"), "{}", r.stdout);
    let r = run(&["explain", "nb301"]);
    assert_eq!(r.code, 0);
    let r = run(&["explain", "NB999"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NB999"));
    assert!(r.stdout.is_empty());
}

#[test]
fn help_version_and_lsp_usage() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("nianbao check"));
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, format!("nianbao {}\n", env!("CARGO_PKG_VERSION")));
    let r = run(&["lsp", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.starts_with("usage: nianbao lsp [--stdio]"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout is for protocol messages only");
    // With stdin closed at once the server ends without a `shutdown`: 1.
    let r = run(&["lsp"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
}

// ------------------------------------------------------------ walk

#[test]
fn directory_walk_order_and_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for rel in [
        "r/b.txt",
        "r/a/z.md",
        "r/a/y.txt",
        "r/B.TXT",
        "r/a.txt",
        "r/c.docx",
        "r/d.json",
        "r/notes",
        "r/深/报告.txt",
        "r/z/deep/er/x.md",
        "other.txt",
    ] {
        write(d, rel, "");
    }
    let expected_r = ["B.TXT", "a/y.txt", "a/z.md", "a.txt", "b.txt", "z/deep/er/x.md", "深/报告.txt"];
    for arg in ["r", "r/", "./r"] {
        let (code, v) = json_in(d, &[arg]);
        let base = arg.trim_end_matches('/');
        let want: Vec<String> = expected_r.iter().map(|p| format!("{base}/{p}")).collect();
        assert_eq!(paths(&v), want, "{arg}");
        // The empty .docx is walked too, and is no Word file.
        assert_eq!((code, error_paths(&v)), (2, vec![format!("{base}/c.docx")]), "{arg}");
    }
    // Arguments keep their order; a file argument is taken whatever its name.
    let (_, v) = json_in(d, &["other.txt", "r/a", "r/d.json"]);
    assert_eq!(paths(&v), ["other.txt", "r/a/y.txt", "r/a/z.md", "r/d.json"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "r/a.txt", "");
    std::os::unix::fs::symlink("..", d.join("r/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("r/self")).unwrap();
    let (code, v) = json_in(d, &["r"]);
    assert_eq!(code, 0);
    // r/up is tmp itself, which holds r again (already walked).
    assert_eq!(paths(&v), ["r/a.txt"]);
}

#[test]
fn unreadable_entries_are_errors_and_the_rest_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "r/a.txt", "你好\n");
    write(d, "r/c.txt", "世界\n");
    let mut expected_errors = vec!["missing.txt".to_owned()];
    #[cfg(unix)]
    {
        // A dangling symlink: unreadable even for root.
        std::os::unix::fs::symlink("nowhere.txt", d.join("r/b.txt")).unwrap();
        expected_errors.push("r/b.txt".into());
        // chmod 000 blocks reads unless we run as root.
        use std::os::unix::fs::PermissionsExt;
        let locked = write(d, "r/d.txt", "x");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_err() {
            expected_errors.push("r/d.txt".into());
        }
    }
    let (code, v) = json_in(d, &["missing.txt", "r"]);
    assert_eq!(code, 2);
    assert_eq!(error_paths(&v), expected_errors);
    for p in ["r/a.txt", "r/c.txt"] {
        assert!(paths(&v).contains(&p.to_owned()), "{p}");
    }
    assert_eq!(v["summary"]["files"].as_u64().unwrap() as usize, paths(&v).len());
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(!message.is_empty());

    // Human format: errors on stderr as `nianbao: path: reason`.
    let r = run_in(d, &["check", "missing.txt", "r/a.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("nianbao: missing.txt: "), "{}", r.stderr);
}

#[test]
fn binary_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "r/a.txt", "文字\n");
    write(d, "r/b.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(d, "r/c.md", "# 标题\n");
    let (code, v) = json_in(d, &["r"]);
    assert_eq!(code, 2);
    assert_eq!(paths(&v), ["r/a.txt", "r/c.md"]);
    assert_eq!(error_paths(&v), ["r/b.txt"]);
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("binary file"), "{message}");

    let r = run_in(d, &["check", "r"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nianbao: r/b.txt: binary file"), "{}", r.stderr);
}

#[test]
fn empty_and_non_report_files_are_silent() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "empty.txt", "");
    write(d, "notes.md", "# 会议纪要\n\n今天讨论了年度计划。\n");
    let (code, v) = json_in(d, &["empty.txt", "notes.md"]);
    assert_eq!(code, 0);
    for f in v["files"].as_array().unwrap() {
        assert_eq!(f["diagnostics"], Value::Array(vec![]));
        assert_eq!(f["format"], Value::Null);
        assert_eq!(f["year"], Value::Null);
    }
}

#[test]
fn a_50_mb_file_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "本单位认真落实政务公开各项要求，持续优化公开内容，回应社会关切。\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    write(tmp.path(), "big.txt", &text);
    let (code, v) = json_in(tmp.path(), &["big.txt"]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["files"], 1);
}

// ------------------------------------------------------------ output shapes

#[test]
fn json_top_level_shape() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.txt", "文字\n");
    let (code, v) = json_in(tmp.path(), &["a.txt"]);
    assert_eq!(code, 0);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted_expected = vec!["files", "summary", "version"];
    let mut sorted_keys = keys.clone();
    sorted_keys.sort_unstable();
    sorted_expected.sort_unstable();
    // No "errors" key when every file could be read.
    assert_eq!(sorted_keys, sorted_expected);
    assert_eq!(v["version"], 1);
    let f = &v["files"][0];
    let mut fk: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    fk.sort_unstable();
    assert_eq!(fk, ["diagnostics", "format", "path", "year"]);
    assert_eq!(v["summary"], serde_json::json!({"files": 1, "errors": 0, "warnings": 0, "infos": 0}));
    // Field order as in product-spec §5.
    let r = run_in(tmp.path(), &["check", "--format=json", "a.txt"]);
    let at = |k: &str| r.stdout.find(&format!("\"{k}\"")).unwrap();
    assert!(at("version") < at("files") && at("files") < at("summary"));
    assert!(at("path") < at("year") && at("year") < at("format") && at("format") < at("diagnostics"));
}

#[test]
fn sarif_is_json_version_2_1_0() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.txt", "文字\n");
    write(tmp.path(), "bin.txt", b"\0\0");
    let r = run_in(tmp.path(), &["check", "--format", "sarif", "a.txt", "bin.txt"]);
    assert_eq!(r.code, 2);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "nianbao");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), nianbao::rules::RULES.len());
    assert!(rules.iter().any(|r| r["id"] == "NB301" && r["name"] == "row-total"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"].as_str().unwrap().contains("bin.txt"));
}

#[test]
fn human_summary_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.txt", "文字\n");
    write(tmp.path(), "b.txt", "文字\n");
    let r = run_in(tmp.path(), &["check", "a.txt", "b.txt"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "共 2 个文件：0 个错误，0 个警告，0 个提示\n");
    let r = run_in(tmp.path(), &["check", "--locale", "en", "a.txt"]);
    assert_eq!(r.stdout, "1 file: 0 errors, 0 warnings, 0 infos\n");
}

#[cfg(unix)]
#[test]
fn closed_stdout_pipe_does_not_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child =
        Command::new(BIN).args(["explain", "NB301"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0));
}

// ------------------------------------------------------------ fix

#[test]
fn fix_on_files_without_fixes_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a.txt", "文字\r\n");
    let r = run_in(tmp.path(), &["fix", "a.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read(&a).unwrap(), "文字\r\n".as_bytes());
    assert_eq!(r.stderr, "fixed 0 files (0 cells)\n");
    let r = run_in(tmp.path(), &["fix", "missing.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nianbao: missing.txt: "));
}

#[test]
fn fix_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let original = seed_text();
    let p = write(tmp.path(), "r/seed.txt", &original);
    let r = run_in(tmp.path(), &["fix", "--dry-run", "r"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(&p).unwrap(), original);
    // No temporary files left behind either.
    assert_eq!(fs::read_dir(tmp.path().join("r")).unwrap().count(), 1);
}

#[test]
fn fix_twice_changes_nothing_the_second_time() {
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "seed.txt", seed_text());
    assert_eq!(run_in(tmp.path(), &["fix", "seed.txt"]).code, 0);
    let once = fs::read(&p).unwrap();
    let r = run_in(tmp.path(), &["fix", "seed.txt"]);
    assert_eq!(r.code, 0);
    assert_eq!(fs::read(&p).unwrap(), once);
    assert_eq!(r.stderr, "fixed 0 files (0 cells)\n");
}

#[test]
fn fix_refuses_docx() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.docx", b"PK\x03\x04");
    let r = run_in(tmp.path(), &["fix", "a.docx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.docx") && r.stderr.contains("Word"), "{}", r.stderr);
}

// ------------------------------------------------------------ needs the engine

/// Needs the engine.
#[test]
fn seed_with_broken_total_gives_nb301_and_exit_1() {
    let (code, v) = json_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["fixtures/cli/seed_bad_total.txt"]);
    assert_eq!(code, 1);
    let f = &v["files"][0];
    assert_eq!(f["path"], "fixtures/cli/seed_bad_total.txt");
    assert_eq!(f["year"], 2024);
    assert_eq!(f["format"], "2021");
    let d = f["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "NB301").expect("an NB301");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["expected"], "4");
    assert_eq!(d["found"], "5");
    // The 5 is on line 87 (0-based 86), after the tab.
    assert_eq!(
        d["range"],
        serde_json::json!({"start": {"line": 86, "character": 1}, "end": {"line": 86, "character": 2}})
    );
    assert!(!d["related"].as_array().unwrap().is_empty());
    assert_eq!(d["fixes"][0]["edits"][0]["newText"], "4");
}

/// Needs the engine.
#[test]
fn human_format_line_shape() {
    let r = run(&["check", "fixtures/cli/seed_bad_total.txt"]);
    assert_eq!(r.code, 1);
    let first = r.stdout.lines().next().unwrap();
    let (loc, rest) = first.split_once(": ").unwrap();
    let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
    assert_eq!(parts[2], "fixtures/cli/seed_bad_total.txt");
    assert!(parts[0].parse::<u32>().unwrap() >= 1 && parts[1].parse::<u32>().unwrap() >= 1);
    assert!(["error[NB", "warning[NB", "info[NB"].iter().any(|s| rest.starts_with(s)), "{first}");
    assert!(r.stdout.lines().any(|l| l.starts_with("fixtures/cli/seed_bad_total.txt:87:2: error[NB301] ")));
    assert!(r.stdout.ends_with("个提示\n"));
}

/// Needs the engine.
#[test]
fn fix_repairs_the_seed_and_dry_run_shows_the_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "r/seed.txt", seed_text());
    let r = run_in(tmp.path(), &["fix", "--dry-run", "r"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("--- a/r/seed.txt\n+++ b/r/seed.txt\n@@ "), "{}", r.stdout);
    assert!(r.stdout.contains("\n-\t5\n+\t4\n"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(&p).unwrap(), seed_text());

    let r = run_in(tmp.path(), &["fix", "r"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(&p).unwrap(), seed_fixed_text());
    assert!(r.stderr.starts_with("fixed 1 file ("), "{}", r.stderr);
    // The seed has other problems (it lacks section 六), but no broken total.
    let (_, v) = json_in(tmp.path(), &["r"]);
    let codes: Vec<&str> =
        v["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.iter().any(|c| c.starts_with("NB3")), "{codes:?}");
}

/// Needs the engine.
#[test]
fn fix_preserves_encoding_bom_and_line_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("utf8.txt", Enc::Utf8, "\n"),
        ("bom.txt", Enc::Utf8Bom, "\r\n"),
        ("le.txt", Enc::Utf16Le, "\r\n"),
        ("be.txt", Enc::Utf16Be, "\n"),
        ("gb.txt", Enc::Gb18030, "\r\n"),
        ("cr.txt", Enc::Gb18030, "\r"),
    ];
    for (name, enc, eol) in cases {
        write(tmp.path(), name, encode(&seed_text().replace('\n', eol), enc));
    }
    let r = run_in(tmp.path(), &["fix", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (name, enc, eol) in cases {
        let bytes = fs::read(tmp.path().join(name)).unwrap();
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, enc, "{name}");
        assert_eq!(decoded.text, seed_fixed_text().replace('\n', eol), "{name}");
    }
}

/// Needs the engine: the refusal only matters when there is something to write.
#[test]
fn fix_refuses_files_that_would_not_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    // GB18030 with a lone 0x80 byte, which encoding_rs reads as € but writes
    // back as A2 E3: writing would change a byte the fix did not touch.
    let mut bytes = encode(&seed_text(), Enc::Gb18030);
    let at = bytes.len() - 2;
    bytes.insert(at, 0x80);
    let p = write(tmp.path(), "gb.txt", &bytes);
    let r = run_in(tmp.path(), &["fix", "gb.txt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("nianbao: gb.txt: refusing to write"), "{}", r.stderr);
    assert_eq!(fs::read(&p).unwrap(), bytes);
}
