//! Prose facts, found while parsing so that an edit finds them again only in
//! the lines it touched: the numbers sentences state about applications,
//! reviews, lawsuits and carried-over cases (what NB401 compares with the
//! tables), the masks and blanks left in (NB404), and which prose lines end in
//! what could be the first half of such a sentence.
//!
//! NB401 reads a paragraph as its prose lines joined without their line
//! breaks (web exports break lines mid-sentence), so a number may be stated
//! across lines. The patterns here never match a line break, so scanning the
//! whole text finds exactly what scanning each line alone finds. A line whose
//! end is no prefix of any match ("open") cannot be crossed by one, so a
//! paragraph's numbers are its lines' numbers, except within runs of lines
//! joined at open ends, which the rule scans joined ([`mentions_in`]). The
//! rules decide what is wrong; this module only finds.

use std::sync::OnceLock;

use regex::Regex;

use super::{re, Line, LineKind, Report};
use crate::text::TextRange;

/// What a stated number counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// 收到/受理/办理…申请 N 件.
    Applications,
    /// 行政复议 N 件.
    Reviews,
    /// (行政)诉讼 N 件.
    Lawsuits,
    /// 结转 N 件.
    CarriedOver,
}

impl MentionKind {
    pub const ALL: [MentionKind; 4] =
        [MentionKind::Applications, MentionKind::Reviews, MentionKind::Lawsuits, MentionKind::CarriedOver];
}

/// An exact number a sentence states (approximate ones, 「1100余条」, and
/// numbers too long for an `i64` are not kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub kind: MentionKind,
    pub line: usize,
    /// The digits.
    pub range: TextRange,
    pub value: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// `****`, `XX`, `某某`: the range is the mask.
    Mask,
    /// 「信息  条」: the range is the blank where a number belongs.
    MissingNumber,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub kind: PlaceholderKind,
    pub range: TextRange,
}

/// The prose facts of a text or of a run of its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProseFacts {
    /// In text order, on every line (the rule reads those on prose lines).
    pub mentions: Vec<Mention>,
    /// In text order, on every line.
    pub placeholders: Vec<Placeholder>,
    /// Prose lines whose end could begin a mention the next line completes, ascending.
    pub open_lines: Vec<usize>,
    /// Lines that mention one of [`KEYWORDS`] (a match may run on over one
    /// line break, into the next line), with the bits of those keywords,
    /// ascending: the content rules OR them over a section's lines.
    pub keywords: Vec<(usize, u8)>,
    /// Stated totals whose listed parts do not add up to them, by cue
    /// ([`super::sums`]).
    pub sums: Vec<super::sums::Sum>,
}

/// The bits of [`KEYWORDS`], one per thing the content rules look for: the
/// five topics of section 一 (NB105), rectification in 五 (NB106), fees in
/// 六 (NB107).
pub mod bits {
    pub const PROACTIVE: u8 = 1;
    pub const ON_REQUEST: u8 = 1 << 1;
    pub const MANAGEMENT: u8 = 1 << 2;
    pub const PLATFORM: u8 = 1 << 3;
    pub const OVERSIGHT: u8 = 1 << 4;
    pub const RECTIFICATION: u8 = 1 << 5;
    pub const FEES: u8 = 1 << 6;
    /// Where a list of parts may begin (「2602条，其中…」, 「15836件，包括…」):
    /// [`crate::report::sums`] reads only around the lines holding one (NB406).
    pub const PARTS_CUE: u8 = 1 << 7;
}

/// The words the content rules look for in a section, each with its bit.
pub const KEYWORDS: [(&str, u8); 16] = [
    ("主动公开", bits::PROACTIVE),
    ("依申请公开", bits::ON_REQUEST),
    ("信息管理", bits::MANAGEMENT),
    // The 2019-era wording: 「政府信息资源的规范化、标准化管理」 (seed 003).
    ("信息资源", bits::MANAGEMENT),
    ("平台", bits::PLATFORM),
    ("监督", bits::OVERSIGHT),
    ("保障", bits::OVERSIGHT),
    ("上年", bits::RECTIFICATION),
    ("上一年", bits::RECTIFICATION),
    ("去年", bits::RECTIFICATION),
    ("整改", bits::RECTIFICATION),
    ("处理费", bits::FEES),
    ("收费", bits::FEES),
    ("收取", bits::FEES),
    ("其中", bits::PARTS_CUE),
    ("包括", bits::PARTS_CUE),
];

/// What starts a mention: each pattern's keyword, as [`mention_at`] reads on
/// after it. In this order, 行政诉讼 before 诉讼, as a leftmost-first search
/// prefers them.
const TRIGGERS: [(&str, MentionKind); 10] = [
    ("收到", MentionKind::Applications),
    ("受理", MentionKind::Applications),
    ("办理", MentionKind::Applications),
    ("接收", MentionKind::Applications),
    ("处理", MentionKind::Applications),
    ("办结", MentionKind::Applications),
    ("行政复议", MentionKind::Reviews),
    ("行政诉讼", MentionKind::Lawsuits),
    ("诉讼", MentionKind::Lawsuits),
    ("结转", MentionKind::CarriedOver),
];

/// The seeds of the masks and blanks that are no single repeated byte (see
/// [`placeholder_runs`]).
const WIDE: [&str; 7] = ["ＸX", "ＸＸ", "××", "某某", " \u{3000}", "\u{3000} ", "\u{3000}\u{3000}"];

/// Where the words of [`KEYWORDS`], [`TRIGGERS`] and [`WIDE`] start in a
/// text, in order, found by [`starts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Starts {
    /// Each keyword with its bit, as a leftmost-first search finds them: the
    /// first listed of those starting at the leftmost place, then on from
    /// its end.
    keywords: Vec<(usize, u8)>,
    /// Every place a trigger starts, with the index of the first listed one
    /// starting there.
    triggers: Vec<(usize, usize)>,
    /// Every place a seed starts.
    wide: Vec<usize>,
}

/// The words [`starts`] looks for, grouped by their [`key`].
struct Firsts {
    /// By key, one more than the index in `words` of the first word with
    /// that key, or 0 if no word has it.
    table: Box<[u8; 1 << 16]>,
    /// The words, those with the same key together, the last of each group
    /// marked: its keywords, then its triggers, then its seeds, each list in
    /// its own order. A place the table sends [`starts`] to costs one run
    /// over a few words, not three lists.
    words: Vec<Word>,
    /// Whether a word starts with each ASCII character.
    ascii: [bool; 128],
}

#[derive(Clone, Copy)]
struct Word {
    literal: Literal,
    what: What,
    /// Whether the next word has another key.
    last: bool,
}

/// Which list a word is of, with what [`Starts`] keeps of it.
#[derive(Clone, Copy)]
enum What {
    Keyword(u8),
    Trigger(usize),
    Wide,
}

/// A word, with its first eight bytes (or fewer, masked) as a number: where
/// the table sends [`starts`], the text mostly differs from the word in
/// them, and one comparison tells.
#[derive(Clone, Copy)]
struct Literal {
    word: &'static [u8],
    head: u64,
    mask: u64,
}

impl Literal {
    fn new(word: &'static str) -> Literal {
        let word = word.as_bytes();
        let n = word.len().min(8);
        let mask = if n == 8 { u64::MAX } else { (1 << (8 * n)) - 1 };
        Literal { word, head: head(word), mask }
    }

    /// Whether `rest` starts with the word, `head` being [`head`] of
    /// `rest`. (No word holds a zero byte, so the zeros past a short
    /// `rest` never match.)
    #[inline]
    fn starts(&self, head: u64, rest: &[u8]) -> bool {
        head & self.mask == self.head
            && (self.word.len() <= 8 || rest.get(8..).is_some_and(|r| r.starts_with(&self.word[8..])))
    }
}

/// The first eight bytes of `bytes` as a number, zeros past its end.
#[inline]
fn head(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(head) => u64::from_le_bytes(*head),
        None => {
            let mut head = [0; 8];
            head[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(head)
        }
    }
}

/// Where [`Firsts::table`] holds the group of the words whose second and
/// third bytes these are: the bytes after the first at any place a word
/// starts. (Every word is three bytes long or more.)
fn key(second: u8, third: u8) -> usize {
    usize::from(u16::from_le_bytes([second, third]))
}

impl Firsts {
    /// Whether a word of group `g` may start where the text's first eight
    /// bytes are `head`: whether one's first eight bytes (or fewer) are
    /// those. Most places the table sends [`starts`] to start no word (the
    /// key is two bytes of a character, 信 is mostly 信息), and this tells
    /// them without a call.
    #[inline(always)]
    fn may_start(&self, g: u8, head: u64) -> bool {
        for word in &self.words[usize::from(g) - 1..] {
            if head & word.literal.mask == word.literal.head {
                return true;
            }
            if word.last {
                break;
            }
        }
        false
    }
}

/// The [`Firsts`] of the three lists, set up once.
fn firsts() -> &'static Firsts {
    static FIRSTS: OnceLock<Firsts> = OnceLock::new();
    FIRSTS.get_or_init(|| {
        let words = (KEYWORDS.iter().map(|&(word, bit)| (word, What::Keyword(bit))))
            .chain(TRIGGERS.iter().enumerate().map(|(t, &(word, _))| (word, What::Trigger(t))))
            .chain(WIDE.iter().map(|&word| (word, What::Wide)));
        // By key, in the order the keys are first met.
        let mut groups: Vec<(usize, Vec<(Literal, What)>)> = Vec::new();
        let mut ascii = [false; 128];
        for (word, what) in words {
            let bytes = word.as_bytes();
            if bytes[0].is_ascii() {
                ascii[usize::from(bytes[0])] = true;
            }
            let k = key(bytes[1], bytes[2]);
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, group)) => group.push((Literal::new(word), what)),
                None => groups.push((k, vec![(Literal::new(word), what)])),
            }
        }
        let mut firsts = Firsts { table: Box::new([0; 1 << 16]), words: Vec::new(), ascii };
        for (k, group) in groups {
            firsts.table[k] = u8::try_from(firsts.words.len() + 1).expect("a few words");
            let n = group.len();
            let words = group.into_iter().enumerate();
            firsts.words.extend(words.map(|(i, (literal, what))| Word { literal, what, last: i + 1 == n }));
        }
        firsts
    })
}

/// Where the words of [`KEYWORDS`], [`TRIGGERS`] and [`WIDE`] start in
/// `text`, in one pass over its characters. On Chinese text a literal search
/// (aho-corasick's Teddy) stops at many false candidates, its fingerprints
/// being a few bits of each of a character's bytes, and three of them cost
/// more than reading each character once: a character starts a word only if
/// its [`key`] is that of some word's first character, one lookup in a
/// table.
fn starts(text: &str) -> Starts {
    let firsts = firsts();
    let table = &*firsts.table;
    // About one keyword and one trigger start in every 200 bytes of a
    // report: room for them up front instead of five or six regrowths.
    let mut out = Starts {
        keywords: Vec::with_capacity(text.len() / 128),
        triggers: Vec::with_capacity(text.len() / 128),
        wide: Vec::new(),
    };
    let mut keyword_end = 0;
    // The words of group `g` at the start of `rest`, a suffix of the text.
    let mut words_at = |rest: &[u8], g: u8| {
        out.words_at(text.as_bytes(), text.len() - rest.len(), &firsts.words[usize::from(g) - 1..], &mut keyword_end);
    };
    let mut rest = text.as_bytes();
    loop {
        // Two three-byte characters at a time: most of a report.
        while let Some(&chunk) = rest.first_chunk::<8>() {
            let w = u64::from_le_bytes(chunk);
            if w & 0xF000_00F0 != 0xE000_00E0 {
                if w & 0xF0 != 0xE0 {
                    break;
                }
                // One, before the end of a line or a number.
                let g = table[usize::from((w >> 8) as u16)];
                if g != 0 && firsts.may_start(g, w) {
                    words_at(rest, g);
                }
                rest = &rest[3..];
                continue;
            }
            let (g0, g1) = (table[usize::from((w >> 8) as u16)], table[usize::from((w >> 32) as u16)]);
            if g0 | g1 != 0 {
                if g0 != 0 && firsts.may_start(g0, w) {
                    words_at(rest, g0);
                }
                if g1 != 0 && firsts.may_start(g1, head(&rest[3..])) {
                    words_at(&rest[3..], g1);
                }
            }
            rest = &rest[6..];
        }
        // Then ASCII, where few words start.
        while let [b0, ..] = *rest {
            if !b0.is_ascii() {
                break;
            }
            if firsts.ascii[usize::from(b0)] {
                if let [_, b1, b2, ..] = *rest {
                    let g = table[key(b1, b2)];
                    if g != 0 {
                        words_at(rest, g);
                    }
                }
            }
            rest = &rest[1..];
        }
        // Then three-byte characters again, or one character of two, three
        // (the text's last eight bytes) or four bytes.
        if rest.len() >= 8 && rest[0] & 0xF0 == 0xE0 {
            continue;
        }
        let [b0, ..] = *rest else { break };
        if let [_, b1, b2, ..] = *rest {
            let g = table[key(b1, b2)];
            if g != 0 {
                words_at(rest, g);
            }
        }
        rest = &rest[utf8_len(b0)..];
    }
    out
}

/// The length of a character by its first byte.
fn utf8_len(first: u8) -> usize {
    match first {
        0..0xC0 => 1,
        0xC0..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

impl Starts {
    /// The words of the group that `words` begins with starting at `at` in
    /// `text`: the first listed of each list; a keyword only from the end
    /// of the last one on.
    #[inline]
    fn words_at(&mut self, text: &[u8], at: usize, words: &[Word], keyword_end: &mut usize) {
        let rest = &text[at..];
        let head = head(rest);
        let (mut keyword, mut trigger, mut wide) = (false, false, false);
        for word in words {
            if word.literal.starts(head, rest) {
                match word.what {
                    What::Keyword(bit) if !keyword => {
                        keyword = true;
                        if at >= *keyword_end {
                            self.keywords.push((at, bit));
                            *keyword_end = at + word.literal.word.len();
                        }
                    }
                    What::Trigger(t) if !trigger => {
                        trigger = true;
                        self.triggers.push((at, t));
                    }
                    What::Wide if !wide => {
                        wide = true;
                        self.wide.push(at);
                    }
                    _ => {}
                }
            }
            if word.last {
                break;
            }
        }
    }
}

/// The last character of `line` if it is a keyword's character other than
/// its last: only a line ending in one can hold the first part of a keyword
/// broken over its end.
fn may_continue(line: &str) -> Option<char> {
    static HEADS: OnceLock<Vec<char>> = OnceLock::new();
    // Every keyword's characters are three bytes long, and the last byte of
    // most others tells that they are none of them.
    let [.., lead, _, last] = *line.as_bytes() else { return None };
    if lead & 0xF0 != 0xE0 || HEAD_TAILS >> (last & 0x3F) & 1 == 0 {
        return None;
    }
    let c = line[line.len() - 3..].chars().next()?;
    let heads = HEADS.get_or_init(|| {
        let mut heads: Vec<char> = KEYWORDS.iter().flat_map(|(w, _)| w.chars().rev().skip(1)).collect();
        heads.sort_unstable();
        heads.dedup();
        heads
    });
    heads.binary_search(&c).is_ok().then_some(c)
}

/// The low six bits of the last byte of each keyword character other than a
/// keyword's last (all are three bytes long), as bits.
const HEAD_TAILS: u64 = {
    let mut bits = 0u64;
    let mut k = 0;
    while k < KEYWORDS.len() {
        let word = KEYWORDS[k].0.as_bytes();
        assert!(word.len().is_multiple_of(3), "a keyword of three-byte characters");
        let mut end = 3;
        while end < word.len() {
            assert!(word[end - 3] & 0xF0 == 0xE0, "a keyword of three-byte characters");
            bits |= 1 << (word[end - 1] & 0x3F);
            end += 3;
        }
        k += 1;
    }
    bits
};

/// A keyword cut in two: (first part, rest, bit).
type Cut = (&'static str, &'static str, u8);

/// Every keyword cut in two after its first character or later whose first
/// part ends with `last`: the only cuts a line ending in `last` can hold.
fn broken_keywords(last: char) -> impl Iterator<Item = &'static Cut> {
    // With the last character of the first part, to look cuts up by.
    static CUTS: OnceLock<Vec<(char, Cut)>> = OnceLock::new();
    let cuts = CUTS.get_or_init(|| {
        let mut cuts: Vec<(char, Cut)> = KEYWORDS
            .iter()
            .flat_map(|&(word, bit)| {
                word.char_indices().skip(1).map(move |(cut, _)| {
                    let head = &word[..cut];
                    (head.chars().next_back().unwrap_or_default(), (head, &word[cut..], bit))
                })
            })
            .collect();
        // Grouped by the first part's last character, in keyword order within.
        cuts.sort_by_key(|&(c, _)| c);
        cuts
    });
    let from = cuts.partition_point(|&(c, _)| c < last);
    let to = cuts.partition_point(|&(c, _)| c <= last);
    cuts[from..to].iter().map(|(_, cut)| cut)
}

/// The keyword bits of lines `first..first + count` of `lines`: keywords that
/// start on them, whole or broken by the line break after them (web exports
/// break lines mid-word), or masked. `keywords` are [`Starts::keywords`] of
/// the lines' text.
fn keyword_hits(text: &str, lines: &[Line], first: usize, count: usize, keywords: &[(usize, u8)]) -> Vec<(usize, u8)> {
    let region = &lines[first..first + count];
    let mut bits = vec![0u8; count];
    let lo = region[0].range.start;
    let hi = region[count - 1].range.end;
    // Keywords hold no line break: every match lies within a line. No
    // keyword's end begins another, so non-overlapping matches are all.
    let mut cursor = Cursor { lines: region, k: 0 };
    for &(at, bit) in keywords {
        bits[cursor.line(lo + at)] |= bit;
    }
    for (k, line) in region.iter().enumerate() {
        let s = line.range.slice(text);
        // Broken by exactly one line break: the line ends with the first part,
        // the next begins with the rest.
        if let (Some(next), Some(last)) = (lines.get(first + k + 1), may_continue(s)) {
            let after = next.range.slice(text);
            for &(head, tail, bit) in broken_keywords(last) {
                if s.ends_with(head) && after.starts_with(tail) {
                    bits[k] |= bit;
                }
            }
        }
    }
    // A masked word (「信息公**台」), on the lines holding a `*`.
    let mut cursor = Cursor { lines: region, k: 0 };
    let mut masked = usize::MAX;
    for at in memchr::memchr_iter(b'*', &text.as_bytes()[lo..hi]) {
        let k = cursor.line(lo + at);
        if k != masked {
            masked = k;
            bits[k] |= masked_bits(region[k].range.slice(text));
        }
    }
    bits.into_iter().enumerate().filter(|&(_, b)| b != 0).map(|(k, b)| (first + k, b)).collect()
}

/// The bits of the keywords `s` holds masked (see [`masked_contains`]). A
/// keyword found whole is the literal search's; one that takes a mask starts
/// at most its length before a mask, so only those starts are tried.
fn masked_bits(s: &str) -> u8 {
    let text = collapse_masks(s);
    let stars: Vec<usize> = (0..text.len()).filter(|&p| text[p] == '*').collect();
    let mut bits = 0;
    let mut kw: Vec<char> = Vec::with_capacity(8);
    for (word, bit) in KEYWORDS {
        if bits & bit != 0 {
            continue;
        }
        kw.clear();
        kw.extend(word.chars());
        // A start before the mask is the keyword's first character itself.
        let found = stars.iter().any(|&p| {
            (p.saturating_sub(kw.len())..=p).any(|i| (i == p || text[i] == kw[0]) && masked_at(&text[i..], &kw, false))
        });
        if found {
            bits |= bit;
        }
    }
    bits
}

/// The characters of `s` with every run of `*` made one.
fn collapse_masks(s: &str) -> Vec<char> {
    let mut text: Vec<char> = Vec::with_capacity(s.len() / 3);
    for c in s.chars() {
        if !(c == '*' && text.last() == Some(&'*')) {
            text.push(c);
        }
    }
    text
}

/// Whether `text` starts with `kw`, a `*` standing for one or more of its
/// characters; `literal` once one of them was matched as itself.
fn masked_at(text: &[char], kw: &[char], literal: bool) -> bool {
    let Some((&k, rest)) = kw.split_first() else { return literal };
    match text.split_first() {
        Some(('*', more)) => (1..=kw.len()).any(|n| masked_at(more, &kw[n..], literal)),
        Some((&c, more)) if c == k => masked_at(more, rest, true),
        _ => false,
    }
}

/// Whether `s` contains `keyword` where a run of `*` stands for one or more
/// of its characters, as long as one of them is left (「信息公**台建设」
/// covers 平台; 「****」 alone covers nothing).
#[cfg(test)]
fn masked_contains(s: &str, keyword: &str) -> bool {
    let text = collapse_masks(s);
    let kw: Vec<char> = keyword.chars().collect();
    (0..text.len()).any(|i| masked_at(&text[i..], &kw, false))
}

/// [`keyword_hits`] of lines `first..first + count` of `report`.
pub(super) fn keywords(text: &str, report: &Report, first: usize, count: usize) -> Vec<(usize, u8)> {
    if count == 0 {
        return Vec::new();
    }
    let lines = &report.lines[first..first + count];
    let starts = starts(&text[lines[0].range.start..lines[count - 1].range.end]);
    keyword_hits(text, &report.lines, first, count, &starts.keywords)
}

static APPLY: OnceLock<Regex> = OnceLock::new();
static REVIEW: OnceLock<Regex> = OnceLock::new();
static SUIT: OnceLock<Regex> = OnceLock::new();
static CARRY: OnceLock<Regex> = OnceLock::new();

/// The pattern of a mention: a keyword, a few words, the number, a unit.
/// Every class leaves out `\r` and `\n`, so no match spans a line break.
pub fn pattern(kind: MentionKind) -> &'static Regex {
    match kind {
        MentionKind::Applications => re(
            &APPLY,
            r"(?:收到|受理|办理|接收|处理|办结)[^。；;，,：:0-9０-９\r\n]{0,24}?申请[^。；;，,0-9０-９（(\r\n]{0,12}?([0-9０-９]+)[\s&&[^\r\n]]*(?:件|条|个|宗|次|份)",
        ),
        MentionKind::Reviews => {
            re(&REVIEW, r"行政复议[^。；;，,、0-9０-９和及与\r\n]{0,6}?([0-9０-９]+)[\s&&[^\r\n]]*(?:件|次|起|宗)")
        }
        MentionKind::Lawsuits => {
            re(&SUIT, r"(?:行政)?诉讼[^。；;，,、0-9０-９和及与\r\n]{0,6}?([0-9０-９]+)[\s&&[^\r\n]]*(?:件|次|起|宗)")
        }
        MentionKind::CarriedOver => {
            re(&CARRY, r"结转[^。；;，,0-9０-９\r\n]{0,10}?([0-9０-９]+)[\s&&[^\r\n]]*(?:件|条)")
        }
    }
}

/// Whether a mention could start in `line` and end after it: whether `line`
/// ends in a non-empty prefix of a match of some [`pattern`] (the regex
/// `tests::open_end` spells them; `tests::is_open_is_the_prefix_regex`).
pub fn is_open(line: &str) -> bool {
    // A prefix of a match ends in a keyword, a gap, a number, spaces or a
    // unit; gaps exclude sentence punctuation, so a line ending like a
    // sentence is closed (nearly every prose line).
    let Some(last) = line.chars().next_back() else { return false };
    if sentence_end(last) {
        return false;
    }
    // Past an optional unit, spaces and digits, the keyword and the gaps
    // before the number span at most 40 characters: the prefix starts with
    // one of the keywords' first characters within them, after the last
    // sentence punctuation (most lines that do not end like a sentence have
    // one a few characters before their end: 「。”」, 「，详见：」) and after
    // the last digit (a prefix holds no digit but those of its number).
    let mut rest = line;
    // (A line ending in anything else has nothing to strip.)
    if UNITS.contains(&last) || last.is_whitespace() || numeric(last) {
        rest = rest.strip_suffix(|c: char| UNITS.contains(&c)).unwrap_or(rest);
        rest = rest.trim_end();
        rest = rest.trim_end_matches(numeric);
    }
    // Back from the end, character by character. Most are three bytes long,
    // and the last byte of most tells that they are none of those asked.
    let bytes = rest.as_bytes();
    let mut end = bytes.len();
    for _ in 0..KEYWORD_AND_GAPS {
        let Some(&b) = bytes[..end].last() else { return false };
        if b.is_ascii() {
            if matches!(b, b';' | b',' | b'0'..=b'9') {
                return false;
            }
            end -= 1;
            continue;
        }
        let Some(start) = end.checked_sub(3).filter(|&s| bytes[s] & 0xF0 == 0xE0) else {
            // Two or four bytes long: none of those asked.
            end -= rest[..end].chars().next_back().map_or(1, char::len_utf8);
            continue;
        };
        end = start;
        if ASKED_TAILS >> (b & 0x3F) & 1 == 0 {
            continue;
        }
        let c = rest[start..].chars().next().unwrap_or_default();
        if sentence_end(c) {
            return false;
        }
        if starts_pattern(c) && open_prefix(&line[start..]) {
            return true;
        }
    }
    false
}

/// Whether `line` may be open ([`is_open`]), `trigger` telling whether one
/// of [`TRIGGERS`] starts in it: an open end starts with a trigger, or is
/// the first character of one, 行政, 行政复 or 行政诉. Few lines hold a
/// trigger, and this spares the others the scan back.
fn may_be_open(line: &str, trigger: bool) -> bool {
    trigger || line.ends_with(['收', '受', '办', '接', '处', '行', '诉', '结', '政', '复'])
}

/// The low six bits of the last byte of each three-byte character the scan
/// back in [`is_open`] asks about: [`sentence_end`], [`starts_pattern`].
const ASKED_TAILS: u64 = {
    let asked = ['。', '；', '，', '收', '受', '办', '接', '处', '行', '诉', '结'];
    let mut bits = 0u64;
    let mut k = 0;
    while k < asked.len() {
        bits |= 1 << (asked[k] as u32 & 0x3F);
        k += 1;
    }
    bits
};

/// The punctuation every gap of every pattern excludes.
fn sentence_end(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '，' | ',')
}

/// Whether the whole of `s` is a non-empty prefix of a match of some
/// [`pattern`] starting at its keyword: each part after the first character
/// optional. The gaps let line breaks through, which a line holds none of.
fn open_prefix(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return false };
    let Some(second) = chars.next() else { return starts_pattern(first) };
    let tail = chars.as_str();
    // `和及与` and `、` end the gaps of 行政复议 and 诉讼, `（(` that after 申请.
    let review = |c| !sentence_end(c) && !matches!(c, '、' | '和' | '及' | '与');
    match (first, second) {
        ('收', '到') | ('受', '理') | ('办', '理' | '结') | ('接', '收') | ('处', '理') => {
            // `[^。；;，,：:0-9０-９]{0,24}(?:申(?:请…)?)?`: 申 is a gap
            // character too, so each place the gap may end is tried.
            let mut rest = tail;
            let mut n = 0;
            loop {
                if let Some(after) = rest.strip_prefix('申') {
                    let request = |c| !sentence_end(c) && !matches!(c, '（' | '(');
                    let units = ['件', '条', '个', '宗', '次', '份'];
                    if after.is_empty()
                        || after.strip_prefix('请').is_some_and(|t| number_prefix(t, request, 12, &units))
                    {
                        return true;
                    }
                }
                let mut chars = rest.chars();
                let Some(c) = chars.next() else { return true };
                if n == 24 || sentence_end(c) || matches!(c, '：' | ':') || digit(c) {
                    return false;
                }
                n += 1;
                rest = chars.as_str();
            }
        }
        ('行', '政') => {
            tail.is_empty()
                || tail == "复"
                || tail == "诉"
                || tail
                    .strip_prefix("复议")
                    .or_else(|| tail.strip_prefix("诉讼"))
                    .is_some_and(|t| number_prefix(t, review, 6, &['件', '次', '起', '宗']))
        }
        ('诉', '讼') => number_prefix(tail, review, 6, &['件', '次', '起', '宗']),
        ('结', '转') => number_prefix(tail, |c| !sentence_end(c), 10, &['件', '条']),
        _ => false,
    }
}

/// Whether the whole of `s` is `gap{0,max}(?:[0-9０-９]+\s*(?:unit)?)?`,
/// where `gap` leaves out the digits: the gap runs up to the first digit.
fn number_prefix(s: &str, gap: impl Fn(char) -> bool, max: usize, units: &[char]) -> bool {
    let mut chars = s.chars();
    let mut n = 0;
    loop {
        match chars.next() {
            None => return true,
            Some(c) if digit(c) => break,
            Some(c) if n < max && gap(c) => n += 1,
            Some(_) => return false,
        }
    }
    let mut rest = chars.as_str().trim_start_matches(digit).trim_start();
    rest = rest.strip_prefix(units).unwrap_or(rest);
    rest.is_empty()
}

/// The units of every pattern.
const UNITS: [char; 7] = ['件', '条', '个', '宗', '次', '份', '起'];
/// `char::is_numeric` without a table lookup for CJK ideographs (none is
/// numeric), the characters a line's tail holds most.
fn numeric(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && !('\u{4E00}'..='\u{9FFF}').contains(&c) && c.is_numeric())
}

/// Whether `c` is the first character of a pattern's keyword (a `match`, not
/// a search of a list: every character of an open line's tail is asked).
fn starts_pattern(c: char) -> bool {
    matches!(c, '收' | '受' | '办' | '接' | '处' | '行' | '诉' | '结')
}
/// Keyword (2–4), gaps (24 + 12) and 申请: the most a match has before its number.
const KEYWORD_AND_GAPS: usize = 42;

/// Approximate numbers (「1100余条」, 「约300件」) are never compared.
fn approximate(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start();
    let before = &text[..start];
    after.starts_with(['余', '多'])
        || ["约", "近", "超过", "逾", "达", "上"].iter().any(|w| before.ends_with(w))
        || after.starts_with('%')
        || after.starts_with('．')
        || after.starts_with('.')
}

/// The exact numbers `kind`'s pattern finds in `text`: (digits range in
/// `text`, value), in order. `text` is a run of whole lines, or prose lines
/// joined without their breaks.
pub fn mentions_in(kind: MentionKind, text: &str) -> impl Iterator<Item = (TextRange, i64)> + '_ {
    let mut matches = Vec::new();
    find_mentions(text, &starts(text).triggers, |k, digits| {
        if k == kind {
            matches.push(digits);
        }
    });
    matches.into_iter().filter_map(move |(start, end)| exact(text, start, end))
}

/// The digits as a value, unless approximate or too long.
fn exact(text: &str, start: usize, end: usize) -> Option<(TextRange, i64)> {
    if approximate(text, start, end) {
        return None;
    }
    let n = text[start..end].parse::<i64>().ok()?;
    Some((TextRange::new(start, end), n))
}

/// Every match of every kind's [`pattern`] in `text`, as `found(kind, digits)`
/// in order of their starts per kind, written out by hand: one pass over the
/// characters instead of four automata. A match starts at its keyword, one of
/// `triggers` ([`Starts::triggers`] of `text`); each kind's next match is
/// looked for from the end of its last one, as `find_iter` does. The gaps'
/// classes leave out the digits, so a gap ends where the number starts, and
/// only the lazy gap before 申请 may try several lengths
/// (`tests::the_hand_matcher_is_the_patterns`).
fn find_mentions(text: &str, triggers: &[(usize, usize)], mut found: impl FnMut(MentionKind, (usize, usize))) {
    // Where each kind may match next (after its last match).
    let mut next = [0usize; 4];
    // Keywords overlap (「接收到」, 「办结转」): each start is tried.
    for &(i, t) in triggers {
        let (word, kind) = TRIGGERS[t];
        let k = kind as usize;
        if i >= next[k] {
            if let Some((digits, end)) = mention_at(text, kind, i + word.len()) {
                found(kind, digits);
                next[k] = end;
            }
        }
    }
}

/// The rest of a `kind` match after its keyword (ending at `at`): the digits
/// and where the match ends.
fn mention_at(text: &str, kind: MentionKind, at: usize) -> Option<((usize, usize), usize)> {
    match kind {
        MentionKind::Applications => {
            // `[^。；;，,：:0-9０-９\r\n]{0,24}?申请`, each length in turn.
            let mut pos = at;
            for n in 0..=24 {
                if text.as_bytes()[pos..].starts_with("申请".as_bytes()) {
                    let gap =
                        |c| !matches!(c, '。' | '；' | ';' | '，' | ',' | '（' | '(') && !digit(c) && !line_break(c);
                    if let Some(m) = number_after(text, pos + 6, gap, 12, &['件', '条', '个', '宗', '次', '份']) {
                        return Some(m);
                    }
                }
                if n == 24 {
                    return None;
                }
                pos += request_gap(text.as_bytes(), pos)?;
            }
            None
        }
        MentionKind::Reviews | MentionKind::Lawsuits => {
            let gap = |c| {
                !matches!(c, '。' | '；' | ';' | '，' | ',' | '、' | '和' | '及' | '与') && !digit(c) && !line_break(c)
            };
            number_after(text, at, gap, 6, &['件', '次', '起', '宗'])
        }
        MentionKind::CarriedOver => {
            let gap = |c| !matches!(c, '。' | '；' | ';' | '，' | ',') && !digit(c) && !line_break(c);
            number_after(text, at, gap, 10, &['件', '条'])
        }
    }
}

/// The length of the character at `pos` if it may stand in the gap before
/// 申请 (`[^。；;，,：:0-9０-９\r\n]`), told by its bytes, not decoded: the
/// gaps are mostly ideographs, whose first byte is none of those of 。 (E3)
/// and the full-width ；，：０-９ (EF).
fn request_gap(bytes: &[u8], pos: usize) -> Option<usize> {
    let b = *bytes.get(pos)?;
    match b {
        b'0'..=b'9' | b';' | b',' | b':' | b'\r' | b'\n' => None,
        0xE3 => (bytes[pos + 1..pos + 3] != "。".as_bytes()[1..]).then_some(3),
        // ，is EF BC 8C; ０-９, ： and ； are EF BC 90 to 9B.
        0xEF => (bytes[pos + 1] != 0xBC || !matches!(bytes[pos + 2], 0x8C | 0x90..=0x9B)).then_some(3),
        _ => Some(utf8_len(b)),
    }
}

fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn line_break(c: char) -> bool {
    c == '\r' || c == '\n'
}

/// `gap{0,max}?(digits)\s*unit` from `at`, where `gap` excludes the digits:
/// the gap runs up to the first digit.
fn number_after(
    text: &str,
    at: usize,
    gap: impl Fn(char) -> bool,
    max: usize,
    units: &[char],
) -> Option<((usize, usize), usize)> {
    let mut start = at;
    let mut chars = text[at..].chars();
    let mut n = 0;
    let first = loop {
        let c = chars.next()?;
        if digit(c) {
            break c;
        }
        if n == max || !gap(c) {
            return None;
        }
        n += 1;
        start += c.len_utf8();
    };
    let mut end = start + first.len_utf8();
    let mut c = chars.next()?;
    while digit(c) {
        end += c.len_utf8();
        c = chars.next()?;
    }
    let mut after = end;
    while c.is_whitespace() && !line_break(c) {
        after += c.len_utf8();
        c = chars.next()?;
    }
    units.contains(&c).then_some(((start, end), after + c.len_utf8()))
}

/// The line holding a byte offset, for offsets asked in increasing order.
struct Cursor<'a> {
    lines: &'a [Line],
    k: usize,
}

impl Cursor<'_> {
    fn line(&mut self, at: usize) -> usize {
        while self.k + 1 < self.lines.len() && self.lines[self.k].next <= at {
            self.k += 1;
        }
        self.k
    }
}

/// The facts of lines `first..first + count` of `report`, whose kinds are
/// final, but for their keywords ([`keywords`]); `text` is the whole text.
pub(super) fn scan(text: &str, report: &Report, first: usize, count: usize) -> ProseFacts {
    if count == 0 {
        return ProseFacts::default();
    }
    let lines = &report.lines[first..first + count];
    let starts = starts(&text[lines[0].range.start..lines[count - 1].range.end]);
    facts(text, report, first, count, &starts)
}

/// The facts of every line of `report`, keywords and all: [`scan`] and
/// [`keywords`] with one pass of [`starts`] for both.
pub(super) fn scan_all(text: &str, report: &Report) -> ProseFacts {
    let count = report.lines.len();
    if count == 0 {
        return ProseFacts::default();
    }
    let starts = starts(&text[report.lines[0].range.start..report.lines[count - 1].range.end]);
    let mut facts = facts(text, report, 0, count, &starts);
    facts.keywords = keyword_hits(text, &report.lines, 0, count, &starts.keywords);
    facts
}

/// [`scan`] with the [`starts`] of the lines' text.
fn facts(text: &str, report: &Report, first: usize, count: usize, starts: &Starts) -> ProseFacts {
    let mut facts = ProseFacts::default();
    let lines = &report.lines[first..first + count];
    let lo = lines[0].range.start;
    let region = &text[lo..lines[count - 1].range.end];
    // Per kind, in order, then all of them by where their digits start (a
    // stable sort, so equal starts keep the kinds' order).
    let mut by_kind: [Vec<Mention>; 4] = Default::default();
    let mut cursor = Cursor { lines, k: 0 };
    find_mentions(region, &starts.triggers, |kind, (start, end)| {
        if let Some((r, value)) = exact(region, start, end) {
            let range = r.shift(lo);
            by_kind[kind as usize].push(Mention { kind, line: first + cursor.line(range.start), range, value });
        }
    });
    facts.mentions = by_kind.concat();
    facts.mentions.sort_by_key(|m| m.range.start);
    placeholders(text, lines, &starts.wide, &mut facts.placeholders);
    // The triggers before the line's start, of those in order.
    let mut before = 0;
    for (k, line) in lines.iter().enumerate() {
        if report.kinds[first + k] != LineKind::Prose {
            continue;
        }
        let triggers = &starts.triggers[before..];
        before += triggers.partition_point(|&(at, _)| lo + at < line.range.start);
        let trigger = starts.triggers.get(before).is_some_and(|&(at, _)| lo + at < line.range.end);
        let s = line.range.slice(text);
        if may_be_open(s, trigger) && is_open(s) {
            facts.open_lines.push(first + k);
        }
    }
    facts
}

/// The masks and blanks of `lines`, in order; `wide` are [`Starts::wide`] of
/// their text.
fn placeholders(text: &str, lines: &[Line], wide: &[usize], out: &mut Vec<Placeholder>) {
    let lo = lines[0].range.start;
    let region = &text[lo..lines[lines.len() - 1].range.end];
    let (masks, blanks) = placeholder_runs(region, wide);
    let mut found: Vec<Placeholder> = Vec::new();
    let mut cursor = Cursor { lines, k: 0 };
    for (start, end) in masks {
        let m = &region[start..end];
        let range = TextRange::new(lo + start, lo + end);
        let line = lines[cursor.line(range.start)].range;
        let s = line.slice(text);
        let (at, end) = (range.start - line.start, range.end - line.start);
        // `**标题**` is Markdown bold, not a mask.
        let bold = m == "**" && (s[end..].contains("**") || s[..at].contains("**"));
        let ascii_word = m.starts_with('X')
            && (s[..at].ends_with(|c: char| c.is_ascii_alphanumeric())
                || s[end..].starts_with(|c: char| c.is_ascii_alphanumeric()));
        if bold || ascii_word {
            continue;
        }
        found.push(Placeholder { kind: PlaceholderKind::Mask, range });
    }
    // 「信息  条」: a keyword, a run of two or more spaces, a unit. The keyword
    // ends and the unit starts with a non-space, so such a match is a whole
    // run of spaces: finding the runs first is much faster than matching the
    // keywords, which are among the commonest words of a report.
    const KEYWORDS: [&str; 9] = ["信息", "申请", "公开", "发布", "收到", "办理", "受理", "共", "计"];
    const UNITS: [char; 6] = ['条', '件', '篇', '个', '次', '项'];
    for (start, end) in blanks {
        if KEYWORDS.iter().any(|k| region[..start].ends_with(k)) && region[end..].starts_with(UNITS) {
            let range = TextRange::new(lo + start, lo + end);
            found.push(Placeholder { kind: PlaceholderKind::MissingNumber, range });
        }
    }
    found.sort_by_key(|p| p.range.start);
    out.extend(found);
}

/// Byte ranges, in order.
type Runs = Vec<(usize, usize)>;

/// The runs of `region` that `\*{2,}|[XＸ]{2,}|×{2,}|某某` (masks) and
/// `[ \u{3000}]{2,}` (blanks) match, in order, as two regex searches would
/// find them: the first two characters of a run (a seed) are looked for, and
/// each run is then read to its end. No mask character is blank, so a run of
/// one kind never hides the start of the other.
///
/// The seeds are looked for in three searches, merged: those of `*` and `X`
/// by their bytes (rare in a report), double spaces as a string, and the
/// others, [`WIDE`], are `wide` ([`Starts::wide`] of `region`). (A search
/// among all the seeds, two bytes long, stopped at each of 「。」「、」, which
/// begin like 「\u{3000}」, and 「，」「（」, like 「Ｘ」; a search for single
/// spaces stops at each.)
fn placeholder_runs(region: &str, wide: &[usize]) -> (Runs, Runs) {
    static SPACES: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let spaces = SPACES.get_or_init(|| memchr::memmem::Finder::new("  "));
    let bytes = region.as_bytes();
    // The first seed at or after `from` of each search.
    let marks_from = |mut from: usize| {
        while let Some(i) = memchr::memchr2(b'*', b'X', &bytes[from..]) {
            let (at, next) = (from + i, &region[from + i + 1..]);
            if next.starts_with(if bytes[at] == b'*' { &['*'][..] } else { &['X', 'Ｘ'] }) {
                return Some(at);
            }
            from = at + 1;
        }
        None
    };
    let spaces_from = |from: usize| spaces.find(&bytes[from..]).map(|i| from + i);
    let wide_from = |from: usize| wide.get(wide.partition_point(|&at| at < from)).copied();
    let searches: [&dyn Fn(usize) -> Option<usize>; 3] = [&marks_from, &spaces_from, &wide_from];
    let (mut masks, mut blanks) = (Vec::new(), Vec::new());
    // The first seed of each search at or after the end of the last run.
    let mut next = searches.map(|search| search(0));
    while let Some(start) = next.iter().flatten().copied().min() {
        let run =
            |class: fn(char) -> bool| start + region[start..].find(|c: char| !class(c)).unwrap_or(region.len() - start);
        let first = region[start..].chars().next().unwrap_or_default();
        let end = match first {
            '某' => start + '某'.len_utf8() * 2,
            '*' => run(|c| c == '*'),
            '×' => run(|c| c == '×'),
            'X' | 'Ｘ' => run(|c| c == 'X' || c == 'Ｘ'),
            _ => run(|c| c == ' ' || c == '\u{3000}'),
        };
        let blank = matches!(first, ' ' | '\u{3000}');
        if blank { &mut blanks } else { &mut masks }.push((start, end));
        for (seed, search) in next.iter_mut().zip(searches) {
            if seed.is_some_and(|at| at < end) {
                *seed = search(end);
            }
        }
    }
    (masks, blanks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_stand_for_characters_but_not_for_a_whole_keyword() {
        assert!(masked_contains("（四）信息公**台建设情况", "平台"));
        assert!(masked_contains("依**公开", "依申请公开"));
        assert!(masked_contains("****政府信息管理情况", "信息管理"));
        assert!(!masked_contains("****", "平台"));
        assert!(!masked_contains("公开**", "平台"));
        assert!(!masked_contains("信息公开", "平台"));
    }

    #[test]
    fn keywords_are_found_whole_broken_by_one_line_break_and_masked() {
        let text = "加强平台\n建设，依申\r\n请公开办理\n\n监\n\n督有力\n信息公**台\n上一\r年度整改";
        let report = crate::report::parse(text);
        let hits = keywords(text, &report, 0, report.lines.len());
        // 平台 on line 0; 依申请公开 from line 1 into 2; 监…督 across a blank
        // line is no keyword; 平台 masked on line 7; 上一年 from line 8 over
        // a lone CR, 整改 on line 9.
        use bits::*;
        assert_eq!(hits, vec![(0, PLATFORM), (1, ON_REQUEST), (7, PLATFORM), (8, RECTIFICATION), (9, RECTIFICATION)]);
    }

    /// [`starts`] as the searches it replaced found the words: a
    /// leftmost-first aho-corasick search for each list, the keywords'
    /// without overlaps, the triggers' again from one character after each
    /// start, the seeds' from one byte after.
    fn starts_by_search(text: &str) -> Starts {
        use aho_corasick::{AhoCorasick, Input, MatchKind};
        let search = |words: &[&str]| AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(words).unwrap();
        let every = |words: &[&str], step: usize| {
            let search = search(words);
            let (mut found, mut from) = (Vec::new(), 0);
            while let Some(m) = search.find(Input::new(text).span(from..text.len())) {
                found.push((m.start(), m.pattern().as_usize()));
                from = m.start() + step;
            }
            found
        };
        let keywords = search(&KEYWORDS.map(|(w, _)| w));
        Starts {
            keywords: keywords.find_iter(text).map(|m| (m.start(), KEYWORDS[m.pattern().as_usize()].1)).collect(),
            triggers: every(&TRIGGERS.map(|(w, _)| w), 3),
            wide: every(&WIDE, 1).into_iter().map(|(at, _)| at).collect(),
        }
    }

    #[test]
    fn starts_are_the_searches() {
        let mut pieces: Vec<String> = "主动公开|依申请公开|信息管理|信息资源|平台|监督|保障|上年|上一年|去年|整改|处理费|收费|收取|其中|包括|收到|受理|办理|接收|处理|办结|行政复议|行政诉讼|诉讼|结转|ＸX|ＸＸ|××|某某|主|动|依|信息|信|息|管|上|一|年|行政|行|政|复议|诉|讼|收|结|办|某|×|Ｘ|X|*| |\u{3000}|a|，|。|１|2|\n|\r\n|\r|𠮷|×a|é"
            .split('|')
            .map(String::from)
            .collect();
        // Characters that share the table's key with a word (its second and
        // third bytes) but not its first byte.
        for (word, _) in KEYWORDS.iter().chain(&TRIGGERS.map(|(w, _)| (w, 0))) {
            for lead in 0xE4..=0xE9 {
                let mut c = word.as_bytes()[..3].to_vec();
                c[0] = lead;
                pieces.extend(String::from_utf8(c).ok());
            }
        }
        let mut next = crate::text::xorshift(0x57a7_75a7_e5ea_4c4eu64);
        let mut found = 0;
        for k in 0..20_000 {
            // Some long enough for runs of characters.
            let n = if k % 8 == 0 { next() % 200 } else { next() % 24 };
            let text: String = (0..n).map(|_| pieces[(next() % pieces.len() as u64) as usize].as_str()).collect();
            let want = starts_by_search(&text);
            assert_eq!(starts(&text), want, "{text:?}");
            found += want.keywords.len() + want.triggers.len() + want.wide.len();
        }
        assert!(found > 60_000, "only {found} words");
    }

    /// What finding whole keywords without overlaps rests on: no keyword's
    /// end begins a keyword, so none of its occurrences hides another.
    #[test]
    fn no_keyword_ends_in_the_start_of_a_keyword() {
        for (a, _) in KEYWORDS {
            for (b, _) in KEYWORDS {
                for (cut, _) in a.char_indices().skip(1) {
                    assert!(!b.starts_with(&a[cut..]), "{a} ends in the start of {b}");
                }
            }
        }
    }

    /// The keyword hits as one pattern finds them, each keyword whole or
    /// broken by one line break anywhere inside it: what the literal search
    /// and the check at each line break must equal.
    fn keyword_hits_by_pattern(text: &str, report: &Report) -> Vec<(usize, u8)> {
        let mut alternatives = Vec::new();
        for (word, _) in KEYWORDS {
            let chars: Vec<char> = word.chars().collect();
            alternatives.push(regex::escape(word));
            for cut in 1..chars.len() {
                let (a, b): (String, String) = (chars[..cut].iter().collect(), chars[cut..].iter().collect());
                alternatives.push(format!("{}(?:\\r\\n|\\r|\\n){}", regex::escape(&a), regex::escape(&b)));
            }
        }
        let pattern = Regex::new(&alternatives.join("|")).unwrap();
        let mut bits = vec![0u8; report.lines.len()];
        let mut cursor = Cursor { lines: &report.lines, k: 0 };
        for m in pattern.find_iter(text) {
            let word: String = m.as_str().chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
            bits[cursor.line(m.start())] |= KEYWORDS.iter().find(|(k, _)| *k == word).unwrap().1;
        }
        for (k, line) in report.lines.iter().enumerate() {
            let s = line.range.slice(text);
            if s.contains('*') {
                for (word, bit) in KEYWORDS {
                    if masked_contains(s, word) {
                        bits[k] |= bit;
                    }
                }
            }
        }
        bits.into_iter().enumerate().filter(|&(_, b)| b != 0).collect()
    }

    #[test]
    fn keyword_hits_equal_the_pattern_over_random_breaks() {
        let pieces: Vec<&str> =
            "主动|公开|依申|请|信息|管理|资源|平|台|监督|保障|上|一|年|去|整改|处理|费|收|取|其中|包括|**|，|\n|\r\n|\r|\n\n|𠮷"
                .split('|')
                .collect();
        let mut next = crate::text::xorshift(0x5eed_cafe_f00d_0001u64);
        for _ in 0..3000 {
            let text: String = (0..next() % 30).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            let report = crate::report::parse(&text);
            let n = report.lines.len();
            assert_eq!(keywords(&text, &report, 0, n), keyword_hits_by_pattern(&text, &report), "{text:?}");
            // And over any run of lines, as a reparse asks.
            let (a, b) = ((next() % n as u64) as usize, (next() % n as u64) as usize);
            let (first, last) = (a.min(b), a.max(b));
            let whole: Vec<_> = keyword_hits_by_pattern(&text, &report)
                .into_iter()
                .filter(|&(l, _)| (first..=last).contains(&l))
                .collect();
            assert_eq!(keywords(&text, &report, first, last + 1 - first), whole, "{text:?} {first}..={last}");
        }
    }

    /// Deterministic pseudo-random prose over the words the patterns look for.
    fn samples(n: usize) -> Vec<String> {
        let words: Vec<&str> = "收到|受理|办理|处理|申请|行政复议|行政|诉讼|诉|结转|结|转|件|条|次|12|3|0|余|约|超过|。|，|、|和| |\u{3000}|信息|公开|共|**|XX|某某|X|a|政府|复议|讼|收|受|办|处|接|议|1100|\n|\r\n|\r|（|：|:|；|;|,|份|宗|起|３|０|办结|接收|申|请|𠮷"
            .split('|')
            .collect();
        let mut next = crate::text::xorshift(0x1234_5678_9abc_def1u64);
        (0..n).map(|_| (0..next() % 14).map(|_| words[(next() % words.len() as u64) as usize]).collect()).collect()
    }

    /// Every match with its number, approximate or not.
    fn found(kind: MentionKind, text: &str) -> Vec<(TextRange, TextRange)> {
        let range = |m: regex::Match| TextRange::new(m.start(), m.end());
        pattern(kind).captures_iter(text).map(|c| (range(c.get(0).unwrap()), range(c.get(1).unwrap()))).collect()
    }

    /// What the whole paragraph-joining argument rests on: a line that is not
    /// open ends every match before the next line begins.
    #[test]
    fn no_match_crosses_the_end_of_a_line_that_is_not_open() {
        let samples = samples(4000);
        let mut open = 0;
        for (a, b) in samples.iter().zip(samples.iter().skip(1)) {
            let joined = format!("{a}{b}");
            for kind in MentionKind::ALL {
                let whole = found(kind, &joined);
                if is_open(a) {
                    open += 1;
                    continue;
                }
                let mut parts = found(kind, a);
                parts.extend(found(kind, b).into_iter().map(|(m, g)| (m.shift(a.len()), g.shift(a.len()))));
                assert_eq!(whole, parts, "{kind:?}: {a:?} + {b:?}");
            }
        }
        assert!(open > 100, "only {open} open lines: the test says little");
    }

    /// The groups as the regex itself reports them.
    fn groups(kind: MentionKind, text: &str) -> Vec<(usize, usize)> {
        pattern(kind).captures_iter(text).map(|c| c.get(1).map(|g| (g.start(), g.end())).unwrap()).collect()
    }

    #[test]
    fn the_hand_matcher_is_the_patterns() {
        // Sentences built to match, with other scripts' digits and numeric
        // characters that are no digits around the number.
        let heads = [
            "收到申请",
            "受理政府信息公开申请",
            "行政复议",
            "行政诉讼",
            "诉讼",
            "结转",
            "办理申请共",
            "接收到申请申请",
            "办结转",
            "处理的申请（",
            "受理申请，申请",
        ];
        let numbers = ["12", "0", "２3", "①3", "٣0", "3٣", "1234567890123456789012", "〇7"];
        let tails = ["件", " 件", "\u{3000}条", "次", "起", "条。", "余件"];
        let mut tricky = samples(2500);
        for (k, s) in samples(2500).into_iter().enumerate() {
            let pick = |v: &[&'static str], by: usize| v[(k * 7 + by) % v.len()];
            tricky.push(format!("{s}{}{}{}{s}", pick(&heads, k), pick(&numbers, k / 3), pick(&tails, k / 5)));
        }
        let mut read = 0;
        for text in &tricky {
            let mut got: [Vec<(usize, usize)>; 4] = Default::default();
            find_mentions(text, &starts(text).triggers, |kind, digits| got[kind as usize].push(digits));
            for kind in MentionKind::ALL {
                read += got[kind as usize].len();
                assert_eq!(got[kind as usize], groups(kind, text), "{kind:?} in {text:?}");
            }
        }
        assert!(read > 900, "only {read} numbers");
    }

    /// Gaps just within and just past each pattern's bound, through the
    /// hand matcher and the patterns.
    #[test]
    fn gaps_at_their_bounds() {
        let mut texts = Vec::new();
        for n in 0..30 {
            let gap = "政".repeat(n);
            let half = "府".repeat(n / 2);
            for t in [
                format!("收到{gap}申请5件"),
                format!("受理{half}申请{half}7件"),
                format!("接收申请{gap}3件"),
                format!("行政复议{gap}2件"),
                format!("诉讼{gap}1起"),
                format!("结转{gap}4条"),
                format!("办理{gap}申请{half}申请 6 份"),
            ] {
                texts.push(t);
            }
        }
        for text in &texts {
            let mut got: [Vec<(usize, usize)>; 4] = Default::default();
            find_mentions(text, &starts(text).triggers, |kind, digits| got[kind as usize].push(digits));
            for kind in MentionKind::ALL {
                assert_eq!(got[kind as usize], groups(kind, text), "{kind:?} in {text:?}");
            }
        }
    }

    #[test]
    fn request_gap_is_the_class() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("{c}申请");
            let stop = matches!(c, '。' | '；' | ';' | '，' | ',' | '：' | ':') || digit(c) || line_break(c);
            assert_eq!(request_gap(s.as_bytes(), 0), (!stop).then_some(c.len_utf8()), "{c:?}");
        }
        assert_eq!(request_gap(b"", 0), None);
    }

    #[test]
    fn numeric_is_is_numeric() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    /// Every non-empty prefix of a match of any [`pattern`], at the end of a
    /// line: the four patterns with each part after the first character made
    /// optional.
    fn open_end() -> &'static Regex {
        static OPEN: OnceLock<Regex> = OnceLock::new();
        re(
            &OPEN,
            concat!(
                r"(?:收|受|办|接|处",
                r"|(?:收到|受理|办理|接收|处理|办结)[^。；;，,：:0-9０-９]{0,24}(?:申(?:请[^。；;，,0-9０-９（(]{0,12}(?:[0-9０-９]+\s*(?:件|条|个|宗|次|份)?)?)?)?",
                r"|行(?:政(?:复(?:议[^。；;，,、0-9０-９和及与]{0,6}(?:[0-9０-９]+\s*(?:件|次|起|宗)?)?)?)?)?",
                r"|(?:行政)?诉(?:讼[^。；;，,、0-9０-９和及与]{0,6}(?:[0-9０-９]+\s*(?:件|次|起|宗)?)?)?",
                r"|结(?:转[^。；;，,0-9０-９]{0,10}(?:[0-9０-９]+\s*(?:件|条)?)?)?",
                r")\z"
            ),
        )
    }

    /// [`is_open`] as it was: the regex, from the earliest first character of
    /// a keyword in the window.
    fn is_open_by_regex(line: &str) -> bool {
        let Some(last) = line.chars().next_back() else { return false };
        if matches!(last, '。' | '；' | ';' | '，' | ',') {
            return false;
        }
        let mut rest = line.strip_suffix(|c: char| UNITS.contains(&c)).unwrap_or(line);
        rest = rest.trim_end();
        rest = rest.trim_end_matches(numeric);
        let window = rest.char_indices().rev().take(KEYWORD_AND_GAPS);
        let begins = |&(at, c): &(usize, char)| {
            starts_pattern(c)
                && matches!(
                    (c, line[at + c.len_utf8()..].chars().next()),
                    (_, None)
                        | ('收', Some('到'))
                        | ('受', Some('理'))
                        | ('办', Some('理' | '结'))
                        | ('接', Some('收'))
                        | ('处', Some('理'))
                        | ('行', Some('政'))
                        | ('诉', Some('讼'))
                        | ('结', Some('转'))
                )
        };
        let Some((at, _)) = window.filter(begins).last() else { return false };
        open_end().is_match(&line[at..])
    }

    /// The hand-written [`is_open`] equals the regex, from the window and
    /// over the whole line, on random lines of the patterns' pieces and on
    /// gaps at their bounds.
    #[test]
    fn is_open_is_the_prefix_regex() {
        let pieces: Vec<&str> = "收|到|受|理|办|结|接|处|行|政|复|议|诉|讼|转|申|请|申请|收到|行政|件|条|个|宗|次|份|起|项|12|3|０|９|①|٣|。|；|;|，|,|：|:|、|和|及|与|（|(| |\u{3000}|\t|\r|\n|\r\n|𠮷|信息|a|政府|执行"
            .split('|')
            .collect();
        let mut next = crate::text::xorshift(0x09e7_1a5e_0000_0042u64);
        let mut lines: Vec<String> = samples(3000);
        for _ in 0..30_000 {
            lines.push((0..next() % 24).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect());
        }
        for n in 0..30 {
            let gap = "政".repeat(n);
            for head in ["收到", "办理申请", "行政复议", "诉讼", "结转", "受理情况申请"] {
                for tail in ["", "3", "3 件", "申", "申请", "申请信息", "申请12", "申请12件"] {
                    lines.push(format!("{head}{gap}{tail}"));
                    lines.push(format!("已{head}{gap}{tail}"));
                }
            }
        }
        let mut open = 0;
        for line in &lines {
            let want = is_open_by_regex(line);
            assert_eq!(is_open(line), want, "{line:?}");
            assert!(!want || may_be_open(line, !starts(line).triggers.is_empty()), "{line:?}");
            assert_eq!(open_end().is_match(line), want, "{line:?}");
            open += usize::from(want);
        }
        assert!(open > 3000, "only {open} open lines");
    }

    #[test]
    fn open_ends() {
        for s in ["今年收到", "受理政府信息公开申请", "行政", "诉讼12", "结转 3 ", "行政复议1件", "结转下年"]
        {
            assert!(is_open(s), "{s:?}");
        }
        for s in ["", "全年收到申请12件。", "诉讼，", "12件", "信息公开。"] {
            assert!(!is_open(s), "{s:?}");
        }
    }

    /// The placeholders as the rule used to find them, line by line.
    fn placeholders_reference(line: &str) -> Vec<(PlaceholderKind, TextRange)> {
        let mask = Regex::new(r"\*{2,}|[XＸ]{2,}|×{2,}|某某").expect("regex");
        let empty = Regex::new(r"(?:信息|申请|公开|发布|收到|办理|受理|共|计)([ \u{3000}]{2,})(?:条|件|篇|个|次|项)")
            .expect("regex");
        let mut out = Vec::new();
        for m in mask.find_iter(line) {
            let bold = m.as_str() == "**" && (line[m.end()..].contains("**") || line[..m.start()].contains("**"));
            let ascii_word = m.as_str().starts_with('X')
                && (line[..m.start()].ends_with(|c: char| c.is_ascii_alphanumeric())
                    || line[m.end()..].starts_with(|c: char| c.is_ascii_alphanumeric()));
            if !bold && !ascii_word {
                out.push((PlaceholderKind::Mask, TextRange::new(m.start(), m.end())));
            }
        }
        for c in empty.captures_iter(line) {
            let g = c.get(1).expect("group");
            out.push((PlaceholderKind::MissingNumber, TextRange::new(g.start(), g.end())));
        }
        out.sort_by_key(|p| p.1.start);
        out
    }

    #[test]
    fn placeholder_runs_are_the_patterns_matches() {
        let mask = Regex::new(r"\*{2,}|[XＸ]{2,}|×{2,}|某某").expect("regex");
        let blank = Regex::new(r"[ \u{3000}]{2,}").expect("regex");
        let parts = [
            "*", "X", "Ｘ", "×", "某", " ", "\u{3000}", "a", "信息", "\n", "\r\n", "\r", "𠮷", "**", "  ", "３", "。",
            "，",
        ];
        let mut next = crate::text::xorshift(0x0bad_5eed_1234_5678u64);
        let mut runs = 0;
        for k in 0..6000 {
            // Some long enough for the vector searches.
            let n = if k % 8 == 0 { next() % 400 } else { next() % 16 };
            let s: String = (0..n).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let want = |re: &Regex| re.find_iter(&s).map(|m| (m.start(), m.end())).collect::<Vec<_>>();
            let (masks, blanks) = placeholder_runs(&s, &starts(&s).wide);
            assert_eq!(masks, want(&mask), "{s:?}");
            assert_eq!(blanks, want(&blank), "{s:?}");
            runs += masks.len() + blanks.len();
        }
        assert!(runs > 5000, "{runs}");
    }

    #[test]
    fn placeholders_found_in_the_whole_text_are_those_of_each_line() {
        let lines = samples(600);
        let text = lines.join("\n");
        let report = crate::report::parse(&text);
        let facts = scan(&text, &report, 0, report.lines.len());
        let mut want = Vec::new();
        for line in &report.lines {
            let s = line.range.slice(&text);
            want.extend(placeholders_reference(s).into_iter().map(|(k, r)| (k, r.shift(line.range.start))));
        }
        let got: Vec<(PlaceholderKind, TextRange)> = facts.placeholders.iter().map(|p| (p.kind, p.range)).collect();
        assert_eq!(got, want);
        assert!(want.len() > 50, "only {} placeholders", want.len());
    }
}
