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

mod allocator;
pub mod cli;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod text;

/// The allocator of every binary built on this crate: see [`allocator`].
#[global_allocator]
static ALLOC: allocator::MiMalloc = allocator::MiMalloc;

pub use rules::{analyze, Analysis, Config, Diagnostic, Fix, Locale, Related, RuleLevel, Severity, TextEdit};
