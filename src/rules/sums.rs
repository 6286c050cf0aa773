//! NB406 prose-sum: a stated total and its listed parts disagree
//! (「共公布政府信息2602条(其中机构职能类信息82条，…，其他应主动公开政府信息1053条)」).
//!
//! The report finds the statements whose parts do not add up while parsing
//! ([`crate::report::sums`], where what counts as one is described), and the
//! incremental reparse finds again only those near an edit, so this rule only
//! words them: it rescans nothing.

use std::borrow::Cow;

use super::{Ctx, Diagnostic, Related};

pub(super) fn check(cx: &mut Ctx) {
    let mut out = Vec::new();
    // A list runs to dozens of parts, each a related location with its own
    // message: written piece by piece, with no `format!` and no string per number.
    let mut digits = itoa::Buffer::new();
    for s in &cx.report.prose.sums {
        let sum: i64 = s.parts.iter().map(|p| p.value).sum();
        let mut terms = String::new();
        for (i, p) in s.parts.iter().enumerate() {
            if i > 0 {
                terms.push_str(" + ");
            }
            terms.push_str(digits.format(p.value));
        }
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
        let mut unit_bytes = [0; 4];
        let unit = &*unit.encode_utf8(&mut unit_bytes);
        for p in &s.parts {
            // A label broken over lines reads as one.
            let label = p.label.slice(cx.text);
            let label = if label.contains(['\r', '\n']) {
                Cow::Owned(label.replace(['\r', '\n'], ""))
            } else {
                Cow::Borrowed(label)
            };
            let n = digits.format(p.value);
            let message = cx.cat(["分项：", &label, n, unit], ["part: ", &label, " ", n]);
            d.related.push(Related::here(p.range, message));
        }
        out.push(d);
    }
    cx.out.extend(out);
}
