//! File decoding and encoding: every accepted encoding gives the same text,
//! binary files are refused with a reason, line ends survive, and encode is
//! the inverse of decode.

use std::fs;

use nianbao::cli::encoding::{decode, encode, read_limited, read_text, Enc, MAX_FILE_SIZE};

const ALL: [Enc; 5] = [Enc::Utf8, Enc::Utf8Bom, Enc::Utf16Le, Enc::Utf16Be, Enc::Gb18030];

fn seed() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cli/seed_bad_total.txt")).unwrap()
}

#[test]
fn same_report_in_every_encoding_decodes_to_the_same_text() {
    let text = seed();
    for enc in ALL {
        let bytes = encode(&text, enc);
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{enc:?}: {e}"));
        assert_eq!(decoded.encoding, enc);
        assert_eq!(decoded.text, text, "{enc:?}");
    }
}

#[test]
fn encodings_are_what_they_say() {
    let text = "年度报告\r\n";
    assert_eq!(encode(text, Enc::Utf8), text.as_bytes());
    assert_eq!(&encode(text, Enc::Utf8Bom)[..3], b"\xEF\xBB\xBF");
    assert_eq!(&encode(text, Enc::Utf16Le)[..4], b"\xFF\xFE\x74\x5E"); // 年 = U+5E74
    assert_eq!(&encode(text, Enc::Utf16Be)[..4], b"\xFE\xFF\x5E\x74");
    assert_eq!(&encode(text, Enc::Gb18030)[..2], b"\xC4\xEA"); // 年 in GBK
}

#[test]
fn gb18030_only_when_not_utf8() {
    // Valid UTF-8 wins, even if it would also be valid GB18030.
    assert_eq!(decode("报告".as_bytes()).unwrap().encoding, Enc::Utf8);
    // GBK bytes of 报告 are not UTF-8.
    let d = decode(b"\xB1\xA8\xB8\xE6").unwrap();
    assert_eq!((d.text.as_str(), d.encoding), ("报告", Enc::Gb18030));
    // A 4-byte GB18030 sequence: 𠮷 (outside GBK).
    let bytes = encode("𠮷", Enc::Gb18030);
    assert_eq!(bytes.len(), 4);
    assert_eq!(decode(&bytes).unwrap().text, "𠮷");
}

#[test]
fn binary_is_refused_with_a_reason() {
    let mut bytes = seed().into_bytes();
    bytes.insert(1234, 0);
    let err = decode(&bytes).unwrap_err().to_string();
    assert!(err.contains("binary file (NUL byte at offset 1234"), "{err}");

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(decode(png).unwrap_err().to_string().starts_with("binary file"));

    let garbage = b"abc\xFF\xFE\xFD";
    let err = decode(garbage).unwrap_err().to_string();
    assert!(err.starts_with("not valid UTF-8, UTF-16 or GB18030 text"), "{err}");

    // UTF-16 without a BOM looks like binary, and the message says why.
    let no_bom: Vec<u8> = "报告".encode_utf16().flat_map(|u| u.to_le_bytes()).chain(*b"a\0").collect();
    let err = decode(&no_bom).unwrap_err().to_string();
    assert!(err.contains("byte-order mark"), "{err}");

    assert!(decode(b"\xFE\xFF\xD8\x00").is_err(), "lone high surrogate");
    assert!(decode(b"\xEF\xBB\xBF\xFF").is_err(), "invalid UTF-8 after BOM");
}

#[test]
fn line_ends_are_preserved() {
    let text = "一\r\n二\r三\n\r\n";
    for enc in ALL {
        assert_eq!(decode(&encode(text, enc)).unwrap().text, text, "{enc:?}");
    }
}

#[test]
fn empty_and_bom_only_files() {
    assert_eq!(decode(b"").unwrap().text, "");
    assert_eq!(decode(b"").unwrap().encoding, Enc::Utf8);
    assert_eq!(decode(b"\xEF\xBB\xBF").unwrap().encoding, Enc::Utf8Bom);
    assert_eq!(decode(b"\xFF\xFE").unwrap().encoding, Enc::Utf16Le);
    for enc in ALL {
        let expected = match enc {
            // Empty (or all-ASCII) GB18030 is indistinguishable from UTF-8,
            // and writes back identically as UTF-8.
            Enc::Gb18030 => Enc::Utf8,
            _ => enc,
        };
        assert_eq!(decode(&encode("", enc)).unwrap().encoding, expected);
    }
}

#[test]
fn bytes_round_trip_exactly_for_ordinary_files() {
    let text = seed().replace('\n', "\r\n");
    for enc in ALL {
        let bytes = encode(&text, enc);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(encode(&decoded.text, decoded.encoding), bytes, "{enc:?}");
    }
}

#[test]
fn gb18030_bytes_that_do_not_round_trip_are_detectable() {
    // encoding_rs reads a lone 0x80 as €, which it writes back as A2 E3: the
    // `fix` command must notice that and refuse to write.
    let bytes = b"\x80\xB1\xA8";
    let decoded = decode(bytes).unwrap();
    assert_eq!(decoded.text, "€报");
    assert_ne!(encode(&decoded.text, decoded.encoding), bytes);
}

#[test]
fn files_over_the_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    // Sparse: no disk space is used, and nothing is read.
    let f = fs::File::create(&path).unwrap();
    f.set_len(MAX_FILE_SIZE + 1).unwrap();
    let err = read_limited(&path).unwrap_err();
    assert!(err.starts_with("file too large ("), "{err}");
    assert!(err.contains("the limit is 64 MiB"), "{err}");

    let ok = dir.path().join("ok.txt");
    fs::write(&ok, encode("报告", Enc::Utf16Be)).unwrap();
    let (bytes, decoded) = read_text(&ok).unwrap();
    assert_eq!(bytes.len(), 6);
    assert_eq!(decoded.text, "报告");

    let err = read_limited(dir.path()).unwrap_err();
    assert_eq!(err, "is a directory");
}
