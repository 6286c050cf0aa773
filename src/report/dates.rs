//! The year, period and date patterns the outline reads, matched by hand.
//!
//! Each function finds exactly what a regex finds (leftmost first, the
//! same groups); the regexes stay in the tests as the reference. By hand,
//! because these run on every report's first lines and a regex search with
//! groups costs thousands of instructions a line even when the line holds
//! no date: the digits, the whitespace (`\s`, Unicode White_Space, which is
//! what [`char::is_whitespace`] tests) and the literals are all a matcher
//! needs, since no part of these patterns can take back what a later part
//! needs (a digit run is followed by a non-digit, a `\s*` by a non-space).

use std::ops::Range;

use memchr::memmem::Finder;

/// The byte length of the digit (`[0-9０-９]`) at `i` of `b`, 0 if none.
#[inline]
fn digit_len(b: &[u8], i: usize) -> usize {
    match b.get(i..) {
        Some([b'0'..=b'9', ..]) => 1,
        Some([0xEF, 0xBC, 0x90..=0x99, ..]) => 3,
        _ => 0,
    }
}

/// The end of the run of digits that starts at `i`, and how many there are.
fn digit_run(b: &[u8], mut i: usize) -> (usize, usize) {
    let mut n = 0;
    loop {
        match digit_len(b, i) {
            0 => return (i, n),
            len => (i, n) = (i + len, n + 1),
        }
    }
}

/// `i` moved past the whitespace (`\s*`) it is at.
fn skip_space(s: &str, i: usize) -> usize {
    s[i..].char_indices().find(|&(_, c)| !c.is_whitespace()).map_or(s.len(), |(j, _)| i + j)
}

/// `\s*` then `lit` from `i`: where `lit` ends.
fn space_then(s: &str, i: usize, lit: &str) -> Option<usize> {
    let j = skip_space(s, i);
    s[j..].starts_with(lit).then_some(j + lit.len())
}

/// `\s*` then 1 to `max` digits from `i` (a longer run fails: its next
/// digit is not what follows): the digits' range.
fn space_digits(s: &str, i: usize, max: usize) -> Option<Range<usize>> {
    let j = skip_space(s, i);
    let (end, n) = digit_run(s.as_bytes(), j);
    (1..=max).contains(&n).then_some(j..end)
}

/// `\s*0?1` from `i`: where it ends.
fn space_one(s: &str, i: usize) -> Option<usize> {
    let j = skip_space(s, i);
    match &s.as_bytes()[j..] {
        [b'0', b'1', ..] => Some(j + 2),
        [b'1', ..] => Some(j + 1),
        _ => None,
    }
}

/// The first year of `((?:19|20)[0-9０-９]{2})\s*年` in `s` from `from`:
/// the group's range and where the match ends.
fn year_from(s: &str, from: usize) -> Option<(Range<usize>, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(k) = memchr::memchr2(b'1', b'2', &b[i..]) {
        let at = i + k;
        i = at + 1;
        if !matches!(&b[at..], [b'1', b'9', ..] | [b'2', b'0', ..]) {
            continue;
        }
        let third = digit_len(b, at + 2);
        let fourth = if third == 0 { 0 } else { digit_len(b, at + 2 + third) };
        if fourth == 0 {
            continue;
        }
        let group = at..at + 2 + third + fourth;
        if let Some(end) = space_then(s, group.end, "年") {
            return Some((group, end));
        }
    }
    None
}

/// The year a title states: the group of the first match of
/// `((?:19|20)[0-9０-９]{2})\s*年`.
pub(super) fn title_year(s: &str) -> Option<Range<usize>> {
    year_from(s, 0).map(|(group, _)| group)
}

/// `s` with every match of `((?:19|20)[0-9０-９]{2})\s*年` removed.
pub(super) fn without_years(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut kept = 0;
    while let Some((group, end)) = year_from(s, kept) {
        out.push_str(&s[kept..group.start]);
        kept = end;
    }
    out.push_str(&s[kept..]);
    out
}

/// The 12 characters of `[^。0-9０-９]{0,12}?`.
const PERIOD_GAP: usize = 12;
/// The words `统计` may be followed by before the gap.
const PERIOD_WORDS: [&str; 7] = ["期限", "时限", "时间", "区间", "周期", "范围", "年度"];

/// The year digits of the first match of
/// `统计(?:期限|时限|时间|区间|周期|范围|年度)?[^。0-9０-９]{0,12}?([0-9０-９]{2,4})\s*年\s*0?1\s*月\s*0?1\s*日`.
/// A match starts at a 统计; its digits are the first ones after it (the
/// gap takes no digit), so each 统计 has one candidate. Taking the optional
/// word only shortens the gap to the same digits, so it is taken when there.
pub(super) fn period_year(s: &str) -> Option<Range<usize>> {
    static TONGJI: std::sync::OnceLock<Finder> = std::sync::OnceLock::new();
    let b = s.as_bytes();
    for at in TONGJI.get_or_init(|| Finder::new("统计")).find_iter(b) {
        let mut p = at + "统计".len();
        if let Some(w) = PERIOD_WORDS.iter().find(|w| s[p..].starts_with(**w)) {
            p += w.len();
        }
        let mut first = None;
        for (n, (j, c)) in s[p..].char_indices().enumerate() {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                first = Some(p + j);
                break;
            }
            if c == '。' || n == PERIOD_GAP {
                break;
            }
        }
        let Some(d) = first else { continue };
        let (end, n) = digit_run(b, d);
        if !(2..=4).contains(&n) {
            continue;
        }
        let rest = space_then(s, end, "年")
            .and_then(|i| space_one(s, i))
            .and_then(|i| space_then(s, i, "月"))
            .and_then(|i| space_one(s, i))
            .and_then(|i| space_then(s, i, "日"));
        if rest.is_some() {
            return Some(d..end);
        }
    }
    None
}

/// One match of [`dates`]: the whole date and its three groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Date {
    pub whole: Range<usize>,
    pub year: Range<usize>,
    pub month: Range<usize>,
    pub day: Range<usize>,
}

/// The matches of `([0-9０-９]{2,4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日`
/// in `s`, in order and not overlapping. Each match ends its year at a 年
/// (past `\s*`), so each 年 has one candidate: the last two to four digits
/// of the run before it (fewer would leave a digit before 年), not reaching
/// back into the previous match. Found from the 年s (memmem) rather than by
/// reading every byte for a digit: the lines asked hold few 年 and many
/// other bytes.
pub(super) fn dates(s: &str) -> impl Iterator<Item = Date> + '_ {
    static NIAN: std::sync::OnceLock<Finder> = std::sync::OnceLock::new();
    let b = s.as_bytes();
    let mut from = 0;
    let mut nians = NIAN.get_or_init(|| Finder::new("年")).find_iter(b);
    std::iter::from_fn(move || {
        for at in nians.by_ref() {
            if at < from {
                continue;
            }
            let end = from + s[from..at].trim_end().len();
            let (start, n) = last_digits(b, from, end, 4);
            if n < 2 {
                continue;
            }
            let after_year = at + "年".len();
            let Some(month) = space_digits(s, after_year, 2) else { continue };
            let Some(after_month) = space_then(s, month.end, "月") else { continue };
            let Some(day) = space_digits(s, after_month, 2) else { continue };
            let Some(after_day) = space_then(s, day.end, "日") else { continue };
            from = after_day;
            return Some(Date { whole: start..after_day, year: start..end, month, day });
        }
        None
    })
}

/// The last digits, at most `most`, of the run that ends at `end` and
/// starts no earlier than `from`: where they start and how many they are.
fn last_digits(b: &[u8], from: usize, mut end: usize, most: usize) -> (usize, usize) {
    let mut n = 0;
    while n < most {
        match b[from..end] {
            [.., b'0'..=b'9'] => end -= 1,
            [.., 0xEF, 0xBC, 0x90..=0x99] => end -= 3,
            _ => break,
        }
        n += 1;
    }
    (end, n)
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use regex::Regex;

    use super::*;
    use crate::report::re;

    fn year_re() -> &'static Regex {
        static YEAR: OnceLock<Regex> = OnceLock::new();
        re(&YEAR, r"((?:19|20)[0-9０-９]{2})\s*年")
    }

    fn period_re() -> &'static Regex {
        static PERIOD: OnceLock<Regex> = OnceLock::new();
        re(
            &PERIOD,
            r"统计(?:期限|时限|时间|区间|周期|范围|年度)?[^。0-9０-９]{0,12}?([0-9０-９]{2,4})\s*年\s*0?1\s*月\s*0?1\s*日",
        )
    }

    fn date_re() -> &'static Regex {
        static DATE: OnceLock<Regex> = OnceLock::new();
        re(&DATE, r"([0-9０-９]{2,4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日")
    }

    /// Random lines shaped like the patterns, each slot filled from its
    /// alternatives, right ones and near misses: digits of both widths and
    /// runs too short or too long, the words, gaps up to past their bound,
    /// whitespace of several kinds (and a character that looks like one but
    /// is not), the full stop, 𠮷, and stray pieces between the slots.
    fn lines(count: usize) -> Vec<String> {
        let slots: [&[&str]; 11] = [
            &["", "", "统计", "统计", "统计", "统", "截至"],
            &["", "", "期限", "时间", "年度", "范围", "周期", "时限", "区间", "期"],
            &["", "", "为", "的数据", "：自", "。", "一二三四五六七八九十", "一二三四五六七八九十一二", "𠮷"],
            &["2024", "2024", "２０２４", "2０24", "19", "20", "1999", "20245", "1", "24", "", "１９９９"],
            &["", "", " ", "\u{3000}", "\t", "\u{a0}", "\u{85}", "\u{2028}", "\u{200b}", "\u{1680}", "\r"],
            &["年", "年", "年", "月", "a"],
            &["1", "01", "001", "12", "１", "０１", "13", "", " 1", "\u{3000}1"],
            &["月", "月", "月", "日", "年"],
            &["1", "01", "001", "31", "３１", "32", "", " 1", "0"],
            &["日", "日", "日", "月", "号"],
            &["", "", "，", "至12月31日", "。", "1", "统计", "𠮷", "2023年"],
        ];
        let mut next = crate::text::xorshift(0x0da7_e5ee_d000_0017u64);
        (0..count)
            .map(|_| {
                let mut line = String::new();
                for _ in 0..1 + next() % 3 {
                    for slot in slots {
                        line.push_str(slot[(next() % slot.len() as u64) as usize]);
                    }
                }
                line
            })
            .collect()
    }

    #[test]
    fn years_are_the_year_regex() {
        let mut found = 0;
        for line in lines(40_000) {
            let want = year_re().captures(&line).map(|c| c.get(1).expect("group").range());
            assert_eq!(title_year(&line), want, "{line:?}");
            assert_eq!(without_years(&line), year_re().replace_all(&line, ""), "{line:?}");
            found += usize::from(want.is_some());
        }
        assert!(found > 1000, "the lines hold few years: {found}");
    }

    #[test]
    fn periods_are_the_period_regex() {
        let mut found = 0;
        for line in lines(60_000) {
            let want = period_re().captures(&line).map(|c| c.get(1).expect("group").range());
            assert_eq!(period_year(&line), want, "{line:?}");
            found += usize::from(want.is_some());
        }
        // Hand-made ones too: the word, the gap's bound, a full stop in it.
        for line in [
            "统计期限为2024年1月1日至12月31日",
            "统计时间：２０２４年01月 1日",
            "本报告统计的数据期限一二三四五六七2024年1月1日",
            "本报告统计的数据期限一二三四五六七八2024年1月1日",
            "统计。2024年1月1日，统计2023年1月1日",
            "统计20241年1月1日",
        ] {
            let want = period_re().captures(line).map(|c| c.get(1).expect("group").range());
            assert_eq!(period_year(line), want, "{line:?}");
        }
        assert!(found > 100, "the lines hold few periods: {found}");
    }

    #[test]
    fn dates_are_the_date_regex() {
        let mut found = 0;
        for line in lines(40_000) {
            let want: Vec<Date> = date_re()
                .captures_iter(&line)
                .map(|c| Date {
                    whole: c.get(0).expect("group").range(),
                    year: c.get(1).expect("group").range(),
                    month: c.get(2).expect("group").range(),
                    day: c.get(3).expect("group").range(),
                })
                .collect();
            assert_eq!(dates(&line).collect::<Vec<_>>(), want, "{line:?}");
            found += want.len();
        }
        assert!(found > 1000, "the lines hold few dates: {found}");
    }
}
