//! The built binary, spawned as an editor would: stdout carries nothing but
//! well-framed protocol messages, and `shutdown` then `exit` ends the
//! process with status 0 (1 without `shutdown`, per the LSP spec).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nianbao")
}

fn send(stdin: &mut ChildStdin, msg: Value) {
    let body = serde_json::to_string(&msg).unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

/// Reads exactly one frame, failing on anything that is not a frame: no
/// stray output may reach stdout.
fn read_frame(out: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            assert!(len.is_none(), "stdout ended inside a header");
            return None;
        }
        assert!(line.ends_with("\r\n"), "a header line must end with CRLF: {line:?}");
        let line = &line[..line.len() - 2];
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(": ").unwrap_or_else(|| panic!("not a header: {line:?}"));
        match name {
            "Content-Length" => len = Some(value.parse::<usize>().expect("a number")),
            "Content-Type" => {}
            other => panic!("unexpected header {other:?}"),
        }
    }
    let mut body = vec![0; len.expect("Content-Length")];
    out.read_exact(&mut body).unwrap();
    let v: Value = serde_json::from_slice(&body).expect("the body is JSON");
    assert_eq!(v["jsonrpc"], "2.0");
    Some(v)
}

fn read_until(out: &mut BufReader<ChildStdout>, pred: impl Fn(&Value) -> bool) -> Value {
    loop {
        let v = read_frame(out).expect("the server closed stdout early");
        if pred(&v) {
            return v;
        }
    }
}

fn report() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/rules/NB301-fires.txt")).unwrap()
}

#[test]
fn framing_and_a_clean_shutdown() {
    let mut child = spawn(&["lsp", "--stdio"]);
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                            "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    let init = read_until(&mut out, |v| v["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "nianbao");
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let doc = json!({"uri": "file:///r.txt", "languageId": "plaintext", "version": 1, "text": report()});
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}}));
    let p = read_until(&mut out, |v| v["method"] == "textDocument/publishDiagnostics");
    assert_eq!(p["params"]["diagnostics"][0]["code"], "NB301");
    assert_eq!(p["params"]["version"], 1);
    // Neovim sends `shutdown` without params, some clients with `null`.
    send(&mut stdin, json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    let r = read_until(&mut out, |v| v["id"] == 2);
    assert_eq!(r, json!({"jsonrpc": "2.0", "id": 2, "result": null}));
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(stdin);
    // Nothing but frames until the end.
    while read_frame(&mut out).is_some() {}
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn broken_frames_on_stdin_do_not_end_the_server() {
    let mut child = spawn(&["lsp"]);
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    // Garbage, a body that is no JSON, a length that is no number.
    stdin.write_all(b"GET / HTTP/1.1\r\n\r\nContent-Length: 5\r\n\r\n{{{{{Content-Length: x\r\n\r\n").unwrap();
    let err = read_until(&mut out, |v| v.get("error").is_some());
    assert_eq!((err["error"]["code"].as_i64(), &err["id"]), (Some(-32700), &Value::Null), "{err}");
    send(&mut stdin, json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    let init = read_until(&mut out, |v| v["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "nianbao", "{init}");
    send(&mut stdin, json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    read_until(&mut out, |v| v["id"] == 2);
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut child = spawn(&["lsp"]);
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                            "params": {"processId": null, "capabilities": {}}}),
    );
    read_until(&mut out, |v| v["id"] == 1);
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(stdin);
    while read_frame(&mut out).is_some() {}
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn stdin_closing_ends_the_server() {
    let mut child = spawn(&["lsp"]);
    drop(child.stdin.take());
    let mut out = BufReader::new(child.stdout.take().unwrap());
    assert!(read_frame(&mut out).is_none(), "nothing on stdout");
    assert_eq!(child.wait().unwrap().code(), Some(1), "no shutdown was asked for");
}

#[test]
fn unknown_arguments_are_a_usage_error_on_stderr() {
    let out = spawn(&["lsp", "--tcp"]).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown argument --tcp") && err.contains("usage: nianbao lsp"), "{err}");
}

/// Waits for the process to end, failing (not hanging) after 20 s.
fn wait_exit(child: &mut Child) -> Option<i32> {
    for _ in 0..400 {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the server did not exit while stdin stayed open");
}

/// Editors keep stdin open and wait for the process to end after `exit`;
/// Neovim even sends another `shutdown` after it.
#[test]
fn exit_ends_the_process_while_stdin_stays_open() {
    for late_message in [false, true] {
        let mut child = spawn(&["lsp"]);
        let mut stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        send(
            &mut stdin,
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                "params": {"processId": null, "capabilities": {}}}),
        );
        read_until(&mut out, |v| v["id"] == 1);
        send(&mut stdin, json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
        read_until(&mut out, |v| v["id"] == 2);
        send(&mut stdin, json!({"jsonrpc": "2.0", "method": "exit"}));
        if late_message {
            // The pipe may already be closed by then: ignore write errors.
            let body = r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
            let _ = write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
            let _ = stdin.flush();
        }
        assert_eq!(wait_exit(&mut child), Some(0), "late message: {late_message}");
        drop(stdin);
    }
}
