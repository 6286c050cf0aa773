//! The documents of product-spec §8, shared by the benches: the 7 KB seed and
//! the 1 MB single report made from it.

#![allow(dead_code)] // Each bench uses part of it.

/// The seed `004_446d20770044734b.txt` (7 KB).
pub fn seed() -> String {
    include_str!("../fixtures/seeds/004_446d20770044734b.txt").to_string()
}

/// The 1 MB report: the seed with the lines of section 一 (each a Word
/// paragraph) repeated, their run-in sub-heading markers （一）…（五）
/// removed, until the file is 1 MB; same tables, same diagnostics.
pub fn one_mb_report(seed: &str) -> String {
    let lines: Vec<&str> = seed.split_inclusive('\n').collect();
    let one = lines.iter().position(|l| l.contains("一、总体情况")).expect("section 一");
    let two = lines.iter().position(|l| l.contains("二、主动公开")).expect("section 二");
    let body: Vec<String> = lines[one + 1..two]
        .iter()
        .map(|l| {
            let t = l.trim_start();
            for m in ["（一）", "（二）", "（三）", "（四）", "（五）"] {
                if let Some(rest) = t.strip_prefix(m) {
                    return rest.to_string();
                }
            }
            l.to_string()
        })
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut out: String = lines[..=one].concat();
    let tail: String = lines[two..].concat();
    let target = 1 << 20;
    'fill: loop {
        for l in &body {
            if out.len() + l.len() + tail.len() > target {
                break 'fill;
            }
            out.push_str(l);
        }
    }
    out.push_str(&tail);
    out
}
