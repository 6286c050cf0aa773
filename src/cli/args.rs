//! Command-line arguments → a [`Command`], by hand (four subcommands and a
//! handful of flags do not need a parser crate).
//!
//! Both `--flag value` and `--flag=value` are accepted, options may come before
//! or after paths, and `--` ends the options. Every mistake is a [`UsageError`]
//! whose message says what was wrong; the caller prints it and exits with 2.
//! This module only parses: it reads no files and prints nothing.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::rules::{self, Config, Locale, RuleLevel};

pub const USAGE: &str = "\
nianbao: checker and language server for 政府信息公开工作年度报告

Usage:
  nianbao lsp                      language server on stdio
  nianbao check [OPTIONS] PATH...  check reports (.txt/.md files; directories recursively)
  nianbao fix [--dry-run] PATH...  fix the totals in place; --dry-run prints a diff instead
  nianbao explain CODE             what a rule checks, why, and how to fix it
  nianbao --help | --version

Options for check:
  --format human|json|sarif        output format (default: human)
  --locale zh|en                   language of messages (default: zh)
  --rule CODE=off|info|warning|error
                                   override a rule's severity; may be repeated
  --amount-decimals N              exact number of decimals of 收费金额/采购总金额

Exit status: 0 no error-severity diagnostic; 1 at least one; 2 usage or I/O error.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckArgs {
    pub format: Format,
    pub config: Config,
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixArgs {
    pub dry_run: bool,
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Help,
    Version,
    Lsp,
    Check(CheckArgs),
    Fix(FixArgs),
    Explain(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn usage(msg: impl Into<String>) -> UsageError {
    UsageError(msg.into())
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Err(usage("missing command (check, fix, explain or lsp)"));
    };
    let rest: Vec<OsString> = args.collect();
    match first.to_str() {
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version" | "version") => Ok(Command::Version),
        Some("lsp") => parse_lsp(rest),
        Some("check") => parse_check(rest),
        Some("fix") => parse_fix(rest),
        Some("explain") => parse_explain(rest),
        _ => Err(usage(format!("unknown command '{}' (expected check, fix, explain or lsp)", first.to_string_lossy()))),
    }
}

/// One token of a subcommand's arguments.
enum Token {
    /// `--name` with the value written as `--name=value`, if it was.
    Flag(String, Option<String>),
    Positional(OsString),
}

/// Splits arguments into flags and positionals; after `--`, all are positional.
fn tokens(args: Vec<OsString>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut only_positional = false;
    for arg in args {
        if only_positional {
            out.push(Token::Positional(arg));
            continue;
        }
        let Some(s) = arg.to_str() else {
            // Non-UTF-8 arguments can only be paths.
            out.push(Token::Positional(arg));
            continue;
        };
        if s == "--" {
            only_positional = true;
        } else if s == "-" || !s.starts_with('-') {
            out.push(Token::Positional(arg));
        } else if let Some((name, value)) = s.split_once('=') {
            out.push(Token::Flag(name.to_owned(), Some(value.to_owned())));
        } else {
            out.push(Token::Flag(s.to_owned(), None));
        }
    }
    out
}

/// The value of a flag: the `=value` part, else the next argument.
fn value(name: &str, inline: Option<String>, rest: &mut std::vec::IntoIter<Token>) -> Result<String, UsageError> {
    if let Some(v) = inline {
        return Ok(v);
    }
    match rest.next() {
        Some(Token::Positional(v)) => {
            v.into_string().map_err(|_| usage(format!("the value of {name} is not valid UTF-8")))
        }
        Some(Token::Flag(f, _)) => Err(usage(format!("{name} needs a value, found '{f}'"))),
        None => Err(usage(format!("{name} needs a value"))),
    }
}

fn no_value(name: &str, inline: Option<String>) -> Result<(), UsageError> {
    match inline {
        Some(_) => Err(usage(format!("{name} takes no value"))),
        None => Ok(()),
    }
}

fn parse_lsp(args: Vec<OsString>) -> Result<Command, UsageError> {
    // The server takes `--stdio` (what VS Code's client passes); anything else is left
    // to the server to judge once it exists.
    let _ = args;
    Ok(Command::Lsp)
}

fn parse_check(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut format = Format::Human;
    let mut config = Config::default();
    let mut paths = Vec::new();
    let mut rest = tokens(args).into_iter();
    while let Some(token) = rest.next() {
        let (name, inline) = match token {
            Token::Positional(p) => {
                paths.push(PathBuf::from(p));
                continue;
            }
            Token::Flag(name, inline) => (name, inline),
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--format" => {
                let v = value(&name, inline, &mut rest)?;
                format = match v.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    _ => return Err(usage(format!("unknown format '{v}' (expected human, json or sarif)"))),
                };
            }
            "--locale" => {
                let v = value(&name, inline, &mut rest)?;
                let lower = v.to_ascii_lowercase();
                if !(lower.starts_with("zh") || lower.starts_with("en")) {
                    return Err(usage(format!("unknown locale '{v}' (expected zh or en)")));
                }
                config.locale = Locale::from_tag(&v);
            }
            "--rule" => {
                let v = value(&name, inline, &mut rest)?;
                let (code, level) = parse_rule(&v)?;
                config.rules.insert(code, level);
            }
            "--amount-decimals" => {
                let v = value(&name, inline, &mut rest)?;
                let n = v
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| usage(format!("--amount-decimals needs a non-negative integer, found '{v}'")))?;
                config.amount_decimals = Some(n);
            }
            _ => return Err(usage(format!("unknown option '{name}' for check"))),
        }
    }
    if paths.is_empty() {
        return Err(usage("check needs at least one PATH"));
    }
    Ok(Command::Check(CheckArgs { format, config, paths }))
}

/// `NB301=off` → (`"NB301"`, Off). The code must name a rule.
fn parse_rule(spec: &str) -> Result<(String, RuleLevel), UsageError> {
    let Some((code, level)) = spec.split_once('=') else {
        return Err(usage(format!("--rule needs CODE=off|info|warning|error, found '{spec}'")));
    };
    let Some(info) = rules::rule(code) else {
        return Err(usage(format!("unknown rule code '{}' in --rule", code.trim())));
    };
    let Some(level) = RuleLevel::parse(level) else {
        return Err(usage(format!("unknown level '{level}' in --rule {spec} (expected off, info, warning or error)")));
    };
    Ok((info.code.to_owned(), level))
}

fn parse_fix(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut dry_run = false;
    let mut paths = Vec::new();
    for token in tokens(args) {
        match token {
            Token::Positional(p) => paths.push(PathBuf::from(p)),
            Token::Flag(name, inline) => match name.as_str() {
                "-h" | "--help" => return Ok(Command::Help),
                "--dry-run" | "-n" => {
                    no_value(&name, inline)?;
                    dry_run = true;
                }
                _ => return Err(usage(format!("unknown option '{name}' for fix"))),
            },
        }
    }
    if paths.is_empty() {
        return Err(usage("fix needs at least one PATH"));
    }
    Ok(Command::Fix(FixArgs { dry_run, paths }))
}

fn parse_explain(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut codes = Vec::new();
    for token in tokens(args) {
        match token {
            Token::Positional(p) => codes.push(p.to_string_lossy().into_owned()),
            Token::Flag(name, _) if name == "-h" || name == "--help" => return Ok(Command::Help),
            Token::Flag(name, _) => return Err(usage(format!("unknown option '{name}' for explain"))),
        }
    }
    match <[String; 1]>::try_from(codes) {
        Ok([code]) => Ok(Command::Explain(code)),
        Err(codes) if codes.is_empty() => Err(usage("explain needs a rule CODE, e.g. NB301")),
        Err(_) => Err(usage("explain takes exactly one CODE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from).collect())
    }

    fn check(args: &[&str]) -> CheckArgs {
        match parse_strs(args) {
            Ok(Command::Check(c)) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn check_flags_both_forms() {
        let c = check(&[
            "check",
            "--format=json",
            "a",
            "--locale",
            "en-US",
            "--rule",
            "nb301=off",
            "--rule=NB205=error",
            "--amount-decimals",
            "2",
            "--",
            "--b",
        ]);
        assert_eq!(c.format, Format::Json);
        assert_eq!(c.config.locale, Locale::En);
        assert_eq!(c.config.rules.get("NB301"), Some(&RuleLevel::Off));
        assert_eq!(c.config.rules.get("NB205"), Some(&RuleLevel::On(rules::Severity::Error)));
        assert_eq!(c.config.amount_decimals, Some(2));
        assert_eq!(c.paths, [PathBuf::from("a"), PathBuf::from("--b")]);
    }

    #[test]
    fn usage_errors_say_what() {
        let err = |args: &[&str]| parse_strs(args).unwrap_err().0;
        assert_eq!(err(&["check", "--rule", "NB999=off", "x"]), "unknown rule code 'NB999' in --rule");
        assert!(err(&["check", "--format", "xml", "x"]).contains("xml"));
        assert!(err(&["check", "--format"]).contains("needs a value"));
        assert!(err(&["check"]).contains("PATH"));
        assert!(err(&["check", "--bogus", "x"]).contains("--bogus"));
        assert!(err(&["check", "--amount-decimals=-1", "x"]).contains("-1"));
        assert!(err(&["check", "--rule", "NB301=loud", "x"]).contains("loud"));
        assert!(err(&["frobnicate"]).contains("frobnicate"));
        assert!(err(&[]).contains("missing command"));
        assert!(err(&["explain"]).contains("CODE"));
        assert!(err(&["fix", "--dry-run=yes", "x"]).contains("no value"));
    }

    #[test]
    fn other_commands() {
        assert_eq!(parse_strs(&["--version"]), Ok(Command::Version));
        assert_eq!(parse_strs(&["check", "--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["explain", "nb301"]), Ok(Command::Explain("nb301".into())));
        assert_eq!(
            parse_strs(&["fix", "a", "--dry-run"]),
            Ok(Command::Fix(FixArgs { dry_run: true, paths: vec![PathBuf::from("a")] }))
        );
    }
}
