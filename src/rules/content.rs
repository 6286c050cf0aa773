//! Content: NB105 a topic missing from section 一, NB106 no rectification in
//! 五, NB107 no fee statement in 六, NB405 a signature date past the deadline.
//!
//! These read what a section says, by keyword, over that section's lines
//! only (a line break inside a keyword is bridged, as web exports break lines
//! anywhere), so a keystroke costs one section's scan, not the report's. They
//! do not judge whether what the section says is adequate: a keyword is enough.

use super::signature::date_at_end;
use super::{Ctx, Diagnostic, Severity};
use crate::report::prose::bits;
use crate::report::{LineKind, Report, Section};
use crate::schema::{FormatId, TableId};
use crate::text::TextRange;

pub(super) fn check(cx: &mut Ctx) {
    overview_topics(cx);
    rectification(cx);
    fee_statement(cx);
    late_date(cx);
}

/// The five topics section 一 should cover (format-spec §2.3): a name for the
/// message (zh, en), the bit of `report::KEYWORDS` that covers it, and its
/// keywords for the message.
const TOPICS: [(&str, &str, u8, &str); 5] = [
    ("主动公开", "proactive disclosure", bits::PROACTIVE, "主动公开"),
    ("依申请公开", "disclosure on request", bits::ON_REQUEST, "依申请公开"),
    ("政府信息管理", "government information management", bits::MANAGEMENT, "信息管理」「信息资源"),
    ("平台建设", "disclosure platforms", bits::PLATFORM, "平台"),
    ("监督保障", "supervision and safeguards", bits::OVERSIGHT, "监督」「保障"),
];

/// The keyword bits of a section's text: folded from each line's cached
/// bits (`ProseFacts::keywords`), from the line of its heading to the line
/// before the next heading (a keyword in a heading line counts; a keyword
/// broken over a line break counts on the line it starts), so a keystroke
/// costs no rescan of the section.
fn section_bits(report: &Report, section: &Section) -> u8 {
    let first = report.lines.partition_point(|l| l.next <= section.title.start);
    let next = report
        .sections
        .iter()
        .map(|s| s.title.start)
        .filter(|&start| start > section.title.start)
        .min()
        .unwrap_or(report.len);
    // Up to the line of the next heading, and that line only when the
    // heading sits inside it (flattened web text) after some of this
    // section's text.
    let end = report.lines.partition_point(|l| l.range.start < next);
    let hits = &report.prose.keywords;
    let from = hits.partition_point(|&(l, _)| l < first);
    hits[from..].iter().take_while(|&&(l, _)| l < end).fold(0, |bits, &(_, b)| bits | b)
}

/// The format whose content rules apply: the year's (a 2022 report owes the
/// 2021 content even when it uses the 2019 tables), else the tables'.
fn content_format(report: &Report) -> Option<FormatId> {
    report.year_format.or(report.table_format)
}

fn overview_topics(cx: &mut Ctx) {
    let report = cx.report;
    let Some(section) = report.section(1) else { return };
    let bits = section_bits(report, section);
    let mut out = Vec::new();
    for (zh, en, bit, list) in TOPICS {
        if bits & bit != 0 {
            continue;
        }
        out.push(Diagnostic::new(
            "NB105",
            section.title,
            cx.msgf(
                format_args!("总体情况未提及「{zh}」方面（未见「{list}」）"),
                format_args!("the overview does not cover {en} (no 「{list}」)"),
            ),
        ));
    }
    cx.out.extend(out);
}

/// Section `num` of a 2021-format report when it says none of `bit`'s words.
fn silent_2021_section(report: &Report, num: u8, bit: u8) -> Option<&Section> {
    let section = report.section(num).filter(|_| content_format(report) == Some(FormatId::F2021))?;
    (section_bits(report, section) & bit == 0).then_some(section)
}

fn rectification(cx: &mut Ctx) {
    let report = cx.report;
    let Some(section) = silent_2021_section(report, 5, bits::RECTIFICATION) else { return };
    let d = Diagnostic::new(
        "NB106",
        section.title,
        cx.msg(
            "第五部分未说明上年度问题的整改情况（未见「上年」「上一年」「去年」「整改」）",
            "section 五 says nothing of how last year's problems were rectified (no 「上年」「上一年」「去年」「整改」)",
        ),
    );
    cx.push(d);
}

fn fee_statement(cx: &mut Ctx) {
    let report = cx.report;
    let Some(section) = silent_2021_section(report, 6, bits::FEES) else { return };
    // Applications dropped for unpaid fees mean fee notices went out: then
    // the fees charged should be reported.
    let unpaid = report
        .table(TableId::T3)
        .filter(|t| t.readable() && t.format == FormatId::F2021)
        .and_then(|t| t.row("R3.6.2")?.cells.get(6)?.int())
        .filter(|&n| n > 0);
    let mut d = Diagnostic::new(
        "NB107",
        section.title,
        match unpaid {
            Some(n) => cx.msgf(
                format_args!("第六部分未说明信息处理费收取情况，而表三（六）2 有 {n} 件因逾期未缴费不再处理"),
                format_args!(
                    "section 六 says nothing of information processing fees, yet table 三 （六）2 has {n} applications dropped for unpaid fees"
                ),
            ),
            None => cx.msg(
                "第六部分未说明信息处理费收取情况（未见「处理费」「收费」「收取」）",
                "section 六 says nothing of information processing fees (no 「处理费」「收费」「收取」)",
            ),
        },
    );
    if unpaid.is_some() {
        d.severity = Severity::Warning;
    }
    cx.push(d);
}

/// A number written in ASCII or full-width digits, or in Chinese numerals
/// either digit by digit (「二〇二五」) or with 十 (「二十四」).
fn number(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    if let Some((tens, ones)) = s.split_once('十') {
        let tens = if tens.is_empty() { 1 } else { digit(tens.chars().next()?)? };
        let ones = if ones.is_empty() { 0 } else { digit(ones.chars().next()?)? };
        return Some(tens * 10 + ones);
    }
    s.chars().try_fold(0u32, |n, c| Some(n * 10 + digit(c)?))
}

/// A character a date split over lines by a web export may consist of.
fn is_date_char(c: char) -> bool {
    c.is_whitespace() || "0123456789０１２３４５６７８９〇零一二三四五六七八九十年月日".contains(c)
}

/// The trailing signature date: (range, year, month, day). The last lines
/// that are not blank and not a remark such as 「（此件主动公开）」 either are
/// a date broken over one or more lines (「202」/「1」/「年」/「1月」/「13」/「日」 in
/// a real export), or end, after a space, in a date (「某某局 2025年1月24日」).
fn trailing_date(text: &str, report: &Report) -> Option<(TextRange, u32, u32, u32)> {
    let n = report.lines.len();
    let content = |i: usize| matches!(report.kinds[i], LineKind::Prose | LineKind::Front | LineKind::Blank);
    let mut last = n;
    let mut remarks = 0;
    for i in (0..n).rev() {
        if !content(i) {
            return None;
        }
        let s = report.line_text(text, i).trim();
        if s.is_empty() {
            continue;
        }
        let remark = (s.starts_with('（') || s.starts_with('(')) && (s.ends_with('）') || s.ends_with(')'));
        if remark && remarks < 2 && s.chars().count() <= 20 {
            remarks += 1;
            continue;
        }
        last = i;
        break;
    }
    if last == n {
        return None;
    }
    // A date alone, perhaps broken over lines.
    let mut first = last;
    while first > 0 && last - first < 8 {
        let s = report.line_text(text, first - 1);
        if s.trim().is_empty() || !content(first - 1) || !s.chars().all(is_date_char) {
            break;
        }
        first -= 1;
    }
    let mut joined = String::new();
    let mut map = Vec::new();
    for line in &report.lines[first..=last] {
        let s = line.range.slice(text);
        let lead = s.len() - s.trim_start().len();
        let t = s.trim();
        joined.push_str(t);
        map.extend(line.range.start + lead..line.range.start + lead + t.len());
    }
    // A signature date: 「2025年1月24日」, full-width digits or Chinese
    // numerals (「二〇二五年一月二十四日」) too.
    let date = date_at_end(&joined)?;
    let before = &joined[..date.start];
    // 「…于2025年1月24日」 ends a sentence, not a signature.
    if !(before.is_empty() || before.ends_with(char::is_whitespace)) {
        return None;
    }
    if !before.is_empty() && (last > first || before.chars().count() > 30) {
        return None;
    }
    let end = joined.trim_end().len();
    let range = TextRange::new(map[date.start], map[end - 1] + 1);
    Some((range, number(&joined[date.year])?, number(&joined[date.month])?, number(&joined[date.day])?))
}

/// Whether the body in the title is a government issuing its own report (due
/// by 3月31日) rather than one of its departments (due by 1月31日): a name
/// ending in 人民政府, or a bare place name (「三明市」: the report of the city).
fn is_government(org: &str) -> bool {
    if org.ends_with("人民政府") {
        return true;
    }
    const DEPARTMENT: [&str; 8] = ["局", "委", "厅", "办", "室", "会", "院", "所"];
    const PLACE: [&str; 7] = ["省", "市", "县", "区", "州", "旗", "盟"];
    !DEPARTMENT.iter().any(|d| org.ends_with(d)) && PLACE.iter().any(|p| org.ends_with(p))
}

fn late_date(cx: &mut Ctx) {
    let report = cx.report;
    let Some(year) = report.year else { return };
    let Some((range, y, m, d)) = trailing_date(cx.text, report) else { return };
    let government = report.title.as_ref().and_then(|t| t.org.as_deref()).is_some_and(is_government);
    let due_year = u32::from(year) + 1;
    let due_month = if government { 3 } else { 1 };
    if (y, m, d) <= (due_year, due_month, 31) {
        return;
    }
    let d = Diagnostic::new(
        "NB405",
        range,
        cx.msgf(
            format_args!(
                "落款日期{y}年{m}月{d}日晚于法定公开期限{due_year}年{due_month}月31日（{}）",
                if government { "本级政府年度报告" } else { "部门年度报告" }
            ),
            format_args!(
                "the report is dated {y}-{m:02}-{d:02}, after the statutory deadline {due_year}-{due_month:02}-31 ({})",
                if government { "a government's own report" } else { "a department's report" }
            ),
        ),
    );
    cx.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_digits_and_chinese_numerals() {
        assert_eq!(number("2025"), Some(2025));
        assert_eq!(number("２０２５"), Some(2025));
        assert_eq!(number("二〇二五"), Some(2025));
        assert_eq!(number("二十四"), Some(24));
        assert_eq!(number("十"), Some(10));
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("三"), Some(3));
        assert_eq!(number("x"), None);
    }

    #[test]
    fn governments_and_departments() {
        assert!(is_government("沐阳县人民政府"));
        assert!(is_government("三明市"));
        assert!(is_government("平潭综合实验区"));
        assert!(!is_government("重庆市綦江区公安局"));
        assert!(!is_government("莆田市人民政府办公室"));
        assert!(!is_government("上海市人民政府办公厅"));
        assert!(!is_government("沭阳县发展和改革局"));
    }
}
