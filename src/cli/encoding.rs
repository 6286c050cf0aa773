//! Files on disk → text, and back, without changing a byte we did not mean to.
//!
//! Accepted (product-spec §2): UTF-8 with or without BOM, UTF-16LE/BE with a
//! BOM (Word's "Unicode text"), and GB18030 (what Chinese Windows writes) when
//! the bytes are not valid UTF-8. Line ends are left exactly as they are. A
//! NUL byte outside UTF-16, or bytes that are none of these encodings, make
//! the file "binary": an error that says why, never a lossy decode.
//!
//! This module does not decide whether writing back is safe; `fix` does that
//! by checking that the original bytes re-encode to exactly themselves.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// Files larger than this are refused before they are read: a report is a few
/// tens of kilobytes, the largest real ones a few megabytes, and the CLI holds
/// a file's bytes, its text and their analysis in memory at once (about six
/// times the file, on each of the cores checking files). 64 MiB leaves room
/// for generated test documents and bounds a run's memory near 400 MiB per
/// core (SECURITY.md).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// The encoding a file was read in, and will be written back in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Enc {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "UTF-8",
            Enc::Utf8Bom => "UTF-8 with BOM",
            Enc::Utf16Le => "UTF-16LE",
            Enc::Utf16Be => "UTF-16BE",
            Enc::Gb18030 => "GB18030",
        }
    }
}

impl fmt::Display for Enc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file's text (BOM removed) and the encoding it came in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Enc,
}

/// Why bytes are not text we accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte in a file without a UTF-16 BOM (or a NUL character in one).
    Binary { offset: usize },
    /// A UTF-16 BOM followed by an odd number of bytes or a lone surrogate.
    BadUtf16 { enc: Enc },
    /// A UTF-8 BOM followed by invalid UTF-8.
    BadUtf8AfterBom { offset: usize },
    /// Neither UTF-8 (first bad byte at `offset`) nor GB18030.
    NotText { offset: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary { offset } => write!(
                f,
                "binary file (NUL byte at offset {offset}; UTF-16 text needs a byte-order mark)"
            ),
            DecodeError::BadUtf16 { enc } => write!(
                f,
                "invalid {enc} text after its byte-order mark (odd length or unpaired surrogate)"
            ),
            DecodeError::BadUtf8AfterBom { offset } => write!(
                f,
                "invalid UTF-8 after a UTF-8 byte-order mark (at byte offset {offset})"
            ),
            DecodeError::NotText { offset } => write!(
                f,
                "not valid UTF-8, UTF-16 or GB18030 text (invalid UTF-8 at byte offset {offset}, and not GB18030 either)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a file's bytes; see the module doc for what is accepted.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] of bytes the caller gives up: UTF-8 text (with or without its
/// BOM) becomes the `String` in place, without a copy.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        if let Err(e) = simdutf8::compat::from_utf8(rest) {
            return Err(DecodeError::BadUtf8AfterBom { offset: UTF8_BOM.len() + e.valid_up_to() });
        }
        bytes.drain(..UTF8_BOM.len());
        return checked(valid_utf8(bytes), Enc::Utf8Bom, UTF8_BOM.len());
    }
    // UTF-16LE's BOM FF FE is also how a UTF-32LE BOM starts; UTF-32 files
    // then fail as binary on their NUL characters, which is what we want.
    for (bom, enc, encoding) in [(UTF16LE_BOM, Enc::Utf16Le, UTF_16LE), (UTF16BE_BOM, Enc::Utf16Be, UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .ok_or(DecodeError::BadUtf16 { enc })?;
            return checked(text.into_owned(), enc, bom.len());
        }
    }
    if let Some(offset) = find_nul(&bytes) {
        return Err(DecodeError::Binary { offset });
    }
    match simdutf8::compat::from_utf8(&bytes) {
        Ok(_) => Ok(Decoded { text: valid_utf8(bytes), encoding: Enc::Utf8 }),
        Err(e) => match GB18030.decode_without_bom_handling_and_without_replacement(&bytes) {
            Some(text) => Ok(Decoded { text: text.into_owned(), encoding: Enc::Gb18030 }),
            None => Err(DecodeError::NotText { offset: e.valid_up_to() }),
        },
    }
}

/// The `String` of bytes `simdutf8` has just validated as UTF-8, in place.
fn valid_utf8(bytes: Vec<u8>) -> String {
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    // SAFETY: every caller validated exactly these bytes as UTF-8 (a UTF-8
    // BOM removed from their front leaves them valid), and std's check
    // again would cost more than the rest of decoding.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// The first NUL byte (`memchr`'s vector search: a quarter of the
/// instructions of a 64-byte loop the compiler vectorised for SSE2).
fn find_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Rejects decoded text containing NUL (a binary file that happens to start
/// with a BOM). The reported offset is approximate for UTF-16 (in bytes of the
/// decoded text plus the BOM), which is enough to say why.
fn checked(text: String, encoding: Enc, bom_len: usize) -> Result<Decoded, DecodeError> {
    if let Some(at) = text.find('\0') {
        let offset = match encoding {
            Enc::Utf16Le | Enc::Utf16Be => bom_len + 2 * text[..at].encode_utf16().count(),
            _ => bom_len + at,
        };
        return Err(DecodeError::Binary { offset });
    }
    Ok(Decoded { text, encoding })
}

/// Encodes `text` in `enc`, re-adding the BOM where the encoding has one.
pub fn encode(text: &str, enc: Enc) -> Vec<u8> {
    match enc {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Utf8Bom => [UTF8_BOM, text.as_bytes()].concat(),
        Enc::Utf16Le => utf16(text, UTF16LE_BOM, u16::to_le_bytes),
        Enc::Utf16Be => utf16(text, UTF16BE_BOM, u16::to_be_bytes),
        // GB18030 can encode every Unicode scalar value, so this never
        // substitutes anything.
        Enc::Gb18030 => GB18030.encode(text).0.into_owned(),
    }
}

fn utf16(text: &str, bom: &[u8], to_bytes: fn(u16) -> [u8; 2]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bom.len() + 2 * text.len());
    out.extend_from_slice(bom);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&to_bytes(unit));
    }
    out
}

/// Reads a file of at most [`MAX_FILE_SIZE`] bytes. The size is checked
/// before reading, and again while reading in case the file grows.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".to_owned());
    }
    if !meta.is_file() {
        // FIFOs and devices would block or never end.
        return Err("not a regular file".to_owned());
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.by_ref().take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(size: u64) -> String {
    format!(
        "file too large ({} bytes, {:.1} MiB; the limit is {} MiB)",
        size,
        size as f64 / (1024.0 * 1024.0),
        MAX_FILE_SIZE / (1024 * 1024)
    )
}

/// Reads and decodes `path`, for reading only (the bytes are not kept).
pub fn read_decoded(path: &Path) -> Result<Decoded, String> {
    decode_owned(read_limited(path)?).map_err(|e| e.to_string())
}

/// Reads and decodes `path`.
pub fn read_text(path: &Path) -> Result<(Vec<u8>, Decoded), String> {
    let bytes = read_limited(path)?;
    let decoded = decode(&bytes).map_err(|e| e.to_string())?;
    Ok((bytes, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_win_over_content() {
        let d = decode(b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("abc", Enc::Utf8Bom));
        let d = decode(b"\xFF\xFEa\0").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("a", Enc::Utf16Le));
        let d = decode(b"\xFE\xFF\0a").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("a", Enc::Utf16Be));
    }

    #[test]
    fn errors_say_why() {
        assert_eq!(
            decode(b"ab\0c").unwrap_err().to_string(),
            "binary file (NUL byte at offset 2; UTF-16 text needs a byte-order mark)"
        );
        assert!(decode(b"\xFF\xFEa").unwrap_err().to_string().contains("UTF-16LE"));
        // 0xFF is never valid in GB18030 nor UTF-8.
        assert!(decode(b"ok\xFF").unwrap_err().to_string().starts_with("not valid UTF-8, UTF-16 or GB18030 text"));
        // A UTF-16 file that decodes to NUL characters is binary too.
        assert!(matches!(decode(b"\xFF\xFEa\0\0\0"), Err(DecodeError::Binary { offset: 4 })));
    }

    #[test]
    fn nul_bytes_are_found_past_the_first_chunks() {
        let mut long = "报告\t1\n".repeat(40).into_bytes();
        long.push(0);
        assert_eq!(find_nul(&long), Some(long.len() - 1));
        assert_eq!(decode(&long), Err(DecodeError::Binary { offset: long.len() - 1 }));
    }

    /// UTF-8 is validated by `simdutf8`: valid text and the offset an error
    /// names are std's, over random mixes of valid and broken sequences.
    #[test]
    fn utf8_validation_agrees_with_std() {
        let parts: [&[u8]; 10] = [
            b"a",
            "报".as_bytes(),
            "𠮷".as_bytes(),
            b"\xE6\x8A",
            b"\x80",
            b"\xF0\x9F",
            b"\xC3\xA9",
            b"\xED\xA0\x80",
            b"\n",
            &[b'x'; 70],
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        let mut bad = 0;
        for _ in 0..5000 {
            let bytes: Vec<u8> =
                (0..next() % 12).flat_map(|_| parts[(next() % parts.len() as u64) as usize]).copied().collect();
            let ours = simdutf8::compat::from_utf8(&bytes).map_err(|e| e.valid_up_to());
            let std = std::str::from_utf8(&bytes).map_err(|e| e.valid_up_to());
            assert_eq!(ours, std, "{bytes:?}");
            bad += usize::from(std.is_err());
        }
        assert!(bad > 1000 && bad < 4500, "{bad} of 5000 invalid");
    }

    /// How bytes were decoded before they were taken in place, copying the
    /// text: the reference of `owned_decoding_agrees_with_borrowed`.
    fn decode_by_copy(bytes: &[u8]) -> Result<Decoded, DecodeError> {
        if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
            let text = simdutf8::compat::from_utf8(rest)
                .map_err(|e| DecodeError::BadUtf8AfterBom { offset: UTF8_BOM.len() + e.valid_up_to() })?;
            return checked(text.to_owned(), Enc::Utf8Bom, UTF8_BOM.len());
        }
        // UTF-16LE's BOM FF FE is also how a UTF-32LE BOM starts; UTF-32 files
        // then fail as binary on their NUL characters, which is what we want.
        for (bom, enc, encoding) in [(UTF16LE_BOM, Enc::Utf16Le, UTF_16LE), (UTF16BE_BOM, Enc::Utf16Be, UTF_16BE)] {
            if let Some(rest) = bytes.strip_prefix(bom) {
                let text = encoding
                    .decode_without_bom_handling_and_without_replacement(rest)
                    .ok_or(DecodeError::BadUtf16 { enc })?;
                return checked(text.into_owned(), enc, bom.len());
            }
        }
        if let Some(offset) = find_nul(bytes) {
            return Err(DecodeError::Binary { offset });
        }
        match simdutf8::compat::from_utf8(bytes) {
            Ok(text) => Ok(Decoded { text: text.to_owned(), encoding: Enc::Utf8 }),
            Err(e) => match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) => Ok(Decoded { text: text.into_owned(), encoding: Enc::Gb18030 }),
                None => Err(DecodeError::NotText { offset: e.valid_up_to() }),
            },
        }
    }

    /// Decoding in place gives what decoding by copy gave, for every
    /// encoding and error: random mixes with and without BOMs, NULs, broken
    /// UTF-8 and GB18030 text.
    #[test]
    fn owned_decoding_agrees_with_borrowed() {
        let parts: [&[u8]; 12] = [
            b"a",
            "报".as_bytes(),
            "𠮷".as_bytes(),
            b"\xE6\x8A",
            b"\x80",
            b"\xB1\xA8",
            b"\0",
            b"\r\n",
            UTF8_BOM,
            UTF16LE_BOM,
            UTF16BE_BOM,
            &[b'x'; 70],
        ];
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..5000 {
            let bytes: Vec<u8> =
                (0..next() % 10).flat_map(|_| parts[(next() % parts.len() as u64) as usize]).copied().collect();
            let borrowed = decode_by_copy(&bytes);
            seen.insert(match &borrowed {
                Ok(d) => format!("{:?}", d.encoding),
                Err(e) => format!("{:?}", std::mem::discriminant(e)),
            });
            assert_eq!(decode_owned(bytes.clone()), borrowed, "{bytes:?}");
            assert_eq!(decode(&bytes), borrowed, "{bytes:?}");
        }
        // Every encoding and every kind of error came up.
        assert_eq!(seen.len(), 9, "{seen:?}");
    }

    #[test]
    fn too_large_names_size_and_limit() {
        let m = too_large(300 * 1024 * 1024);
        assert_eq!(m, "file too large (314572800 bytes, 300.0 MiB; the limit is 64 MiB)");
    }
}
