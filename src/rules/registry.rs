//! The one list of rules: code, slug, default severity, and the text that
//! `nianbao explain` and the README rule table are generated from.

use super::Severity;

#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line, zh-CN.
    pub summary_zh: &'static str,
    /// One line, en.
    pub summary_en: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A small example that fires it, and how to fix it.
    pub example: &'static str,
    /// What `fix` / the code actions offer, if anything.
    pub fix: &'static str,
}

use Severity::{Error, Info, Warning};

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "NB001",
        name: "unsupported-year",
        severity: Info,
        summary_zh: "报告年度早于2019年或无法确定格式，不作检查",
        summary_en: "report year is 2018 or earlier, or the format cannot be determined; not checked",
        what: "The report year (from the title, else the statistics period) is 2018 or earlier, or neither the year nor the tables tell which official format applies.",
        why: "Reports before 2019 followed free-form formats; checking them against the 2019 or 2021 tables would only produce noise.",
        example: "「某某局2017年政府信息公开工作年度报告」 → one NB001 and nothing else.",
        fix: "",
    },
    RuleInfo {
        code: "NB101",
        name: "missing-section",
        severity: Error,
        summary_zh: "缺少六个必备部分之一",
        summary_en: "one of the six mandatory sections is missing",
        what: "One of 一、总体情况 … 六、其他需要报告的事项 has no heading. The range is where the section belongs.",
        why: "条例第五十条 and the official format make all six parts mandatory; reviewers reject reports that omit one.",
        example: "A report that ends with 「五、存在的主要问题及改进情况」 and its signature → NB101 for 六.",
        fix: "Insert the heading (with a skeleton table for 二/三/四).",
    },
    RuleInfo {
        code: "NB102",
        name: "section-order",
        severity: Warning,
        summary_zh: "部分顺序错误",
        summary_en: "a section heading is out of order",
        what: "A top-level section heading comes after a section that should follow it.",
        why: "The official format fixes the order 一…六; readers and reviewers look for each part in its place.",
        example: "「三、收到和处理…」 before 「二、主动公开…」 → NB102 on the 二 heading.",
        fix: "",
    },
    RuleInfo {
        code: "NB103",
        name: "duplicate-section",
        severity: Warning,
        summary_zh: "部分重复出现",
        summary_en: "a section appears twice",
        what: "A second heading for a section that already has one.",
        why: "Usually a copy-paste left over from last year's report, or two drafts merged.",
        example: "Two lines 「五、存在的主要问题及改进情况」 → NB103 on the second.",
        fix: "",
    },
    RuleInfo {
        code: "NB104",
        name: "numbering",
        severity: Info,
        summary_zh: "小标题编号跳号、重复，或部分内出现错位的一级编号",
        summary_en: "sub-heading numbering gap or repeat, or a stray top-level numeral inside a section",
        what: "Sub-headings （一）（二）… skip or repeat a number, or a line such as 「二、下步打算」 sits inside another section.",
        why: "Gaps usually mean a paragraph was deleted or masked away; stray numerals confuse the reader about where a section starts.",
        example: "（四）… followed by （六）… → NB104 on （六）.",
        fix: "",
    },
    RuleInfo {
        code: "NB105",
        name: "overview-topic",
        severity: Info,
        summary_zh: "总体情况缺少五个方面之一（主动公开、依申请公开、政府信息管理、平台建设、监督保障）",
        summary_en: "the overview (section 一) lacks one of its five topics",
        what: "Section 一 contains none of the keywords of one topic: 主动公开 / 依申请公开 / 信息管理 / 平台 / 监督 or 保障. One diagnostic per missing topic, on the section 一 heading. Both formats.",
        why: "The official format asks 总体情况 to cover 主动公开, 依申请公开, 政府信息管理, 政府信息公开平台建设 and 监督保障; a topic left out is usually a paragraph forgotten.",
        example: "A 总体情况 with （一）主动公开 … （四）平台建设 but no word of 监督 or 保障 → NB105 「监督保障」.",
        fix: "",
    },
    RuleInfo {
        code: "NB106",
        name: "no-rectification",
        severity: Info,
        summary_zh: "第五部分未提及上年度问题的整改情况",
        summary_en: "section 五 does not mention the rectification of last year's problems",
        what: "In a 2021-format report, section 五 contains none of 上年, 上一年, 去年, 整改.",
        why: "The 2021 format asks section 五 to report how the problems of the previous year's report were rectified, not only this year's problems.",
        example: "「五、存在的主要问题及改进情况」 listing only this year's problems and next year's plans → NB106.",
        fix: "",
    },
    RuleInfo {
        code: "NB107",
        name: "no-fee-statement",
        severity: Info,
        summary_zh: "第六部分未说明信息处理费收取情况",
        summary_en: "section 六 does not report information processing fees",
        what: "In a 2021-format report, section 六 contains none of 处理费, 收费, 收取. A warning instead of info when table 三 row （六）2 (申请人逾期未按收费通知要求缴纳费用…) has a 总计 above 0.",
        why: "Under 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号) section 六 reports the fees charged; fee notices that went unpaid show fees were at stake.",
        example: "「六、其他需要报告的事项」 followed only by 「(无)」 → NB107.",
        fix: "",
    },
    RuleInfo {
        code: "NB201",
        name: "missing-table",
        severity: Error,
        summary_zh: "第二、三、四部分缺少统计表",
        summary_en: "section 二/三/四 has no recognisable table",
        what: "Section 二, 三 or 四 exists but no table of the official format can be found in it.",
        why: "The statistics tables are the mandatory core of the report; prose cannot replace them.",
        example: "「三、收到和处理政府信息公开申请情况」 followed only by a paragraph → NB201.",
        fix: "Insert a skeleton table with zeros, in the document's own table layout.",
    },
    RuleInfo {
        code: "NB202",
        name: "missing-row",
        severity: Error,
        summary_zh: "表格缺少必备行（或第二部分的子表）",
        summary_en: "a mandatory table row (or a section 二 sub-table) is missing",
        what: "A row of the official table (for example 「（四）无法提供」 1.) or a whole 第二十条 sub-table is absent.",
        why: "Totals cannot be checked and the report is incomplete without every row of the format.",
        example: "Table 三 without 「2.重复申请」 → NB202 where that row belongs.",
        fix: "Insert the row with zeros.",
    },
    RuleInfo {
        code: "NB203",
        name: "cell-count",
        severity: Error,
        summary_zh: "行内数值个数不符合格式",
        summary_en: "a row has more or fewer values than the format allows",
        what: "A table row has more or fewer values than its table allows (7 in table 三, 15 in table 四, 1–3 in table 二), so its values cannot be aligned to columns. Reported once per table; no sums are checked on it. Flattened web text glues each row into its label and a run of digits (「…申请数量21710000218二、…」); the run is split into the row's values, using every digit, with no leading zeros, whitespace always between two values, and the row's totals holding (table 三's 总计, table 四's three 总计). A run with exactly one such split is read as those values and checked by NB302–NB304 (never NB301: its totals chose the split); a run with none or several (table 二 has no totals, so only runs with one reading, like 「000」 or a single value, decode) makes the table NB203. Decoded tables get no fixes: a new number inside a run would change how the run splits.",
        why: "A value in the wrong column silently corrupts every total that uses it.",
        example: "The section 四 data row with 16 numbers → NB203. Flattened 「（一）予以公开270020130」 → NB203: 27+0+0+2+0+1 = 30 and 2+7+0+0+20+1 = 30.",
        fix: "",
    },
    RuleInfo {
        code: "NB204",
        name: "bad-number",
        severity: Error,
        summary_zh: "数值格式错误",
        summary_en: "a count cell is not a non-negative integer",
        what: "A count cell holds something other than a non-negative integer (negative only in the 2019 本年增/减 column; decimals only in amount cells).",
        why: "Counts of documents and applications are whole numbers; anything else is a typo or a merged cell.",
        example: "「1.5」 or 「-2」 in table 三 → NB204.",
        fix: "",
    },
    RuleInfo {
        code: "NB205",
        name: "empty-cell",
        severity: Warning,
        summary_zh: "单元格为空（不按0处理）",
        summary_en: "a value cell is empty (it is not read as 0)",
        what: "A value cell in a row of the right width is blank. It is not read as 0, so relations that use it are not checked.",
        why: "The format asks for 0 where nothing happened; a blank cell leaves the reader guessing.",
        example: "「行政许可 |  |」 → NB205.",
        fix: "Input cell: fill 0. Derived (总计) cell: write the computed total.",
    },
    RuleInfo {
        code: "NB206",
        name: "unknown-row",
        severity: Warning,
        summary_zh: "行标题与表格的任何一行都不匹配",
        summary_en: "a row label matches no row of the table",
        what: "A table row with values whose label matches no row of the official table.",
        why: "Extra or mistyped rows are not counted where the reader expects them.",
        example: "「（八）其他情形 | 1 | …」 in table 三 → NB206.",
        fix: "",
    },
    RuleInfo {
        code: "NB207",
        name: "format-mismatch",
        severity: Warning,
        summary_zh: "表格格式与报告年度不符",
        summary_en: "the table layout belongs to the other format than the report year",
        what: "A 2021-or-later report uses the 2019 tables (or the reverse). Reported once; the tables are checked against the layout they use.",
        why: "国办公开办函〔2021〕30号 replaced the 2019 trial format from the 2021 reports on.",
        example: "A 2022 report whose table 二 has 「本年新制作数量」 → NB207.",
        fix: "",
    },
    RuleInfo {
        code: "NB208",
        name: "amount-format",
        severity: Info,
        summary_zh: "金额单元格带单位或小数位数不符",
        summary_en: "an amount cell carries a unit, or has the wrong number of decimals",
        what: "收费金额 / 采购总金额 carries a unit in the cell (「251000元」), or its number of decimals differs from `amountDecimals` when that is set.",
        why: "The header fixes the unit (万元); a unit in the cell usually means the wrong unit was used.",
        example: "「行政事业性收费 | 251000元 |」 → NB208.",
        fix: "",
    },
    RuleInfo {
        code: "NB301",
        name: "row-total",
        severity: Error,
        summary_zh: "行总计不等于各申请人类别之和",
        summary_en: "a row's 总计 is not the sum of its six applicant columns",
        what: "In table 三, a row's 总计 differs from 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.",
        why: "总计 spans the 申请人情况 columns; a wrong total is the most common arithmetic error in published reports.",
        example: "「一、本年新收… 5 7 0 0 0 0 11」 → NB301: 总计应为 12.",
        fix: "Set 总计 to the sum (this cell, this table, or the whole document).",
    },
    RuleInfo {
        code: "NB302",
        name: "result-total",
        severity: Error,
        summary_zh: "（七）总计不等于各办理结果之和",
        summary_en: "（七）总计 is not the sum of the leaf result rows",
        what: "In table 三, a cell of 「（七）总计」 differs from the sum of the leaf result rows （一）…（六） in its column.",
        why: "Each application is counted under exactly one outcome, so the outcomes must add up to the total.",
        example: "Leaves of 自然人 sum to 9 but （七）总计 says 8 → NB302.",
        fix: "Set the cell to the sum.",
    },
    RuleInfo {
        code: "NB303",
        name: "balance",
        severity: Error,
        summary_zh: "一+二 不等于 （七）总计+四",
        summary_en: "一 + 二 is not （七）总计 + 四",
        what: "Per column of table 三: 本年新收 + 上年结转 must equal （七）总计 + 结转下年度继续办理, as the table's own note says. The range is the 四 cell.",
        why: "Every application received or carried over is either handled this year or carried over to the next.",
        example: "一 11, 二 0, （七） 10, 四 0 → NB303: expected 1, found 0.",
        fix: "Secondary action only: set 四 = 一 + 二 − （七） when that is ≥ 0. 一 and 二 are never changed.",
    },
    RuleInfo {
        code: "NB304",
        name: "review-total",
        severity: Error,
        summary_zh: "复议/诉讼总计不等于各结果之和",
        summary_en: "a section 四 group total is not the sum of its results",
        what: "In table 四, a group's 总计 (行政复议, 未经复议直接起诉, 复议后起诉) differs from 结果维持 + 结果纠正 + 其他结果 + 尚未审结.",
        why: "The four results partition the cases of the group.",
        example: "「1 1 0 1 2 …」 → NB304: 总计应为 3.",
        fix: "Set 总计 to the sum.",
    },
    RuleInfo {
        code: "NB401",
        name: "prose-mismatch",
        severity: Warning,
        summary_zh: "正文中的数字与表格不符",
        summary_en: "a number stated in the prose matches no table figure it can mean",
        what: "An exact number in the prose for applications (收到/受理/办理…申请 N 件), 行政复议 N 件, 行政诉讼 N 件 or 结转 N 件 equals none of the table figures it can mean. Approximate numbers (「1100余条」) are never compared.",
        why: "Readers quote the prose; when it contradicts the table, one of them is wrong.",
        example: "「全年共收到政府信息公开申请12件」 while table 三 says 11 → NB401.",
        fix: "",
    },
    RuleInfo {
        code: "NB402",
        name: "year-mismatch",
        severity: Warning,
        summary_zh: "标题年度与统计期限不符，或日期格式错误",
        summary_en: "the title year and the statistics period disagree, or a date is malformed",
        what: "The year in the title differs from the year of the statistics period, or a date in the preamble is malformed (「自20年1月1日」).",
        why: "Copying last year's report and forgetting a year is a common, embarrassing mistake.",
        example: "Title 2024, 「数据统计期限为2023年1月1日至2023年12月31日」 → NB402.",
        fix: "",
    },
    RuleInfo {
        code: "NB403",
        name: "carry-over",
        severity: Warning,
        summary_zh: "上年结转与上一年度报告的结转下年度继续办理不一致（同一机关）",
        summary_en: "carried over from last year differs from last year's report of the same body",
        what: "Across two reports of the same body (the organisation in the title, normalised; skipped when either title names none) for consecutive years, found on the command line or in the editor's workspace: row 「二、上年结转政府信息公开申请数量」 of table 三 must equal, column by column, row 「四、结转下年度继续办理」 of last year's report (X1, a warning). For the 2021 format, 现行有效件数 of 规章 and 行政规范性文件 should equal last year's 现行有效件数 + 本年制发件数 − 本年废止件数 (X2): amendments can break this, so it is reported under the same code as info. A configured severity applies to both; `NB403=off` turns both off. Cells that are empty or not numbers, and tables that could not be read (NB203), are skipped. The related location is the cell in the other file.",
        why: "Applications still open at the end of one year are the ones carried into the next; a difference means one of the two reports miscounts.",
        example: "2023 report: 「四、结转下年度继续办理」 自然人 2; 2024 report: 「二、上年结转…」 自然人 3 → NB403 on the 3, with the 2 in the 2023 file as related location.",
        fix: "",
    },
    RuleInfo {
        code: "NB404",
        name: "placeholder",
        severity: Info,
        summary_zh: "残留的遮盖或模板文字",
        summary_en: "masked or template text left in",
        what: "Masked or template text is left in the report: `****`, `XX`/`××`, or an empty number (「主动公开信息  条」).",
        why: "Placeholders published on a government portal look careless and hide information the reader needs.",
        example: "「主动公开信息  条」 → NB404.",
        fix: "",
    },
    RuleInfo {
        code: "NB405",
        name: "late-date",
        severity: Info,
        summary_zh: "落款日期晚于法定公开期限",
        summary_en: "the signature date is after the statutory deadline",
        what: "The trailing signature date is after the deadline of 条例第四十九条: 3月31日 of the year after the report year when the body in the title is a government (its name ends in 人民政府, or is a bare place name such as 「三明市」), else 1月31日.",
        why: "Departments publish their reports by 31 January, and governments theirs by 31 March; a later date means the report was late, or the date is wrong.",
        example: "A 公安局 report for 2024 signed 「2025年2月10日」 → NB405 (deadline 2025年1月31日).",
        fix: "",
    },
    RuleInfo {
        code: "NB406",
        name: "prose-sum",
        severity: Warning,
        summary_zh: "正文所称总数与所列分项之和不符",
        summary_en: "a stated total and its listed parts disagree",
        what: "A sentence states a total and lists its parts right after it (「共公布政府信息2602条(其中机构职能类信息82条，…，其他应主动公开政府信息1053条)」, 「累计主动公开…15836件，包括…」), also across line breaks within a paragraph, and the parts do not add up to the total. The range is the total; the parts are related locations. Only lists that claim to be complete (the last part is 「其他…」), in the total's unit, with no approximate number (余/约/近/多/左右/以上) and no nested 「其中」, are compared.",
        why: "The breakdown of the information published is copied into the report by hand from several sources; a part mistyped or left out shows as a sum that no longer matches, and readers compare the two.",
        example: "「共公布政府信息2602条(其中…82条，…，其他…1053条)」 whose parts add up to 2603 → NB406 on 2602 (expected 2603, found 2602).",
        fix: "",
    },
];

/// The rule with this code, if any (codes are matched case-insensitively).
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

/// The README's rule table, generated from [`RULES`].
pub fn markdown_table() -> String {
    let mut out = String::from("| Code | Name | Severity | What it reports | Fix |\n|---|---|---|---|---|\n");
    for r in RULES {
        let fix = if r.fix.is_empty() { "—" } else { r.fix };
        out.push_str(&format!(
            "| {} | {} | {} | {} / {} | {} |\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary_zh,
            r.summary_en,
            fix
        ));
    }
    out
}

/// The text `nianbao explain CODE` prints.
pub fn explain(r: &RuleInfo) -> String {
    let mut out = format!(
        "{} {} ({})\n{}\n{}\n\nWhat: {}\nWhy: {}\nExample: {}\n",
        r.code,
        r.name,
        r.severity.as_str(),
        r.summary_zh,
        r.summary_en,
        r.what,
        r.why,
        r.example
    );
    if !r.fix.is_empty() {
        out.push_str(&format!("Fix: {}\n", r.fix));
    }
    out
}
