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

/// Placeholder until the server lands: replace the body with the call into
/// `nianbao::server`.
fn lsp(_args: &[OsString]) -> i32 {
    eprintln!("nianbao lsp: not implemented yet");
    2
}
