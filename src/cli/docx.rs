//! Word (`.docx`) input (product-spec §5): the text of `word/document.xml`,
//! one line per paragraph and one per table row, a row's cells joined by
//! tabs. Diagnostics' ranges refer to that text. Read only: `fix` refuses
//! `.docx`.
//!
//! What becomes text: `w:t` runs, `w:tab` (a tab in a paragraph, a space in
//! a cell, where a tab would split the cell), `w:br`/`w:cr` (a space: a line
//! break inside a paragraph does not end it), `w:noBreakHyphen`. Deleted
//! text (`w:delText`), field codes (`w:instrText`), headers, footers and
//! notes are not part of the report's text. A cell holding several
//! paragraphs joins them with a space; a table nested in a cell adds its
//! text to that cell.

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

/// The largest `word/document.xml` read, uncompressed (a zip bomb stops here).
const MAX_XML: u64 = 256 << 20;

/// The text of the report at `path`: a `.docx` file's document text, any
/// other file decoded (`encoding::read_text`).
pub fn report_text(path: &Path) -> Result<String, String> {
    if crate::cli::check::has_extension(path, "docx") {
        text(&crate::cli::encoding::read_limited(path)?)
    } else {
        crate::cli::encoding::read_decoded(path).map(|decoded| decoded.text)
    }
}

/// The report text of a `.docx` file's bytes, or why there is none.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a Word (.docx) file: {e}"))?;
    let mut entry = zip
        .by_name("word/document.xml")
        .map_err(|_| "not a Word (.docx) file: it has no word/document.xml".to_owned())?;
    let mut xml = Vec::new();
    entry
        .by_ref()
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("cannot unpack word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_XML {
        return Err(format!("word/document.xml unpacks to more than {} MiB", MAX_XML >> 20));
    }
    document_text(&xml)
}

#[derive(Default)]
struct Lines {
    out: String,
    /// The paragraph being read.
    para: String,
    /// Open tables: the cells of each one's current row, and its current cell.
    tables: Vec<(Vec<String>, String)>,
    /// Inside an element whose text is not the report's (`w:delText`…).
    skip: usize,
    /// Inside a `w:t`.
    in_text: bool,
}

impl Lines {
    fn in_cell(&self) -> bool {
        !self.tables.is_empty()
    }

    fn end_paragraph(&mut self) {
        let para = std::mem::take(&mut self.para);
        match self.tables.last_mut() {
            Some((_, cell)) => {
                if !cell.is_empty() && !para.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&para);
            }
            None => {
                self.out.push_str(&para);
                self.out.push('\n');
            }
        }
    }

    fn end_cell(&mut self) {
        if let Some((cells, cell)) = self.tables.last_mut() {
            cells.push(std::mem::take(cell));
        }
    }

    fn end_row(&mut self) {
        let Some((cells, _)) = self.tables.last_mut() else { return };
        let row = std::mem::take(cells).join("\t");
        if self.tables.len() == 1 {
            self.out.push_str(&row);
            self.out.push('\n');
        } else {
            // A nested table's row: text of the enclosing cell.
            let depth = self.tables.len();
            let (_, outer) = &mut self.tables[depth - 2];
            if !outer.is_empty() && !row.is_empty() {
                outer.push(' ');
            }
            outer.push_str(&row.replace('\t', " "));
        }
    }

    fn push_text(&mut self, s: &str) {
        if self.in_cell() {
            // Tabs and line breaks inside a cell would split it or the row.
            self.para.extend(s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }));
        } else {
            self.para.extend(s.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }));
        }
    }
}

/// The report text of a `word/document.xml`.
pub fn document_text(xml: &[u8]) -> Result<String, String> {
    let mut reader = Reader::from_reader(xml);
    let mut lines = Lines::default();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!("word/document.xml is not well-formed XML (at byte {}): {e}", reader.error_position())
        })?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                _ if lines.skip > 0 => {
                    if matches!(e.local_name().as_ref(), b"delText" | b"instrText" | b"del") {
                        lines.skip += 1;
                    }
                }
                b"delText" | b"instrText" | b"del" => lines.skip += 1,
                b"t" => lines.in_text = true,
                b"tbl" => lines.tables.push(Default::default()),
                _ => {}
            },
            Event::Empty(e) if lines.skip == 0 => match e.local_name().as_ref() {
                b"tab" => lines.push_text("\t"),
                b"br" | b"cr" => lines.push_text(" "),
                b"noBreakHyphen" => lines.push_text("-"),
                // An empty paragraph is an empty line.
                b"p" => lines.end_paragraph(),
                b"tc" => lines.end_cell(),
                _ => {}
            },
            Event::Text(t) if lines.in_text && lines.skip == 0 => {
                // References come as their own events (below).
                let s = t.decode().map_err(|e| format!("word/document.xml: {e}"))?;
                lines.push_text(&s);
            }
            Event::GeneralRef(r) if lines.in_text && lines.skip == 0 => {
                // An entity or character reference inside `w:t`.
                let name = r.decode().map_err(|e| format!("word/document.xml: {e}"))?;
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match name.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    lines.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"delText" | b"instrText" | b"del" => lines.skip = lines.skip.saturating_sub(1),
                _ if lines.skip > 0 => {}
                b"t" => lines.in_text = false,
                b"p" => lines.end_paragraph(),
                b"tc" => lines.end_cell(),
                b"tr" => lines.end_row(),
                b"tbl" => {
                    lines.tables.pop();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(lines.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_and_table_rows_become_lines() {
        let xml = doc(concat!(
            "<w:p><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space=\"preserve\">情况 </w:t></w:r></w:p>",
            "<w:p/>",
            "<w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C&amp;D&#x4E00;</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>总计</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p><w:p><w:r><w:t>2</w:t><w:tab/><w:t>3</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p/></w:tc></w:tr>",
            "<w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>",
            "<w:tc><w:p><w:r><w:t>4</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p><w:r><w:delText>删</w:delText><w:instrText>PAGE</w:instrText><w:t>完</w:t></w:r></w:p>",
        ));
        assert_eq!(document_text(xml.as_bytes()).unwrap(), "一、总体情况 \n\nA\tB C&D一\n总计\t1 2 3\t\nx y\t4\n完\n");
    }

    #[test]
    fn broken_input_says_why() {
        assert!(text(b"PK\x03\x04 not really").unwrap_err().starts_with("not a Word (.docx) file: "));
        let err = document_text(doc("<w:p><w:t>a</w:p>").as_bytes()).unwrap_err();
        assert!(err.starts_with("word/document.xml is not well-formed XML (at byte "), "{err}");
    }
}
