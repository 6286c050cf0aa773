//! `LineIndex`: line breaks as LSP defines them, columns in UTF-8, UTF-16 and
//! UTF-32 units, clamping, and round trips over every character boundary.

use nianbao::text::{LineCol, LineIndex, PositionEncoding, TextRange};

use PositionEncoding::{Utf16, Utf32, Utf8};

const ENCODINGS: [PositionEncoding; 3] = [Utf8, Utf16, Utf32];

fn lc(line: u32, col: u32) -> LineCol {
    LineCol { line, col }
}

/// Every line's content, as the index sees it.
fn lines(text: &str) -> Vec<&str> {
    let idx = LineIndex::new(text);
    (0..idx.line_count()).map(|l| idx.line_range(l).unwrap().slice(text)).collect()
}

#[test]
fn empty_text_has_one_empty_line() {
    let idx = LineIndex::new("");
    assert_eq!(idx.line_count(), 1);
    assert_eq!(idx.line_range(0), Some(TextRange::new(0, 0)));
    assert_eq!(idx.line_range(1), None);
    for enc in ENCODINGS {
        assert_eq!(idx.line_col("", 0, enc), lc(0, 0));
        assert_eq!(idx.line_col("", 10, enc), lc(0, 0));
        assert_eq!(idx.offset("", lc(0, 5), enc), 0);
        assert_eq!(idx.offset("", lc(3, 0), enc), 0);
    }
}

#[test]
fn line_breaks_lf_crlf_lone_cr() {
    assert_eq!(lines("a\nb"), ["a", "b"]);
    assert_eq!(lines("a\r\nb"), ["a", "b"]);
    assert_eq!(lines("a\rb"), ["a", "b"]);
    // Mixed, with an empty line made of a lone CR followed by CRLF.
    assert_eq!(lines("一\r\r\n二\n\r三"), ["一", "", "二", "", "三"]);
    // `\n\r` is two breaks, not one.
    assert_eq!(lines("a\n\rb"), ["a", "", "b"]);
}

#[test]
fn trailing_newline_gives_an_empty_last_line() {
    let text = "总计\r\n";
    let idx = LineIndex::new(text);
    assert_eq!(idx.line_count(), 2);
    assert_eq!(idx.line_range(1), Some(TextRange::new(text.len(), text.len())));
    assert_eq!(idx.line_start(1), Some(text.len()));
    assert_eq!(idx.line_col(text, text.len(), Utf16), lc(1, 0));

    let no_newline = "总计";
    let idx = LineIndex::new(no_newline);
    assert_eq!(idx.line_count(), 1);
    assert_eq!(idx.line_col(no_newline, no_newline.len(), Utf16), lc(0, 2));
    assert_eq!(idx.line_col(no_newline, no_newline.len(), Utf8), lc(0, 6));
}

#[test]
fn other_unicode_breaks_are_ordinary_characters() {
    // U+2028, NEL, VT and FF: no client counts them as line breaks.
    let text = "a\u{2028}b\u{85}c\u{0B}d\u{0C}e";
    let idx = LineIndex::new(text);
    assert_eq!(idx.line_count(), 1);
    let e = text.find('e').unwrap();
    assert_eq!(idx.line_col(text, e, Utf32), lc(0, 8));
    assert_eq!(idx.line_col(text, e, Utf16), lc(0, 8));
}

#[test]
fn cjk_and_full_width_punctuation() {
    // Every character here is 3 bytes and one UTF-16 unit; 124 follows 9 of them.
    let text = "一、总体情况\n（一）主动公开，共124条。";
    let idx = LineIndex::new(text);
    let at = text.find("124").unwrap();
    assert_eq!(idx.line_col(text, at, Utf8), lc(1, 9 * 3));
    assert_eq!(idx.line_col(text, at, Utf16), lc(1, 9));
    assert_eq!(idx.line_col(text, at, Utf32), lc(1, 9));
    for enc in ENCODINGS {
        let pos = idx.line_col(text, at, enc);
        assert_eq!(idx.offset(text, pos, enc), at);
    }
}

#[test]
fn astral_character_is_4_bytes_2_utf16_units_1_char() {
    let text = "𠮷野家\n𠮷";
    let idx = LineIndex::new(text);
    let ye = text.find('野').unwrap();
    assert_eq!(ye, 4);
    assert_eq!(idx.line_col(text, ye, Utf8), lc(0, 4));
    assert_eq!(idx.line_col(text, ye, Utf16), lc(0, 2));
    assert_eq!(idx.line_col(text, ye, Utf32), lc(0, 1));
    let end = text.len();
    assert_eq!(idx.line_col(text, end, Utf16), lc(1, 2));
    assert_eq!(idx.line_col(text, end, Utf32), lc(1, 1));
}

#[test]
fn offsets_inside_a_character_floor_to_its_start() {
    let text = "a𠮷b";
    let idx = LineIndex::new(text);
    for inside in 2..5 {
        assert_eq!(idx.line_col(text, inside, Utf16), lc(0, 1), "offset {inside}");
    }
    // Column 2 in UTF-16 is between the two surrogates of 𠮷.
    assert_eq!(idx.offset(text, lc(0, 2), Utf16), 1);
    assert_eq!(idx.offset(text, lc(0, 3), Utf16), 5);
    // Byte columns inside 𠮷 and inside a CJK character.
    assert_eq!(idx.offset(text, lc(0, 3), Utf8), 1);
    let cjk = "年度";
    let idx = LineIndex::new(cjk);
    assert_eq!(idx.offset(cjk, lc(0, 4), Utf8), 3);
}

#[test]
fn clamping_past_the_end() {
    let text = "一二\r\n三\r\n";
    let idx = LineIndex::new(text);
    for enc in ENCODINGS {
        // Column past the end of a line: the line's end, before its terminator.
        assert_eq!(idx.offset(text, lc(0, 99), enc), 6);
        assert_eq!(idx.offset(text, lc(1, 99), enc), 11);
        // Line past the end: the end of the text.
        assert_eq!(idx.offset(text, lc(7, 0), enc), text.len());
        // Offset past the end: the last position.
        assert_eq!(idx.line_col(text, 1000, enc), lc(2, 0));
    }
    // Offset on the `\n` of a CRLF stays on the line the pair ends.
    assert_eq!(idx.line_col(text, 7, Utf32), lc(0, 3));
}

#[test]
fn round_trip_every_char_boundary() {
    let text = "2024年政府信息公开工作年度报告\r\n\
                （一）主动公开\t124\t𠮷\r\
                | 自然人 | 5 |\n\
                \n\
                a\u{2028}b\u{e9}，。\r\n\
                𠮷𠮷";
    let idx = LineIndex::new(text);
    for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
        for enc in ENCODINGS {
            let pos = idx.line_col(text, offset, enc);
            let back = idx.offset(text, pos, enc);
            // A position on a terminator byte maps back to the line's end.
            let line_end = idx.line_range(pos.line as usize).unwrap().end;
            assert_eq!(back, offset.min(line_end), "offset {offset} {enc:?} {pos:?}");
            if back == offset {
                assert_eq!(idx.line_col(text, back, enc), pos);
            }
        }
    }
}

#[test]
fn columns_agree_with_std_counting() {
    let text = "甲\t𠮷乙\u{e9}x\r\n丙𠮷𠮷，丁\ry";
    let idx = LineIndex::new(text);
    for (offset, _) in text.char_indices() {
        let line = idx.line_of(offset);
        let before = &text[idx.line_start(line).unwrap()..offset];
        assert_eq!(idx.line_col(text, offset, Utf8).col as usize, before.len());
        assert_eq!(idx.line_col(text, offset, Utf16).col as usize, before.encode_utf16().count());
        assert_eq!(idx.line_col(text, offset, Utf32).col as usize, before.chars().count());
    }
}

#[test]
fn ascii_fast_path_matches() {
    let text = "abc\r\nde\rf\n";
    let idx = LineIndex::new(text);
    assert_eq!(lines(text), ["abc", "de", "f", ""]);
    for enc in ENCODINGS {
        assert_eq!(idx.line_col(text, 6, enc), lc(1, 1));
        assert_eq!(idx.offset(text, lc(1, 1), enc), 6);
        assert_eq!(idx.offset(text, lc(1, 10), enc), 7);
    }
}

proptest::proptest! {
    /// Any mix of ASCII, CJK, astral characters and the three line breaks:
    /// columns agree with std's counting and offsets round-trip.
    #[test]
    fn round_trip_random_text(parts in proptest::collection::vec(
        proptest::sample::select(vec!["a", "1", "\t", "年", "，", "𠮷", "\u{e9}", "\n", "\r\n", "\r", "\u{2028}"]),
        0..40,
    )) {
        let text: String = parts.concat();
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line = idx.line_of(offset);
            let range = idx.line_range(line).unwrap();
            for enc in ENCODINGS {
                let pos = idx.line_col(&text, offset, enc);
                proptest::prop_assert_eq!(pos.line as usize, line);
                proptest::prop_assert_eq!(idx.offset(&text, pos, enc), offset.min(range.end));
            }
        }
    }
}

mod splice {
    use nianbao::text::{Splice, TextRange};

    fn apply(text: &mut String, start: usize, end: usize, ins: &str) {
        text.replace_range(start..end, ins);
    }

    /// Composing edits one by one gives a splice whose regions, cut out of the
    /// base and the current text, leave the same prefix and suffix.
    #[test]
    fn composed_splice_describes_the_change() {
        let base = "一二三四五六七八九十abcdefghij".to_string();
        let edits: &[(usize, usize, &str)] =
            &[(3, 6, ""), (20, 22, "𠮷𠮷"), (0, 0, "xy"), (10, 30, "中"), (2, 2, "\r\n"), (5, 9, "")];
        let mut now = base.clone();
        let mut splice: Option<Splice> = None;
        for &(s, e, ins) in edits {
            let (s, e) = (s.min(now.len()), e.min(now.len()));
            let (s, e) = (floor(&now, s), floor(&now, e));
            apply(&mut now, s, e, ins);
            let r = TextRange::new(s, e);
            splice = Some(match splice {
                None => Splice::edit(r, ins.len()),
                Some(sp) => sp.then(r, ins.len()),
            });
            let sp = splice.unwrap();
            assert_eq!(base[..sp.start], now[..sp.start]);
            assert_eq!(base[sp.old_end..], now[sp.new_end..]);
            assert_eq!(sp.delta(), now.len() as isize - base.len() as isize);
        }
    }

    fn floor(s: &str, mut i: usize) -> usize {
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
