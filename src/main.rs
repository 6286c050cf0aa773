//! The `nianbao` binary: `lsp` runs the language server; everything else is
//! the batch CLI in `nianbao::cli`. Logs go to stderr only: in `lsp` mode
//! stdout carries nothing but protocol messages.

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = match args.first().and_then(|a| a.to_str()) {
        Some("lsp") => lsp(&args[1..]),
        _ => nianbao::cli::run(args),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// `nianbao lsp [--stdio]`: stdio is the only transport; `--stdio` is
/// accepted because vscode-languageclient adds it.
fn lsp(args: &[OsString]) -> i32 {
    for a in args {
        match a.to_str() {
            Some("--stdio") => {}
            Some("-h" | "--help") => {
                eprintln!("usage: nianbao lsp [--stdio]\n  serves the Language Server Protocol on stdin/stdout");
                return 0;
            }
            _ => {
                eprintln!("nianbao lsp: unknown argument {}\nusage: nianbao lsp [--stdio]", a.to_string_lossy());
                return 2;
            }
        }
    }
    nianbao::server::run_stdio()
}
