//! A supplier's price list as rows of text cells: CSV (comma or semicolon, UTF-8 —
//! or Windows-1250, as Czech Excel saves CSV) or XLSX (its first sheet). A row whose
//! bytes are not text in the file's encoding is kept as unreadable, with its line,
//! so the report can name it; the other rows go on.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// One row of the file: its line (1 = the header), and its cells or why they
/// cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// Line in the file (CSV records; XLSX rows), 1-based.
    pub line: usize,
    /// The cells, trimmed; `Err`: the row is not text (broken encoding).
    pub cells: Result<Vec<String>, String>,
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Neither CSV nor XLSX.
    #[error("the file is neither CSV nor XLSX ({0})")]
    Format(String),
    /// Empty, or only a header.
    #[error("the file has no rows")]
    Empty,
}

/// Which reader a file needs, from its name and first bytes (XLSX is a ZIP).
pub fn is_xlsx(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".xlsx")
}

/// The rows of a CSV file. The delimiter is whichever of `;` `,` and tab the
/// header has most of. The encoding is UTF-8 unless no row with non-ASCII bytes is
/// valid UTF-8 (then the file is Windows-1250); in a UTF-8 file, a row that is not
/// UTF-8 is unreadable.
pub fn csv_rows(bytes: &[u8]) -> Result<Vec<RawRow>, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header_end = bytes
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len());
    let header = &bytes[..header_end];
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    // The line each record starts on, counted in the bytes as we go (the reader's
    // own count skips empty lines).
    let (mut counted_to, mut line) = (0usize, 1usize);
    for (i, record) in reader.byte_records().enumerate() {
        match record {
            Ok(r) => {
                let mut at = r
                    .position()
                    .map_or(counted_to, |p| {
                        usize::try_from(p.byte()).unwrap_or(counted_to)
                    })
                    .clamp(counted_to, bytes.len());
                while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                    at += 1;
                }
                line += bytes[counted_to..at]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted_to = at;
                records.push((line, r));
            }
            Err(err) => return Err(FileError::Format(format!("record {}: {err}", i + 1))),
        }
    }
    let non_ascii: Vec<bool> = records
        .iter()
        .filter(|(_, r)| r.iter().any(|f| !f.is_ascii()))
        .map(|(_, r)| r.iter().all(|f| std::str::from_utf8(f).is_ok()))
        .collect();
    let cp1250 = !non_ascii.is_empty() && non_ascii.iter().all(|utf8| !utf8);
    let rows: Vec<RawRow> = records
        .into_iter()
        .map(|(line, record)| {
            let cells: Result<Vec<String>, String> = record
                .iter()
                .map(|field| {
                    if cp1250 {
                        let (text, _, _) = encoding_rs::WINDOWS_1250.decode(field);
                        Ok(text.trim().to_owned())
                    } else {
                        std::str::from_utf8(field)
                            .map(|t| t.trim().to_owned())
                            .map_err(|_| "not valid UTF-8 text".to_owned())
                    }
                })
                .collect();
            RawRow { line, cells }
        })
        .filter(|r| !matches!(&r.cells, Ok(c) if c.iter().all(String::is_empty)))
        .collect();
    if rows.len() < 2 {
        return Err(FileError::Empty);
    }
    Ok(rows)
}

/// The rows of an XLSX file's first sheet (numbers as they would be typed: `1290.5`).
pub fn xlsx_rows(bytes: &[u8]) -> Result<Vec<RawRow>, FileError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Format(e.to_string()))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| FileError::Format("the workbook has no sheet".into()))?
        .map_err(|e| FileError::Format(e.to_string()))?;
    let start = sheet.start().map_or(0, |(row, _)| row as usize);
    let rows: Vec<RawRow> = sheet
        .rows()
        .enumerate()
        .map(|(i, cells)| RawRow {
            line: start + i + 1,
            cells: Ok(cells.iter().map(cell_text).collect()),
        })
        .filter(|r| !matches!(&r.cells, Ok(c) if c.iter().all(String::is_empty)))
        .collect();
    if rows.len() < 2 {
        return Err(FileError::Empty);
    }
    Ok(rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => other.to_string().trim().to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_finds_its_delimiter_and_keeps_broken_rows_apart() {
        let mut file = b"kod;nazev;cena\nA1;Obruba \xC5\xA0kodov\xC3\xA1;1 290,50\n".to_vec();
        file.extend_from_slice(b"A2;Broken \xff name;100\n\nA3;Plain;5\n");
        let rows = csv_rows(&file).unwrap();
        assert_eq!(rows.len(), 4, "the empty line is skipped");
        assert_eq!(
            rows[1].cells,
            Ok(vec![
                "A1".into(),
                "Obruba Škodová".into(),
                "1 290,50".into()
            ])
        );
        assert_eq!(rows[2].line, 3);
        assert!(rows[2].cells.is_err());
        assert_eq!(rows[3].line, 5);
    }

    #[test]
    fn a_windows_1250_csv_is_read_as_such() {
        // "Obruba Šedá" in Windows-1250: Š = 0x8A, á = 0xE1.
        let file = b"sku,name,price\nB1,Obruba \x8Aed\xE1,990\n";
        let rows = csv_rows(file).unwrap();
        assert_eq!(
            rows[1].cells,
            Ok(vec!["B1".into(), "Obruba Šedá".into(), "990".into()])
        );
    }

    #[test]
    fn a_file_without_rows_or_of_another_format_is_refused() {
        assert_eq!(csv_rows(b"sku,name\n"), Err(FileError::Empty));
        assert!(matches!(
            xlsx_rows(b"PK\x03\x04garbage"),
            Err(FileError::Format(_))
        ));
        assert!(is_xlsx("cenik.XLSX", b""));
        assert!(!is_xlsx("cenik.csv", b"sku"));
    }
}
