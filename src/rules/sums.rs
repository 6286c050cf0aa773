//! NB406 prose-sum: a stated total and its listed parts disagree
//! (「共公布政府信息2602条(其中机构职能类信息82条，…，其他应主动公开政府信息1053条)」).
//!
//! The report finds the statements whose parts do not add up while parsing
//! ([`crate::report::sums`], where what counts as one is described), and the
//! incremental reparse finds again only those near an edit, so this rule only
//! words them: it rescans nothing.

use super::{Ctx, Diagnostic, Related};

pub(super) fn check(cx: &mut Ctx) {
    let mut out = Vec::new();
    for s in &cx.report.prose.sums {
        let sum: i64 = s.parts.iter().map(|p| p.value).sum();
        let terms: Vec<String> = s.parts.iter().map(|p| p.value.to_string()).collect();
        let terms = terms.join(" + ");
        let (total, unit) = (s.value, s.unit);
        let mut d = Diagnostic::new(
            "NB406",
            s.total,
            cx.msgf(
                format_args!("所列分项之和为 {sum} {unit}（{terms}），与所称总数 {total} {unit}不符"),
                format_args!("the listed parts sum to {sum} ({terms}), not the stated total {total}"),
            ),
        );
        d.expected = Some(sum.to_string());
        d.found = Some(total.to_string());
        for p in &s.parts {
            // A label broken over lines reads as one.
            let label: String = p.label.slice(cx.text).chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
            let n = p.value;
            let message = cx.msgf(format_args!("分项：{label}{n}{unit}"), format_args!("part: {label} {n}"));
            d.related.push(Related::here(p.range, message));
        }
        out.push(d);
    }
    cx.out.extend(out);
}
