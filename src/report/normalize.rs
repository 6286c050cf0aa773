//! Label normalisation (format-spec §7): full-width → ASCII, whitespace and
//! `[bookmark: …]` removed, quotes unified, `*` runs kept as wildcards.
//! Used for matching only, never for display.

/// Maps one character the way NFKC would for the characters reports use:
/// full-width ASCII variants and the ideographic space.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        '“' | '”' | '「' | '」' | '"' | '『' | '』' | '‘' | '’' | '\'' => '"',
        '〈' | '《' | '<' => '<',
        '〉' | '》' | '>' => '>',
        _ => c,
    }
}

/// Normalises a label for comparison.
pub fn label(s: &str) -> String {
    // One pass and one allocation: labels are normalised for every table row
    // and every line that might start a table. Bookmarks are skipped where
    // they stand, as `strip_bookmarks` would remove them.
    let mut out = String::with_capacity(s.len());
    let mut prev_digit = false;
    let bytes = s.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Runs of CJK ideographs (lead bytes E4–E9: U+4000–U+9FFF), most of a
        // label, are kept as they are: none is folded or dropped.
        let run = at;
        while at < bytes.len() && (0xE4..=0xE9).contains(&bytes[at]) {
            at += 3;
        }
        if at > run {
            out.push_str(&s[run..at]);
            prev_digit = false;
            continue;
        }
        let b = bytes[at];
        if b == b'[' && s[at..].starts_with("[bookmark:") {
            match s[at..].find(']') {
                Some(j) => at += j + 1,
                None => break,
            }
            continue;
        }
        // ASCII, the rest of most labels (item numbers, spaces), read as a
        // byte: its whitespace is `\t`…`\r` and the space, and of the
        // quotes and brackets `fold_char` unifies only `'` changes.
        if b.is_ascii() {
            at += 1;
            match b {
                b'\t'..=b'\r' | b' ' | b'#' | b'_' => {}
                b'\'' => {
                    out.push('"');
                    prev_digit = false;
                }
                _ => {
                    out.push(char::from(b));
                    prev_digit = b.is_ascii_digit();
                }
            }
            continue;
        }
        let c = s[at..].chars().next().expect("a character");
        at += c.len_utf8();
        let c = fold_char(c);
        if is_whitespace(c) || c == '\u{200B}' || c == '\u{FEFF}' {
            continue;
        }
        // Markdown emphasis and heading marks are not part of a label.
        if c == '#' || c == '_' {
            continue;
        }
        // Item digits may be followed by `.`, `．` or `、` (format-spec §7).
        let c = if c == '、' && prev_digit { '.' } else { c };
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    // `**一、总体情况**`: bold markers, not masks, when they wrap the text.
    let (start, mut end) = match out.strip_prefix("**").and_then(|o| o.strip_suffix("**")) {
        Some(inner) if !inner.starts_with('*') && !inner.ends_with('*') => (2, out.len() - 2),
        _ => (0, out.len()),
    };
    end = start + out[start..end].trim_end_matches([':', '：']).len();
    out.truncate(end);
    if start > 0 {
        out.drain(..start);
    }
    out
}

/// `char::is_whitespace`, answering at once for the CJK characters labels
/// are made of (no whitespace lies above U+3000).
fn is_whitespace(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// Removes Word's `[bookmark: …]` artefacts.
pub fn strip_bookmarks(s: &str) -> std::borrow::Cow<'_, str> {
    // A byte search first: most labels have no `[` at all.
    if !s.as_bytes().contains(&b'[') || !s.contains("[bookmark:") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[bookmark:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Byte length of leading `[bookmark: …]` runs and whitespace.
pub fn bookmark_prefix_len(s: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let ws = rest.len() - rest.trim_start().len();
        let rest2 = &rest[ws..];
        if rest2.starts_with("[bookmark:") {
            match rest2.find(']') {
                Some(j) => at += ws + j + 1,
                None => return at + ws,
            }
        } else {
            return at + ws;
        }
    }
}

const HAN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 一 → 1 … 十 → 10, 十一 → 11 … 九十九.
pub fn han_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    let digit = |c: char| HAN_DIGITS.iter().position(|&d| d == c).map(|p| p as u32);
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// An ordinal prefix of a normalised label: `一、`, `(一)`, `1.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordinal {
    /// 一、
    Top(u32),
    /// (一)
    Paren(u32),
    /// 1.
    Item(u32),
}

/// Splits a normalised label into its ordinal and the rest.
pub fn split_ordinal(norm: &str) -> (Option<Ordinal>, &str) {
    // (一) / (1)
    if let Some(rest) = norm.strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            let inner = &rest[..close];
            let n = han_number(inner).or_else(|| inner.parse().ok());
            if let Some(n) = n {
                return (Some(Ordinal::Paren(n)), &rest[close + 1..]);
            }
        }
    }
    // 一、 / 一. / 一,
    let han_len: usize = norm.chars().take_while(|c| HAN_DIGITS.contains(c) || *c == '十').map(char::len_utf8).sum();
    if han_len > 0 {
        let rest = &norm[han_len..];
        if let Some(r) = rest.strip_prefix('、').or_else(|| rest.strip_prefix('.')).or_else(|| rest.strip_prefix(','))
        {
            if let Some(n) = han_number(&norm[..han_len]) {
                return (Some(Ordinal::Top(n)), r);
            }
        }
    }
    // 1. / 1、 (already folded to `.`)
    let dig_len = norm.bytes().take_while(u8::is_ascii_digit).count();
    if dig_len > 0 && dig_len <= 2 {
        if let Some(r) = norm[dig_len..].strip_prefix('.') {
            // `1.5` is a number, not an item.
            if !r.starts_with(|c: char| c.is_ascii_digit()) {
                if let Ok(n) = norm[..dig_len].parse() {
                    return (Some(Ordinal::Item(n)), r);
                }
            }
        }
    }
    (None, norm)
}

/// Does `pattern` (a normalised label whose `*` runs are wildcards) match the
/// whole of `text`?
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if !part.is_empty() {
            match rest.find(part) {
                Some(j) => rest = &rest[j + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Dice coefficient of character bigrams (0.0 … 1.0), ignoring `*`.
pub fn similarity(a: &str, b: &str) -> f32 {
    let ca: Vec<char> = a.chars().filter(|&c| c != '*').collect();
    let cb: Vec<char> = b.chars().filter(|&c| c != '*').collect();
    similarity_chars(&ca, &cb)
}

/// [`similarity`] of two labels already split into characters, `*` removed.
/// Allocates nothing. (Row alignment, which scores a label against every row
/// of the schema, compares [`Bigrams`] instead.)
pub fn similarity_chars(ca: &[char], cb: &[char]) -> f32 {
    if ca.is_empty() || cb.is_empty() {
        return 0.0;
    }
    if ca == cb {
        return 1.0;
    }
    if ca.len() == 1 || cb.len() == 1 {
        let (short, long) = if ca.len() == 1 { (ca, cb) } else { (cb, ca) };
        return if long.contains(&short[0]) { 1.0 / long.len() as f32 } else { 0.0 };
    }
    let total = ca.len() - 1 + cb.len() - 1;
    2.0 * bigram_hits(ca, cb) as f32 / total as f32
}

/// A label's bigrams (`*` removed) sorted, for [`similarity`] against many
/// others: two sorted lists are compared in one merge, instead of each bigram
/// of one being searched for in the other.
#[derive(Debug)]
pub struct Bigrams {
    /// The number of characters.
    len: usize,
    first: char,
    sorted: Vec<u64>,
}

impl Bigrams {
    pub fn new(s: &str) -> Bigrams {
        let mut sorted = Vec::with_capacity(s.len());
        let (mut len, mut first, mut prev) = (0, '\0', '\0');
        for c in s.chars().filter(|&c| c != '*') {
            if len == 0 {
                first = c;
            } else {
                sorted.push(u64::from(prev) << 32 | u64::from(c));
            }
            len += 1;
            prev = c;
        }
        sorted.sort_unstable();
        Bigrams { len, first, sorted }
    }

    /// The number of characters.
    pub fn char_count(&self) -> usize {
        self.len
    }

    /// Whether the text holds `c`: a text of two characters or more holds
    /// each of them in a bigram.
    fn holds(&self, c: char) -> bool {
        match self.len {
            0 => false,
            1 => self.first == c,
            _ => self.sorted.iter().any(|&g| (g >> 32) as u32 == c as u32 || g as u32 == c as u32),
        }
    }

    /// [`similarity_chars`] of the two texts. Texts of the same characters
    /// share all their bigrams, and score 1 without being compared.
    pub fn similarity(&self, other: &Bigrams) -> f32 {
        let (a, b) = (self.len, other.len);
        if a == 0 || b == 0 {
            return 0.0;
        }
        if a == 1 || b == 1 {
            if a == 1 && b == 1 {
                return if self.first == other.first { 1.0 } else { 0.0 };
            }
            let (short, long) = if a == 1 { (self, other) } else { (other, self) };
            return if long.holds(short.first) { 1.0 / long.len as f32 } else { 0.0 };
        }
        let total = a - 1 + b - 1;
        2.0 * shared(&self.sorted, &other.sorted) as f32 / total as f32
    }
}

/// The size of the multiset intersection of two sorted lists, which is what
/// [`bigram_hits`] counts: each value is shared as often as the list holding
/// it fewer times holds it.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The size of the multiset intersection of the two bigram lists: each bigram
/// of `a` takes the first bigram of `b` equal to it that no earlier one took.
fn bigram_hits(a: &[char], b: &[char]) -> usize {
    let nb = b.len() - 1;
    let mut small = 0u128;
    let mut large = if nb > 128 { vec![false; nb] } else { Vec::new() };
    let mut hits = 0;
    for w in a.windows(2) {
        for j in 0..nb {
            if b[j] != w[0] || b[j + 1] != w[1] {
                continue;
            }
            let used = if nb > 128 { large[j] } else { small & (1 << j) != 0 };
            if used {
                continue;
            }
            if nb > 128 {
                large[j] = true;
            } else {
                small |= 1 << j;
            }
            hits += 1;
            break;
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise() {
        assert_eq!(label("（一）予以公开"), "(一)予以公开");
        assert_eq!(label("(一) 予以公开"), "(一)予以公开");
        assert_eq!(label("1、 属于国家秘密"), "1.属于国家秘密");
        assert_eq!(label("行    政    诉    讼"), "行政诉讼");
        assert_eq!(label("[bookmark: _Toc1]二、主动公开政府信息情况"), "二、主动公开政府信息情况");
        assert_eq!(label("**一、总体情况**"), "一、总体情况");
        assert_eq!(label("3.危及\"三安全一稳定\""), label("3.危及“三安全一稳定”"));
    }

    #[test]
    fn ordinals_split() {
        assert_eq!(split_ordinal("一、总体情况"), (Some(Ordinal::Top(1)), "总体情况"));
        assert_eq!(split_ordinal("(七)总计"), (Some(Ordinal::Paren(7)), "总计"));
        assert_eq!(split_ordinal("3.其他"), (Some(Ordinal::Item(3)), "其他"));
        assert_eq!(split_ordinal("1.5"), (None, "1.5"));
        assert_eq!(split_ordinal("规章"), (None, "规章"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("一、****政府信息公开申请数量", "一、本年新收政府信息公开申请数量"));
        assert!(wildcard_match("1.****政府信息", "1.本机关不掌握相关政府信息"));
        assert!(!wildcard_match("1.****政府信息", "1.属于国家秘密"));
        assert!(wildcard_match("二、****政府信息情况", "二、主动公开政府信息情况"));
    }

    /// The normalisation and similarity as first written (allocating at
    /// every step), kept to prove the allocation-free versions agree.
    fn label_reference(s: &str) -> String {
        let s = strip_bookmarks(s);
        let mut out = String::new();
        for c in s.chars() {
            let c = fold_char(c);
            if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' || c == '#' || c == '_' {
                continue;
            }
            out.push(c);
        }
        let trimmed = match out.strip_prefix("**").and_then(|o| o.strip_suffix("**")) {
            Some(inner) if !inner.starts_with('*') && !inner.ends_with('*') => inner,
            _ => out.as_str(),
        };
        let trimmed = trimmed.trim_end_matches([':', '：']);
        let chars: Vec<char> = trimmed.chars().collect();
        let mut res = String::new();
        for (i, &c) in chars.iter().enumerate() {
            res.push(if c == '、' && i > 0 && chars[i - 1].is_ascii_digit() { '.' } else { c });
        }
        res
    }

    fn similarity_reference(a: &str, b: &str) -> f32 {
        let ca: Vec<char> = a.chars().filter(|&c| c != '*').collect();
        let cb: Vec<char> = b.chars().filter(|&c| c != '*').collect();
        if ca.is_empty() || cb.is_empty() {
            return 0.0;
        }
        if ca == cb {
            return 1.0;
        }
        if ca.len() == 1 || cb.len() == 1 {
            let (short, long) = if ca.len() == 1 { (&ca, &cb) } else { (&cb, &ca) };
            return if long.contains(&short[0]) { 1.0 / long.len() as f32 } else { 0.0 };
        }
        let bigrams = |v: &[char]| -> Vec<(char, char)> { v.windows(2).map(|w| (w[0], w[1])).collect() };
        let ba = bigrams(&ca);
        let mut bb = bigrams(&cb);
        let total = ba.len() + bb.len();
        let mut hits = 0;
        for g in &ba {
            if let Some(p) = bb.iter().position(|h| h == g) {
                bb.swap_remove(p);
                hits += 1;
            }
        }
        2.0 * hits as f32 / total as f32
    }

    /// Deterministic pseudo-random strings over the characters labels are made of.
    fn samples() -> Vec<String> {
        let alphabet: Vec<&str> =
            "1|2|、|．|.|*|**| |\u{3000}|#|_|:|：|（|）|一|公开|申请|其他|[bookmark: _Toc1]|[bookmark: x|]|[|\t|属于|X|总计\
             |'|＇|\"|＂|“|<|》|１|＃|＿|𠮷|\r\n|\r|\u{a0}|\u{200B}|\u{1c}|a"
                .split('|')
                .collect();
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        (0..3000)
            .map(|_| {
                let n = (next() % 12) as usize;
                (0..n).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn one_pass_label_agrees_with_the_reference() {
        for s in samples() {
            assert_eq!(label(&s), label_reference(&s), "{s:?}");
        }
    }

    #[test]
    fn allocation_free_similarity_agrees_with_the_reference() {
        let samples = samples();
        for (a, b) in samples.iter().zip(samples.iter().skip(1)) {
            assert_eq!(similarity(a, b).to_bits(), similarity_reference(a, b).to_bits(), "{a:?} {b:?}");
        }
        // Repeated bigrams, and more than 128 of them.
        let long: String = "公开申请".repeat(50);
        for (a, b) in [
            ("公公公公", "公公"),
            ("申请申请", "申请申请申请"),
            (long.as_str(), "公开申请公开"),
            ("公开", long.as_str()),
        ] {
            assert_eq!(similarity(a, b).to_bits(), similarity_reference(a, b).to_bits(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn similarity_of_sorted_bigrams_is_the_similarity() {
        let mut samples = samples();
        let long: String = "公开申请".repeat(50);
        samples.extend(
            ["公公公公", "公公", "申请申请", "申请申请申请", &long, "公开申请公开", "𠮷𠮷公", "公𠮷𠮷", "ａ１ａ１"]
                .map(String::from),
        );
        let prepared: Vec<Bigrams> = samples.iter().map(|s| Bigrams::new(s)).collect();
        let mut next = crate::text::xorshift(0x8c1d_3e5f_7a9b_2c4du64);
        for _ in 0..20000 {
            let (i, j) = ((next() % samples.len() as u64) as usize, (next() % samples.len() as u64) as usize);
            let (a, b) = (&samples[i], &samples[j]);
            assert_eq!(prepared[i].similarity(&prepared[j]).to_bits(), similarity(a, b).to_bits(), "{a:?} {b:?}");
        }
    }
}
