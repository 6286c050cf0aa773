//! The server's settings (product-spec §6): `locale`, `rules`,
//! `amountDecimals` and `inlayHints`, read from `initializationOptions` (the
//! settings object itself) and `workspace/didChangeConfiguration` (as
//! `settings.nianbao`, VS Code's shape, or bare).
//!
//! Reading never fails: a key with a wrong value is reported as a problem
//! (logged by the caller) and the rest still applies. Keys not sent keep
//! their defaults, so a partial object resets what it leaves out, as editors
//! expect from a full configuration push.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::rules::{rule, Config, Locale, RuleLevel};

/// Which inlay hints to show beside derived cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InlayHints {
    /// The computed value beside each derived cell that disagrees.
    #[default]
    Mismatch,
    /// The computed value beside every derived cell.
    All,
    Off,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `None`: follow `InitializeParams.locale`.
    pub locale: Option<Locale>,
    pub rules: BTreeMap<String, RuleLevel>,
    pub amount_decimals: Option<u32>,
    pub inlay_hints: InlayHints,
}

impl Settings {
    /// Reads a settings object. `value` may be the object itself or wrap it
    /// as `{"nianbao": {...}}`. Returns the settings and what was ignored.
    pub fn from_json(value: &Value) -> (Settings, Vec<String>) {
        let mut problems = Vec::new();
        let mut s = Settings::default();
        let obj = match value.get("nianbao") {
            Some(inner @ Value::Object(_)) => inner,
            _ => value,
        };
        let Some(obj) = obj.as_object() else {
            if !obj.is_null() {
                problems.push(format!("settings must be an object, got {obj}"));
            }
            return (s, problems);
        };
        match obj.get("locale") {
            None | Some(Value::Null) => {}
            Some(Value::String(tag)) => s.locale = Some(Locale::from_tag(tag)),
            Some(v) => problems.push(format!("locale: expected \"zh-CN\" or \"en\", got {v}")),
        }
        match obj.get("rules") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (code, level) in map {
                    let code_up = code.trim().to_ascii_uppercase();
                    let parsed = level.as_str().and_then(RuleLevel::parse);
                    match (rule(&code_up), parsed) {
                        (Some(_), Some(level)) => {
                            s.rules.insert(code_up, level);
                        }
                        (None, _) => problems.push(format!("rules: unknown rule code {code}")),
                        (_, None) => {
                            problems.push(format!("rules.{code}: expected off, info, warning or error, got {level}"))
                        }
                    }
                }
            }
            Some(v) => problems.push(format!("rules: expected an object of CODE → level, got {v}")),
        }
        match obj.get("amountDecimals") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()).filter(|&n| n <= 10) {
                Some(n) => s.amount_decimals = Some(n),
                None => problems.push(format!("amountDecimals: expected null or an integer 0–10, got {v}")),
            },
        }
        match obj.get("inlayHints") {
            None | Some(Value::Null) => {}
            Some(Value::String(m)) if m == "mismatch" => s.inlay_hints = InlayHints::Mismatch,
            Some(Value::String(m)) if m == "all" => s.inlay_hints = InlayHints::All,
            Some(Value::String(m)) if m == "off" => s.inlay_hints = InlayHints::Off,
            Some(v) => problems.push(format!("inlayHints: expected \"mismatch\", \"all\" or \"off\", got {v}")),
        }
        (s, problems)
    }

    /// The rules' configuration for a document.
    pub fn config(&self, client_locale: Locale, force_report: bool) -> Config {
        Config {
            locale: self.locale.unwrap_or(client_locale),
            rules: self.rules.clone(),
            amount_decimals: self.amount_decimals,
            force_report,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rules::Severity;

    #[test]
    fn reads_every_key_in_both_shapes() {
        let bare = json!({"locale": "en-US", "rules": {"nb402": "off", "NB301": "warning"},
                          "amountDecimals": 2, "inlayHints": "all"});
        let (a, problems) = Settings::from_json(&bare);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(a.locale, Some(Locale::En));
        assert_eq!(a.rules.get("NB402"), Some(&RuleLevel::Off));
        assert_eq!(a.rules.get("NB301"), Some(&RuleLevel::On(Severity::Warning)));
        assert_eq!(a.amount_decimals, Some(2));
        assert_eq!(a.inlay_hints, InlayHints::All);
        let (b, _) = Settings::from_json(&json!({ "nianbao": bare }));
        assert_eq!(a, b);
    }

    #[test]
    fn bad_values_are_reported_and_the_rest_applies() {
        let (s, problems) = Settings::from_json(&json!({"locale": 3, "rules": {"NB999": "off", "NB301": "loud"},
                                                        "amountDecimals": -1, "inlayHints": "some",
                                                        "extra": true}));
        assert_eq!(s, Settings::default());
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("NB999")));
        let (s, problems) = Settings::from_json(&json!({"locale": "zh-CN", "amountDecimals": "2"}));
        assert_eq!(s.locale, Some(Locale::Zh));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn null_and_missing_mean_defaults() {
        assert_eq!(Settings::from_json(&Value::Null), (Settings::default(), vec![]));
        let (s, p) = Settings::from_json(&json!("zh"));
        assert_eq!(s, Settings::default());
        assert_eq!(p.len(), 1);
        let config = Settings::default().config(Locale::En, true);
        assert_eq!(config.locale, Locale::En);
        assert!(config.force_report);
    }
}
