//! nianbao checks Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) against the official formats.
//!
//! Reading order: [`text`] (byte ranges and line/column conversion), [`schema`]
//! (the 2021 and 2019 formats as data), [`report`] (text → model of sections,
//! tables, rows and cells; never fails), [`rules`] (model → diagnostics),
//! [`fix`] (diagnostics → text edits), then the edges: [`cli`] for batch use and [`server`] for editors.
//! The core (`text`, `schema`, `report`, `rules`, `fix`) does no I/O and knows
//! nothing of LSP, tokio or ropey; only `server` does.
#![deny(clippy::print_stdout)]

pub mod cli;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod text;

/// The allocator of every binary built on this crate (the server, `check`,
/// the benches): a parse makes many small short-lived vectors and strings,
/// which mimalloc serves with fewer instructions than glibc's malloc (seed
/// 004: 0.93 M → 0.87 M instructions per parse + rules). Built without
/// transparent huge pages (`no_thp`): with them, every fresh 2 MiB page a
/// short `check` touched was cleared by the kernel, 15–30% of its CPU time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use rules::{analyze, Analysis, Config, Diagnostic, Fix, Locale, Related, RuleLevel, Severity, TextEdit};
