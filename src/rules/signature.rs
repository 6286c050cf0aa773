//! The signature date patterns, matched by hand: a date ending the report
//! (NB405) and a line that is a date alone (where a missing 六 goes).
//!
//! Each function finds exactly what its regex finds; the regexes stay in the
//! tests as the reference. By hand, because compiling the two regexes cost
//! more than checking a hundred reports' signatures, and a search with groups
//! thousands of instructions a report. The whitespace (`\s`, Unicode
//! White_Space) is what [`str::trim`] and [`char::is_whitespace`] take, and no
//! part of these patterns can take back what a later part needs: a run of
//! numerals is followed by a non-numeral, a `\s*` by a non-space.

use std::ops::Range;

/// A date that ends a text: where it starts, and the byte ranges of its
/// year, month and day numerals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct EndDate {
    pub start: usize,
    pub year: Range<usize>,
    pub month: Range<usize>,
    pub day: Range<usize>,
}

/// A digit of a year: ASCII, full-width, or a Chinese numeral.
fn is_year_numeral(c: char) -> bool {
    matches!(c, '0'..='9' | '０'..='９' | '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九')
}

/// A digit of a month or day: a year's, or 十.
fn is_numeral(c: char) -> bool {
    c == '十' || is_year_numeral(c)
}

/// The date that ends `s`, as `(Y{4})\s*年\s*(N{1,3})\s*月\s*(N{1,3})\s*日\s*$`
/// finds it, Y and N the numerals above (「2025年1月24日」, 「二〇二五年一月二十四日」).
/// Read from the end: the only match, so the leftmost.
pub(super) fn date_at_end(s: &str) -> Option<EndDate> {
    let rest = s.trim_end().strip_suffix('日')?;
    let (rest, day) = numerals_at_end(rest)?;
    let rest = rest.strip_suffix('月')?;
    let (rest, month) = numerals_at_end(rest)?;
    let rest = rest.strip_suffix('年')?.trim_end();
    let mut start = rest.len();
    let mut year = rest.chars().rev();
    for _ in 0..4 {
        let c = year.next().filter(|&c| is_year_numeral(c))?;
        start -= c.len_utf8();
    }
    Some(EndDate { start, year: start..rest.len(), month, day })
}

/// `\s*`, then one to three month or day numerals, then `\s*`, at the end of
/// `s` (all of a run: the numeral before a longer one is not what precedes
/// it): what comes before, and the numerals' range.
fn numerals_at_end(s: &str) -> Option<(&str, Range<usize>)> {
    let s = s.trim_end();
    let rest = s.trim_end_matches(is_numeral);
    (1..=3).contains(&s[rest.len()..].chars().count()).then(|| (rest.trim_end(), rest.len()..s.len()))
}

/// Whether `line` is a date alone, as
/// `^\s*D{4}\s*年\s*D{1,2}\s*月\s*D{1,2}\s*日\s*$` finds it, D an ASCII or
/// full-width digit.
pub(super) fn is_date_line(line: &str) -> bool {
    let date = || {
        let rest = digits(line.trim(), 4..=4)?.strip_prefix('年')?;
        let rest = digits(rest, 1..=2)?.strip_prefix('月')?;
        digits(rest, 1..=2)?.strip_prefix('日')
    };
    date().is_some_and(str::is_empty)
}

/// `\s*`, then a run of `[0-9０-９]` as long as `len` allows, then `\s*`, at
/// the start of `s`: what follows.
fn digits(s: &str, len: std::ops::RangeInclusive<usize>) -> Option<&str> {
    let s = s.trim_start();
    let rest = s.trim_start_matches(|c| matches!(c, '0'..='9' | '０'..='９'));
    len.contains(&s[..s.len() - rest.len()].chars().count()).then(|| rest.trim_start())
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use regex::Regex;

    use super::*;
    use crate::report::re;

    fn date_re() -> &'static Regex {
        static DATE: OnceLock<Regex> = OnceLock::new();
        re(
            &DATE,
            r"([0-9０-９〇零一二三四五六七八九]{4})\s*年\s*([0-9０-９〇零一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９〇零一二三四五六七八九十]{1,3})\s*日\s*$",
        )
    }

    fn date_line_re() -> &'static Regex {
        static DATE_LINE: OnceLock<Regex> = OnceLock::new();
        re(&DATE_LINE, r"^\s*[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日\s*$")
    }

    /// Random texts shaped like a signature, each slot filled from its
    /// alternatives, right ones and near misses: numerals of every kind,
    /// runs too short and too long, whitespace of several kinds (and a
    /// character that looks like one but is not), CRLF and lone CR, 𠮷, and
    /// stray pieces before, between and after.
    fn texts(count: usize) -> Vec<String> {
        let space: &[&str] =
            &["", "", "", " ", "\u{3000}", "\t", "\u{a0}", "\u{85}", "\u{2028}", "\u{200b}", "\r\n", "\r"];
        let slots: [&[&str]; 10] = [
            &["", "", "某某局", "某某局 ", "于", "𠮷", "\r\n", "2025年1月1日\n", "1", "一"],
            &["2025", "2025", "２０２５", "二〇二五", "二零二五", "202", "20255", "2０2五", "十二〇二", "", "𠮷025"],
            space,
            &["年", "年", "年", "月", "a"],
            &["1", "01", "12", "１２", "一", "十", "十二", "二十四", "001", "0001", "十二月", "", "𠮷"],
            space,
            &["月", "月", "月", "日", "年"],
            &["1", "24", "３１", "二十四", "三十一", "十", "2411", "", "〇一"],
            &["日", "日", "日", "日 ", "日\r\n", "日\u{3000}", "月", "号", "日。"],
            &["", "", "", " ", "\r", "\n", "（此件主动公开）", "日", "𠮷"],
        ];
        let mut next = crate::text::xorshift(0x5167_0da7_e000_0405u64);
        (0..count)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..1 + next() % 2 {
                    for slot in slots {
                        text.push_str(slot[(next() % slot.len() as u64) as usize]);
                    }
                }
                text
            })
            .collect()
    }

    #[test]
    fn dates_at_the_end_are_the_date_regex() {
        let mut found = 0;
        for text in texts(60_000) {
            let want = date_re().captures(&text).map(|c| EndDate {
                start: c.get(0).expect("match").start(),
                year: c.get(1).expect("group").range(),
                month: c.get(2).expect("group").range(),
                day: c.get(3).expect("group").range(),
            });
            assert_eq!(date_at_end(&text), want, "{text:?}");
            found += usize::from(want.is_some());
        }
        assert!(found > 2000, "the texts end in few dates: {found}");
    }

    #[test]
    fn date_lines_are_the_date_line_regex() {
        let mut found = 0;
        for text in texts(60_000) {
            // The texts whole, and cut into lines, so that more are a date alone.
            for line in std::iter::once(text.as_str()).chain(text.split(['\n', '\r'])) {
                let want = date_line_re().is_match(line);
                assert_eq!(is_date_line(line), want, "{line:?}");
                found += usize::from(want);
            }
        }
        assert!(found > 5000, "the texts are seldom dates alone: {found}");
    }
}
