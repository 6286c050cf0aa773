//! Unified diffs for `nianbao fix --dry-run`.
//!
//! Lines are split the way the rest of nianbao splits them (`\n`, `\r\n` and a
//! lone `\r`, through [`LineIndex`]), not only at `\n` as most diff tools do,
//! so a file with old Mac line ends still diffs line by line. Each printed
//! line ends as it does in the file, except that a lone `\r` is printed as
//! `\n` (a bare carriage return would overwrite the line in a terminal).
//! The line matching itself is `similar`'s Myers diff.

use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffTag};

use crate::text::LineIndex;

/// Lines of `text`, each with its terminator.
fn lines(text: &str) -> Vec<&str> {
    let index = LineIndex::new(text);
    let mut out = Vec::with_capacity(index.line_count());
    for line in 0..index.line_count() {
        let start = index.line_start(line).unwrap_or(text.len());
        let end = index.line_start(line + 1).unwrap_or(text.len());
        if start < end {
            out.push(&text[start..end]);
        }
    }
    out
}

/// A unified diff of `old` → `new` with 3 lines of context, headed
/// `--- a/PATH` / `+++ b/PATH`; empty when the texts are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a = lines(old);
    let b = lines(new);
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for group in group_diff_ops(ops, 3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(old_range.start, old_range.len()),
            hunk_range(new_range.start, new_range.len())
        ));
        for op in &group {
            let (tag, old_lines, new_lines) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => old_lines.for_each(|i| push_line(&mut out, ' ', a[i])),
                DiffTag::Delete => old_lines.for_each(|i| push_line(&mut out, '-', a[i])),
                DiffTag::Insert => new_lines.for_each(|i| push_line(&mut out, '+', b[i])),
                DiffTag::Replace => {
                    old_lines.for_each(|i| push_line(&mut out, '-', a[i]));
                    new_lines.for_each(|i| push_line(&mut out, '+', b[i]));
                }
            }
        }
    }
    out
}

/// `start,len` in 1-based line numbers; an empty range names the line before.
fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, len),
    }
}

fn push_line(out: &mut String, prefix: char, line: &str) {
    out.push(prefix);
    if let Some(content) = line.strip_suffix("\r\n") {
        out.push_str(content);
        out.push_str("\r\n");
    } else if let Some(content) = line.strip_suffix('\n') {
        out.push_str(content);
        out.push('\n');
    } else if let Some(content) = line.strip_suffix('\r') {
        out.push_str(content);
        out.push('\n');
    } else {
        out.push_str(line);
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(unified("a.txt", "x\n", "x\n"), "");
    }

    #[test]
    fn one_changed_cell_with_context() {
        let old = "1\n2\n3\n4\n总计\t11\n6\n7\n8\n9\n";
        let new = old.replace("11", "12");
        expect_test::expect![[r#"
            --- a/d/r.txt
            +++ b/d/r.txt
            @@ -2,7 +2,7 @@
             2
             3
             4
            -总计	11
            +总计	12
             6
             7
             8
        "#]]
        .assert_eq(&unified("d/r.txt", old, &new));
    }

    #[test]
    fn lone_cr_and_missing_final_newline() {
        let old = "a\rb\r11";
        let new = "a\rb\r12";
        expect_test::expect![[r#"
            --- a/x
            +++ b/x
            @@ -1,3 +1,3 @@
             a
             b
            -11
            \ No newline at end of file
            +12
            \ No newline at end of file
        "#]]
        .assert_eq(&unified("x", old, new));
    }

    #[test]
    fn crlf_is_kept() {
        let d = unified("x", "a\r\n1\r\n", "a\r\n2\r\n");
        assert!(d.contains("-1\r\n+2\r\n"), "{d:?}");
    }
}
