//! The two official formats. Labels are quoted exactly as format-spec §3–§4
//! gives them; the parser normalises both sides before comparing.

use super::CellType::{Amount, Count, Signed};
use super::RowKind::{Derived, Input, Leaf};
use super::{ColumnSpec, FormatId, Relation, RowSpec, Schema, SectionSpec, TableId, TableSpec};

const fn col(id: &'static str, label: &'static str, ty: super::CellType) -> ColumnSpec {
    ColumnSpec { id, label, ty }
}

const fn row(id: &'static str, label: &'static str, group: Option<&'static str>, kind: super::RowKind) -> RowSpec {
    RowSpec { id, label, group, kind }
}

static SECTIONS: [SectionSpec; 6] = [
    SectionSpec {
        num: 1,
        numeral: '一',
        heading: "一、总体情况",
        variants: &["总体情况"],
        keywords: &["总体", "总体情况", "概述"],
        requires_zh: "总结贯彻落实《条例》情况，涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面。",
        requires_en: "A summary of how the body implemented the Regulations, covering proactive disclosure, disclosure on request, information management, platforms, and supervision.",
    },
    SectionSpec {
        num: 2,
        numeral: '二',
        heading: "二、主动公开政府信息情况",
        variants: &["主动公开政府信息情况"],
        keywords: &["主动公开"],
        requires_zh: "《条例》第二十条第（一）（五）（六）（八）项的统计表（2019年格式另有第（九）项）。",
        requires_en: "The statistics tables of Article 20 items (1), (5), (6), (8) (plus item (9) in the 2019 format).",
    },
    SectionSpec {
        num: 3,
        numeral: '三',
        heading: "三、收到和处理政府信息公开申请情况",
        variants: &["收到和处理政府信息公开申请情况"],
        keywords: &["申请"],
        requires_zh: "收到和处理政府信息公开申请情况统计表：各申请人类别的本年新收、上年结转、办理结果和结转下年度数量。",
        requires_en: "The applications table: new, carried-over, results and carried-forward counts per applicant type.",
    },
    SectionSpec {
        num: 4,
        numeral: '四',
        heading: "四、政府信息公开行政复议、行政诉讼情况",
        variants: &[
            "政府信息公开行政复议、行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        ],
        keywords: &["复议", "诉讼"],
        requires_zh: "行政复议、行政诉讼情况统计表（一行15个数值：复议、未经复议直接起诉、复议后起诉各5个）。",
        requires_en: "The review and litigation table: one row of 15 values (5 each for review, direct suits, suits after review).",
    },
    SectionSpec {
        num: 5,
        numeral: '五',
        heading: "五、存在的主要问题及改进情况",
        variants: &[
            "存在的主要问题及改进情况",
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "当前存在的主要问题及改进情况",
        ],
        keywords: &["问题", "改进", "不足"],
        requires_zh: "存在的主要问题和改进措施；2021年格式还应说明上年度问题的整改情况。",
        requires_en: "The main problems and the improvements; the 2021 format also asks for the rectification of last year's problems.",
    },
    SectionSpec {
        num: 6,
        numeral: '六',
        heading: "六、其他需要报告的事项",
        variants: &["其他需要报告的事项"],
        keywords: &["其他", "其它"],
        requires_zh: "其他需要报告的事项；2021年格式应报告信息处理费收取情况。",
        requires_en: "Other matters; in the 2021 format, the information processing fees charged.",
    },
];

// Table 三's value columns are the same in both formats.
static T3_COLUMNS: [ColumnSpec; 7] = [
    col("C1", "申请人情况·自然人", Count),
    col("C2", "申请人情况·法人或其他组织·商业企业", Count),
    col("C3", "申请人情况·法人或其他组织·科研机构", Count),
    col("C4", "申请人情况·法人或其他组织·社会公益组织", Count),
    col("C5", "申请人情况·法人或其他组织·法律服务机构", Count),
    col("C6", "申请人情况·法人或其他组织·其他", Count),
    col("C7", "申请人情况·总计", Count),
];

const T3_ROW_TOTAL: Relation = Relation::RowTotal { code: "NB301", total: 6, parts: &[0, 1, 2, 3, 4, 5] };
const T3_RESULT_TOTAL: Relation = Relation::ColumnTotal { code: "NB302", total: "R3.7", cols: &[0, 1, 2, 3, 4, 5, 6] };
const T3_BALANCE: Relation = Relation::Balance { code: "NB303", plus: &["R1", "R2"], minus: &["R3.7"], carry: "R4" };

static T3_RELATIONS: [Relation; 3] = [T3_RESULT_TOTAL, T3_ROW_TOTAL, T3_BALANCE];

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");
const RESULTS: Option<&str> = Some("三、本年度办理结果");

static T3_ROWS_2021: [RowSpec; 25] = [
    row("R1", "一、本年新收政府信息公开申请数量", None, Input),
    row("R2", "二、上年结转政府信息公开申请数量", None, Input),
    row("R3.1", "（一）予以公开", RESULTS, Leaf),
    row("R3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", RESULTS, Leaf),
    row("R3.3.1", "1.属于国家秘密", G3, Leaf),
    row("R3.3.2", "2.其他法律行政法规禁止公开", G3, Leaf),
    row("R3.3.3", "3.危及“三安全一稳定”", G3, Leaf),
    row("R3.3.4", "4.保护第三方合法权益", G3, Leaf),
    row("R3.3.5", "5.属于三类内部事务信息", G3, Leaf),
    row("R3.3.6", "6.属于四类过程性信息", G3, Leaf),
    row("R3.3.7", "7.属于行政执法案卷", G3, Leaf),
    row("R3.3.8", "8.属于行政查询事项", G3, Leaf),
    row("R3.4.1", "1.本机关不掌握相关政府信息", G4, Leaf),
    row("R3.4.2", "2.没有现成信息需要另行制作", G4, Leaf),
    row("R3.4.3", "3.补正后申请内容仍不明确", G4, Leaf),
    row("R3.5.1", "1.信访举报投诉类申请", G5, Leaf),
    row("R3.5.2", "2.重复申请", G5, Leaf),
    row("R3.5.3", "3.要求提供公开出版物", G5, Leaf),
    row("R3.5.4", "4.无正当理由大量反复申请", G5, Leaf),
    row("R3.5.5", "5.要求行政机关确认或重新出具已获取信息", G5, Leaf),
    row("R3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", G6, Leaf),
    row("R3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", G6, Leaf),
    row("R3.6.3", "3.其他", G6, Leaf),
    row("R3.7", "（七）总计", RESULTS, Derived),
    row("R4", "四、结转下年度继续办理", None, Input),
];

static T3_ROWS_2019: [RowSpec; 23] = [
    row("R1", "一、本年新收政府信息公开申请数量", None, Input),
    row("R2", "二、上年结转政府信息公开申请数量", None, Input),
    row("R3.1", "（一）予以公开", RESULTS, Leaf),
    row("R3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", RESULTS, Leaf),
    row("R3.3.1", "1.属于国家秘密", G3, Leaf),
    row("R3.3.2", "2.其他法律行政法规禁止公开", G3, Leaf),
    row("R3.3.3", "3.危及“三安全一稳定”", G3, Leaf),
    row("R3.3.4", "4.保护第三方合法权益", G3, Leaf),
    row("R3.3.5", "5.属于三类内部事务信息", G3, Leaf),
    row("R3.3.6", "6.属于四类过程性信息", G3, Leaf),
    row("R3.3.7", "7.属于行政执法案卷", G3, Leaf),
    row("R3.3.8", "8.属于行政查询事项", G3, Leaf),
    row("R3.4.1", "1.本机关不掌握相关政府信息", G4, Leaf),
    row("R3.4.2", "2.没有现成信息需要另行制作", G4, Leaf),
    row("R3.4.3", "3.补正后申请内容仍不明确", G4, Leaf),
    row("R3.5.1", "1.信访举报投诉类申请", G5, Leaf),
    row("R3.5.2", "2.重复申请", G5, Leaf),
    row("R3.5.3", "3.要求提供公开出版物", G5, Leaf),
    row("R3.5.4", "4.无正当理由大量反复申请", G5, Leaf),
    row("R3.5.5", "5.要求行政机关确认或重新出具已获取信息", G5, Leaf),
    row("R3.6", "（六）其他处理", RESULTS, Leaf),
    row("R3.7", "（七）总计", RESULTS, Derived),
    row("R4", "四、结转下年度继续办理", None, Input),
];

static T4_COLUMNS: [ColumnSpec; 15] = [
    col("c1", "行政复议·结果维持", Count),
    col("c2", "行政复议·结果纠正", Count),
    col("c3", "行政复议·其他结果", Count),
    col("c4", "行政复议·尚未审结", Count),
    col("c5", "行政复议·总计", Count),
    col("c6", "行政诉讼·未经复议直接起诉·结果维持", Count),
    col("c7", "行政诉讼·未经复议直接起诉·结果纠正", Count),
    col("c8", "行政诉讼·未经复议直接起诉·其他结果", Count),
    col("c9", "行政诉讼·未经复议直接起诉·尚未审结", Count),
    col("c10", "行政诉讼·未经复议直接起诉·总计", Count),
    col("c11", "行政诉讼·复议后起诉·结果维持", Count),
    col("c12", "行政诉讼·复议后起诉·结果纠正", Count),
    col("c13", "行政诉讼·复议后起诉·其他结果", Count),
    col("c14", "行政诉讼·复议后起诉·尚未审结", Count),
    col("c15", "行政诉讼·复议后起诉·总计", Count),
];

static T4_ROWS: [RowSpec; 1] = [row("T4", "行政复议、行政诉讼情况", None, Input)];

static T4_RELATIONS: [Relation; 3] = [
    Relation::RowTotal { code: "NB304", total: 4, parts: &[0, 1, 2, 3] },
    Relation::RowTotal { code: "NB304", total: 9, parts: &[5, 6, 7, 8] },
    Relation::RowTotal { code: "NB304", total: 14, parts: &[10, 11, 12, 13] },
];

const T4_HEADER: &[&str] =
    &["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"];

const T3_HEADER: &[&str] = &[
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "三、本年度办理结果",
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
];

pub static FORMAT_2021: Schema = Schema {
    id: FormatId::F2021,
    sections: &SECTIONS,
    t2: &[
        TableSpec {
            id: TableId::T2a,
            caption: "第二十条第（一）项",
            header: &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            columns: &[
                col("new", "本年制发件数", Count),
                col("repealed", "本年废止件数", Count),
                col("valid", "现行有效件数", Count),
            ],
            rows: &[row("rules", "规章", None, Input), row("normative", "行政规范性文件", None, Input)],
            relations: &[],
            name_zh: "第二十条第（一）项",
            name_en: "Article 20 item (1)",
        },
        TableSpec {
            id: TableId::T2b,
            caption: "第二十条第（五）项",
            header: &["信息内容", "本年处理决定数量"],
            columns: &[col("decisions", "本年处理决定数量", Count)],
            rows: &[row("licensing", "行政许可", None, Input)],
            relations: &[],
            name_zh: "第二十条第（五）项",
            name_en: "Article 20 item (5)",
        },
        TableSpec {
            id: TableId::T2c,
            caption: "第二十条第（六）项",
            header: &["信息内容", "本年处理决定数量"],
            columns: &[col("decisions", "本年处理决定数量", Count)],
            rows: &[row("penalty", "行政处罚", None, Input), row("coercion", "行政强制", None, Input)],
            relations: &[],
            name_zh: "第二十条第（六）项",
            name_en: "Article 20 item (6)",
        },
        TableSpec {
            id: TableId::T2d,
            caption: "第二十条第（八）项",
            header: &["信息内容", "本年收费金额（单位：万元）"],
            columns: &[col("fees", "本年收费金额（单位：万元）", Amount)],
            rows: &[row("fees", "行政事业性收费", None, Input)],
            relations: &[],
            name_zh: "第二十条第（八）项",
            name_en: "Article 20 item (8)",
        },
    ],
    t3: TableSpec {
        id: TableId::T3,
        caption: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        header: T3_HEADER,
        columns: &T3_COLUMNS,
        rows: &T3_ROWS_2021,
        relations: &T3_RELATIONS,
        name_zh: "收到和处理政府信息公开申请情况表",
        name_en: "applications table",
    },
    t4: TableSpec {
        id: TableId::T4,
        caption: "行政复议",
        header: T4_HEADER,
        columns: &T4_COLUMNS,
        rows: &T4_ROWS,
        relations: &T4_RELATIONS,
        name_zh: "行政复议、行政诉讼情况表",
        name_en: "review and litigation table",
    },
    t2_markers: &["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"],
};

pub static FORMAT_2019: Schema = Schema {
    id: FormatId::F2019,
    sections: &SECTIONS,
    t2: &[
        TableSpec {
            id: TableId::T2a,
            caption: "第二十条第（一）项",
            header: &["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            columns: &[
                col("made", "本年新制作数量", Count),
                col("published", "本年新公开数量", Count),
                col("total", "对外公开总数量", Count),
            ],
            rows: &[row("rules", "规章", None, Input), row("normative", "规范性文件", None, Input)],
            relations: &[],
            name_zh: "第二十条第（一）项",
            name_en: "Article 20 item (1)",
        },
        TableSpec {
            id: TableId::T2b,
            caption: "第二十条第（五）项",
            header: &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            columns: &[
                col("last_year", "上一年项目数量", Count),
                col("change", "本年增/减", Signed),
                col("decisions", "处理决定数量", Count),
            ],
            rows: &[
                row("licensing", "行政许可", None, Input),
                row("other_services", "其他对外管理服务事项", None, Input),
            ],
            relations: &[],
            name_zh: "第二十条第（五）项",
            name_en: "Article 20 item (5)",
        },
        TableSpec {
            id: TableId::T2c,
            caption: "第二十条第（六）项",
            header: &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            columns: &[
                col("last_year", "上一年项目数量", Count),
                col("change", "本年增/减", Signed),
                col("decisions", "处理决定数量", Count),
            ],
            rows: &[row("penalty", "行政处罚", None, Input), row("coercion", "行政强制", None, Input)],
            relations: &[],
            name_zh: "第二十条第（六）项",
            name_en: "Article 20 item (6)",
        },
        TableSpec {
            id: TableId::T2d,
            caption: "第二十条第（八）项",
            header: &["信息内容", "上一年项目数量", "本年增/减"],
            columns: &[col("last_year", "上一年项目数量", Count), col("change", "本年增/减", Signed)],
            rows: &[row("fees", "行政事业性收费", None, Input)],
            relations: &[],
            name_zh: "第二十条第（八）项",
            name_en: "Article 20 item (8)",
        },
        TableSpec {
            id: TableId::T2e,
            caption: "第二十条第（九）项",
            header: &["信息内容", "采购项目数量", "采购总金额"],
            columns: &[col("projects", "采购项目数量", Count), col("amount", "采购总金额", Amount)],
            rows: &[row("procurement", "政府集中采购", None, Input)],
            relations: &[],
            name_zh: "第二十条第（九）项",
            name_en: "Article 20 item (9)",
        },
    ],
    t3: TableSpec {
        id: TableId::T3,
        caption: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        header: T3_HEADER,
        columns: &T3_COLUMNS,
        rows: &T3_ROWS_2019,
        relations: &T3_RELATIONS,
        name_zh: "收到和处理政府信息公开申请情况表",
        name_en: "applications table",
    },
    t4: TableSpec {
        id: TableId::T4,
        caption: "行政复议",
        header: T4_HEADER,
        columns: &T4_COLUMNS,
        rows: &T4_ROWS,
        relations: &T4_RELATIONS,
        name_zh: "行政复议、行政诉讼情况表",
        name_en: "review and litigation table",
    },
    t2_markers: &[
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "第二十条第（九）项",
        "第二十条第(九)项",
        "政府集中采购",
    ],
};
