//! The command line: `check`, `fix` and `explain` (product-spec §5).
//!
//! This is the edge where files are read and written and results printed;
//! the core it calls (`analyze`, `fix::fix_all`) does no I/O. Modules, in
//! reading order: [`args`] (parsing), [`walk`] (PATHs → files), [`encoding`]
//! (bytes ↔ text), [`check`] and [`fix`] (the subcommands), [`render`] (human,
//! JSON, SARIF), [`diff`] (for `fix --dry-run`), [`output`] (the only writer to
//! stdout). `lsp` is dispatched by `main.rs`, not here.

pub mod args;
pub mod check;
pub mod diff;
pub mod docx;
pub mod encoding;
pub mod fix;
pub mod output;
pub mod render;
pub mod walk;

use std::ffi::OsString;

use args::Command;
use output::Stdout;

/// Runs the command line after the program name; returns the exit code.
/// `lsp` is not handled here: `main` dispatches it before calling this.
pub fn run(args: Vec<OsString>) -> i32 {
    let command = match args::parse(args) {
        Ok(command) => command,
        Err(e) => {
            output::error(&e.0);
            output::stderr("Run 'nianbao --help' for usage.\n");
            return 2;
        }
    };
    match command {
        Command::Help => print(args::USAGE),
        Command::Version => print(&format!("nianbao {}\n", env!("CARGO_PKG_VERSION"))),
        Command::Lsp => {
            output::stderr("nianbao lsp: not implemented yet\n");
            2
        }
        Command::Check(a) => check::run(&a),
        Command::Fix(a) => fix::run(&a),
        Command::Explain(code) => match crate::rules::rule(&code) {
            Some(info) => print(&crate::rules::explain(info)),
            None => {
                output::error(&format!("unknown rule code '{code}' (codes are NB001 … NB406)"));
                2
            }
        },
    }
}

fn print(s: &str) -> i32 {
    let mut out = Stdout::new();
    match out.write(s).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) => {
            output::error(&format!("cannot write the output: {e}"));
            2
        }
    }
}
