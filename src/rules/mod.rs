//! Rules: `(&Report, &Schema, &Config) -> Vec<Diagnostic>`.
//!
//! Each rule family lives in its own module and owns its codes, default
//! severities and zh-CN/en messages (see [`registry`]). Rules never touch the
//! text directly except through the ranges the report gives them, and they do
//! no I/O.

mod arith;
pub mod carry;
mod content;
mod prose;
mod registry;
mod signature;
pub mod snapshot;
mod structure;
mod sums;
mod tables;

pub use carry::{CarrySummary, Front};
pub use registry::{explain, markdown_table, rule, RuleInfo, RULES};

use std::cell::OnceCell;
use std::collections::BTreeMap;

use crate::fix::DerivedCell;
use crate::report::Report;
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

impl Locale {
    /// `en`, `en-US`, `en_GB` … → English; anything else → Chinese (product-spec §6).
    pub fn from_tag(tag: &str) -> Locale {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::Zh
        }
    }
}

/// A per-rule override from `--rule CODE=…` or the `rules` setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    pub fn parse(s: &str) -> Option<RuleLevel> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => RuleLevel::Off,
            "info" | "information" | "hint" => RuleLevel::On(Severity::Info),
            "warning" | "warn" => RuleLevel::On(Severity::Warning),
            "error" => RuleLevel::On(Severity::Error),
            _ => return None,
        })
    }
}

/// Everything that changes what the rules report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub locale: Locale,
    /// Code (`"NB301"`) → override.
    pub rules: BTreeMap<String, RuleLevel>,
    /// The exact number of decimals 收费金额/采购总金额 must have (NB208), if set.
    pub amount_decimals: Option<u32>,
    /// Treat the text as a report even when it does not look like one
    /// (language id `nianbao`).
    pub force_report: bool,
}

/// A literal replacement of `range` by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    pub edits: Vec<TextEdit>,
}

/// Where a fix sits on the code-action ladder of product-spec §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FixKind {
    /// Fix this cell (preferred quick fix), or an insertion / fill-0.
    Cell,
    /// Fix all totals in this table.
    Table,
    /// Fix all totals in the document (`source.fixAll.nianbao`).
    Document,
    /// NB303's secondary action: set 四 = 一 + 二 − （七）.
    Secondary,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
    /// Set when the location is in another file (NB403).
    pub path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// The result of checking one text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub is_report: bool,
    pub year: Option<u16>,
    /// `"2019"` or `"2021"`; `None` for non-reports and unsupported years.
    pub format: Option<&'static str>,
    /// Sorted by start position, then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks `text`. Never panics on any input.
pub fn analyze(text: &str, config: &Config) -> Analysis {
    let report = crate::report::parse(text);
    analyze_report(text, &report, config)
}

/// Checks an already parsed report.
pub fn analyze_report(text: &str, report: &Report, config: &Config) -> Analysis {
    let mut analysis =
        Analysis { is_report: report.is_report || config.force_report, year: report.year, ..Analysis::default() };
    if !analysis.is_report {
        return analysis;
    }
    let mut cx = Ctx::new(text, report, config);
    let unsupported = report.year.is_some_and(|y| y <= 2018);
    match report.format() {
        Some(format) if !unsupported => {
            analysis.format = Some(format.as_str());
            structure::check(&mut cx);
            tables::check(&mut cx);
            arith::check(&mut cx);
            prose::check(&mut cx);
            content::check(&mut cx);
            sums::check(&mut cx);
        }
        _ => {
            let at = report.title.as_ref().map_or(TextRange::empty(0), |t| t.range);
            let (zh, en) = match report.year {
                Some(y) => (
                    format!("{y}年度报告不适用2019年或2021年格式，不作检查"),
                    format!("a {y} report predates the 2019 and 2021 formats; not checked"),
                ),
                None => (
                    "无法确定报告年度和表格格式，不作检查".to_string(),
                    "the report year and table format cannot be determined; not checked".to_string(),
                ),
            };
            cx.push(Diagnostic::new("NB001", at, cx.msg(&zh, &en)));
        }
    }
    let mut diags = cx.out;
    diags.retain_mut(|d| match config.rules.get(d.code) {
        Some(RuleLevel::Off) => false,
        Some(RuleLevel::On(sev)) => {
            d.severity = *sev;
            true
        }
        None => true,
    });
    diags.sort_by(|a, b| (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end)));
    analysis.diagnostics = diags;
    analysis
}

/// What every rule sees.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub report: &'a Report,
    pub config: &'a Config,
    pub out: Vec<Diagnostic>,
    /// Per table, computed on first use: the cell rules, the arithmetic rules
    /// and every rung of every fix ladder need the same derived values.
    derived: Vec<OnceCell<Vec<DerivedCell>>>,
    table_edits: Vec<OnceCell<Vec<TextEdit>>>,
    /// The document's "fix all totals" edit, offered by every arithmetic
    /// diagnostic: computed once, not once per diagnostic.
    report_edits: OnceCell<Vec<TextEdit>>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, report: &'a Report, config: &'a Config) -> Ctx<'a> {
        let n = report.tables.len();
        Ctx {
            text,
            report,
            config,
            out: Vec::new(),
            derived: (0..n).map(|_| OnceCell::new()).collect(),
            table_edits: (0..n).map(|_| OnceCell::new()).collect(),
            report_edits: OnceCell::new(),
        }
    }

    /// [`crate::fix::derived_cells`] of table `ti`.
    pub fn derived(&self, ti: usize) -> &[DerivedCell] {
        self.derived[ti].get_or_init(|| crate::fix::derived_cells(&self.report.tables[ti]))
    }

    /// [`crate::fix::table_edits`] of table `ti`.
    pub fn table_edits(&self, ti: usize) -> &[TextEdit] {
        self.table_edits[ti].get_or_init(|| crate::fix::edits_of(&self.report.tables[ti], self.derived(ti)))
    }

    /// [`crate::fix::report_edits`].
    pub fn report_edits(&self) -> &[TextEdit] {
        self.report_edits.get_or_init(|| {
            crate::fix::merge_edits((0..self.report.tables.len()).flat_map(|ti| self.table_edits(ti).iter().cloned()))
        })
    }
}

impl Ctx<'_> {
    pub fn msg(&self, zh: &str, en: &str) -> String {
        match self.config.locale {
            Locale::Zh => zh.to_string(),
            Locale::En => en.to_string(),
        }
    }

    /// [`Ctx::msg`] for formatted messages: only the one shown is written.
    pub fn msgf(&self, zh: std::fmt::Arguments, en: std::fmt::Arguments) -> String {
        match self.config.locale {
            Locale::Zh => std::fmt::format(zh),
            Locale::En => std::fmt::format(en),
        }
    }

    /// [`Ctx::msg`] for messages pieced together from strings, for the ones
    /// written per cell or per line: one allocation of the right size, where
    /// `format!` grows its string piece by piece.
    pub fn cat<const Z: usize, const E: usize>(&self, zh: [&str; Z], en: [&str; E]) -> String {
        let parts: &[&str] = match self.config.locale {
            Locale::Zh => &zh,
            Locale::En => &en,
        };
        let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            s.push_str(p);
        }
        s
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// 「text」 of a range, shortened, for messages.
    pub fn quote(&self, r: TextRange) -> String {
        let s: String = r.slice(self.text).chars().take(20).collect();
        s.replace(['\t', '\r', '\n'], " ")
    }
}

impl Diagnostic {
    pub(crate) fn new(code: &'static str, range: TextRange, message: String) -> Diagnostic {
        // Codes here are the registry's own, spelt exactly: no need for
        // `rule`'s case-insensitive lookup on every diagnostic.
        let severity = RULES.iter().find(|r| r.code == code).map_or(Severity::Warning, |r| r.severity);
        Diagnostic {
            code,
            severity,
            range,
            message,
            expected: None,
            found: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }
}

impl Related {
    pub(crate) fn here(range: TextRange, message: String) -> Related {
        Related { range, message, path: None }
    }
}
