//! Importing a supplier's price list (CSV or XLSX): each row checked on its own —
//! SKU, kind, name, price, VAT rate (21, 12 or 0 %), lens attributes against the
//! shared lens options, a SKU twice in the file, a row that is not text — and the
//! valid rows saved together or not at all (`CatalogStore::import_products`), then
//! published to the phones' catalog. The one path of the office's import form
//! (`catalog/upload.rs`) and `fieldcase catalog import`.

pub mod read;
mod run;

pub use run::{ImportFailed, import_file, run_cli};

use std::collections::HashMap;

use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::lens::{Coating, LensDesign, LensIndex};
use fieldcase_shared::{Money, VatRate};
use serde::{Deserialize, Serialize};

use crate::catalog::store::ProductKind;
use read::RawRow;

/// Longest SKU, name and other texts accepted (characters).
const MAX_SKU: usize = 64;
const MAX_TEXT: usize = 200;
/// Most rows one file may have.
pub const MAX_ROWS: usize = 50_000;

/// The columns a price list may have; the header names them (Czech or English, any
/// case, with or without diacritics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Sku,
    Kind,
    Name,
    Brand,
    Model,
    Colour,
    Size,
    Maker,
    Index,
    Design,
    Coatings,
    Price,
    Vat,
    Active,
}

const COLUMNS: [(Column, &[&str]); 14] = [
    (Column::Sku, &["sku", "kod", "code", "katalogovecislo"]),
    (Column::Kind, &["kind", "druh", "typ", "type"]),
    (Column::Name, &["name", "nazev"]),
    (Column::Brand, &["brand", "znacka"]),
    (Column::Model, &["model"]),
    (Column::Colour, &["colour", "color", "barva"]),
    (Column::Size, &["size", "velikost"]),
    (Column::Maker, &["maker", "vyrobce", "manufacturer"]),
    (Column::Index, &["index", "lensindex"]),
    (Column::Design, &["design"]),
    (Column::Coatings, &["coatings", "vrstvy", "upravy"]),
    (Column::Price, &["price", "cena", "cenasdph", "pricegross"]),
    (Column::Vat, &["vat", "dph", "sazbadph", "vatrate"]),
    (Column::Active, &["active", "aktivni", "stav"]),
];

/// A product as a valid row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductInput {
    pub sku: String,
    pub kind: ProductKind,
    pub name: String,
    pub brand: String,
    pub model: String,
    pub colour: String,
    pub size: String,
    pub lens_maker: String,
    /// `1.60`; empty for other kinds.
    pub lens_index: String,
    /// A `LensDesign` code; empty for other kinds.
    pub lens_design: String,
    /// `Coating` codes, comma-separated.
    pub lens_coatings: String,
    pub price: Money,
    pub vat_bp: i64,
    pub active: bool,
    /// Which optional columns the file has: a column it lacks leaves the product's
    /// value as it is (a new product gets the default: a frame, on sale, empty).
    pub given: Given,
}

/// The optional columns a file has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    pub kind: bool,
    pub brand: bool,
    pub model: bool,
    pub colour: bool,
    pub size: bool,
    pub lens_maker: bool,
    pub lens_index: bool,
    pub lens_design: bool,
    pub lens_coatings: bool,
    pub active: bool,
}

/// A refused row: its line in the file, its SKU if it had one, and why (cs, en).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub sku: String,
    pub cs: String,
    pub en: String,
}

/// The file's rows, checked.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Rows read (the header aside).
    pub rows: usize,
    /// The valid rows' products, in file order.
    pub valid: Vec<ProductInput>,
    /// The refused rows, in file order.
    pub refused: Vec<RowProblem>,
}

/// Why a file cannot be imported at all (cs, en).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRefused {
    pub cs: String,
    pub en: String,
}

fn column_of(header: &str) -> Option<Column> {
    let key: String = fold(header)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(c, _)| *c)
}

fn kind_of(text: &str) -> Option<ProductKind> {
    let key: String = fold(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Some(match key.as_str() {
        "frame" | "obruba" | "obrouba" | "ramecek" => ProductKind::Frame,
        "lens" | "cocka" | "brylovacocka" | "skla" | "sklo" => ProductKind::Lens,
        "coating" | "vrstva" | "uprava" => ProductKind::Coating,
        "contactlens" | "contactlenses" | "kontaktnicocka" | "kontaktnicocky" => {
            ProductKind::ContactLens
        }
        "accessory" | "doplnek" | "prislusenstvi" => ProductKind::Accessory,
        "service" | "sluzba" | "prace" => ProductKind::Service,
        _ => return None,
    })
}

fn active_of(text: &str) -> Option<bool> {
    match fold(text).trim() {
        "" | "1" | "ano" | "yes" | "true" | "aktivni" | "active" | "a" | "y" => Some(true),
        "0" | "ne" | "no" | "false" | "stazeno" | "withdrawn" | "n" => Some(false),
        _ => None,
    }
}

/// `21`, `21 %`, `21%`, `0.21` → basis points, if it is a Czech rate.
fn vat_of(text: &str) -> Option<i64> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '%')
        .collect();
    let t = t.replace(',', ".");
    let percent: f64 = t.parse().ok()?;
    let percent = if percent > 0.0 && percent < 1.0 {
        percent * 100.0
    } else {
        percent
    };
    if percent.fract().abs() > 1e-9 || !(0.0..=100.0).contains(&percent) {
        return None;
    }
    VatRate::from_percent(percent as u8).map(|r| i64::from(r.basis_points()))
}

fn bad(line: usize, sku: &str, cs: impl Into<String>, en: impl Into<String>) -> RowProblem {
    RowProblem {
        line,
        sku: sku.to_owned(),
        cs: cs.into(),
        en: en.into(),
    }
}

/// Checks every row of a file (the first row is the header).
pub fn check(rows: Vec<RawRow>) -> Result<Checked, FileRefused> {
    let mut rows = rows.into_iter();
    let header = match rows.next().map(|r| r.cells) {
        Some(Ok(cells)) => cells,
        _ => {
            return Err(FileRefused {
                cs: "První řádek (záhlaví) nelze přečíst.".into(),
                en: "The first row (the header) cannot be read.".into(),
            });
        }
    };
    let mut at: HashMap<Column, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if let Some(column) = column_of(name) {
            at.entry(column).or_insert(i);
        }
    }
    let missing: Vec<&str> = [
        (Column::Sku, "sku"),
        (Column::Name, "name"),
        (Column::Price, "price"),
        (Column::Vat, "vat"),
    ]
    .into_iter()
    .filter(|(c, _)| !at.contains_key(c))
    .map(|(_, n)| n)
    .collect();
    if !missing.is_empty() {
        return Err(FileRefused {
            cs: format!(
                "V záhlaví chybí sloupce: {} (a volitelně kind, brand, model, colour, size, maker, index, design, coatings, active).",
                missing.join(", ")
            ),
            en: format!(
                "The header lacks the columns: {} (and optionally kind, brand, model, colour, size, maker, index, design, coatings, active).",
                missing.join(", ")
            ),
        });
    }
    let has = |c: Column| at.contains_key(&c);
    let given = Given {
        kind: has(Column::Kind),
        brand: has(Column::Brand),
        model: has(Column::Model),
        colour: has(Column::Colour),
        size: has(Column::Size),
        lens_maker: has(Column::Maker),
        lens_index: has(Column::Index),
        lens_design: has(Column::Design),
        lens_coatings: has(Column::Coatings),
        active: has(Column::Active),
    };
    let mut checked = Checked::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows {
        checked.rows += 1;
        if checked.rows > MAX_ROWS {
            return Err(FileRefused {
                cs: format!("Soubor má víc než {MAX_ROWS} řádků; rozdělte ho."),
                en: format!("The file has more than {MAX_ROWS} rows; split it."),
            });
        }
        let cells = match row.cells {
            Ok(cells) => cells,
            Err(_) => {
                checked.refused.push(bad(
                    row.line,
                    "",
                    "Řádek není čitelný text (poškozené kódování); uložte soubor jako UTF-8.",
                    "The row is not readable text (broken encoding); save the file as UTF-8.",
                ));
                continue;
            }
        };
        let cell = |c: Column| {
            at.get(&c)
                .and_then(|i| cells.get(*i))
                .map_or("", String::as_str)
        };
        match product(&cell, given) {
            Ok(p) => match seen.get(&p.sku.to_lowercase()) {
                Some(first) => checked.refused.push(bad(
                    row.line,
                    &p.sku,
                    format!("Kód {} už je na řádku {first}.", p.sku),
                    format!("The code {} is already on line {first}.", p.sku),
                )),
                None => {
                    seen.insert(p.sku.to_lowercase(), row.line);
                    checked.valid.push(p);
                }
            },
            Err((cs, en)) => checked
                .refused
                .push(bad(row.line, cell(Column::Sku), cs, en)),
        }
    }
    Ok(checked)
}

/// One row's product, or why not (cs, en).
fn product<'a>(
    cell: &dyn Fn(Column) -> &'a str,
    given: Given,
) -> Result<ProductInput, (String, String)> {
    let text = |c: Column, cs: &str, en: &str| -> Result<String, (String, String)> {
        let t = cell(c);
        if t.chars().count() > MAX_TEXT || t.chars().any(char::is_control) {
            return Err((
                format!("{cs}: příliš dlouhé nebo s neplatnými znaky."),
                format!("{en}: too long or with invalid characters."),
            ));
        }
        Ok(t.to_owned())
    };
    let sku = cell(Column::Sku);
    if sku.is_empty() {
        return Err((
            "Chybí kód (SKU).".into(),
            "The code (SKU) is missing.".into(),
        ));
    }
    if sku.chars().count() > MAX_SKU
        || !sku
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c))
    {
        return Err((
            format!("Kód „{sku}“ smí mít jen písmena, číslice a - _ . / (nejvýš {MAX_SKU} znaků)."),
            format!(
                "The code \"{sku}\" may have only letters, digits and - _ . / (at most {MAX_SKU} characters)."
            ),
        ));
    }
    let kind_text = cell(Column::Kind);
    let kind = if kind_text.is_empty() {
        ProductKind::Frame
    } else {
        kind_of(kind_text).ok_or_else(|| {
            (
                format!("Neznámý druh „{kind_text}“ (frame, lens, coating, contact_lens, accessory, service)."),
                format!("Unknown kind \"{kind_text}\" (frame, lens, coating, contact_lens, accessory, service)."),
            )
        })?
    };
    let name = text(Column::Name, "Název", "Name")?;
    if name.is_empty() {
        return Err(("Chybí název.".into(), "The name is missing.".into()));
    }
    let price_text = cell(Column::Price);
    let price = match Money::parse(price_text) {
        Ok(m) if !m.is_negative() => m,
        _ => {
            return Err((
                format!("Cena „{price_text}“ není částka v Kč (např. 1290 nebo 1 290,50)."),
                format!(
                    "The price \"{price_text}\" is not an amount in CZK (e.g. 1290 or 1 290.50)."
                ),
            ));
        }
    };
    let vat_text = cell(Column::Vat);
    let vat_bp = vat_of(vat_text).ok_or_else(|| {
        (
            format!("Sazba DPH „{vat_text}“ neplatí; české sazby jsou 21, 12 a 0 %."),
            format!(
                "The VAT rate \"{vat_text}\" is not valid; the Czech rates are 21, 12 and 0 %."
            ),
        )
    })?;
    let active_text = cell(Column::Active);
    let active = active_of(active_text).ok_or_else(|| {
        (
            format!("Stav „{active_text}“: čekám ano / ne."),
            format!("Active \"{active_text}\": expected yes / no."),
        )
    })?;
    let mut p = ProductInput {
        sku: sku.to_owned(),
        kind,
        name,
        brand: text(Column::Brand, "Značka", "Brand")?,
        model: text(Column::Model, "Model", "Model")?,
        colour: text(Column::Colour, "Barva", "Colour")?,
        size: text(Column::Size, "Velikost", "Size")?,
        lens_maker: text(Column::Maker, "Výrobce", "Maker")?,
        lens_index: String::new(),
        lens_design: String::new(),
        lens_coatings: String::new(),
        price,
        vat_bp,
        active,
        given,
    };
    let index = cell(Column::Index).replace(',', ".");
    if !index.is_empty() {
        let wanted = if index.len() == 3 {
            format!("{index}0")
        } else {
            index.clone()
        };
        let found = LensIndex::ALL
            .into_iter()
            .find(|i| i.value() == wanted)
            .ok_or_else(|| {
                (
                    format!("Index „{index}“ neznám (1.50, 1.60, 1.67, 1.74)."),
                    format!("Unknown index \"{index}\" (1.50, 1.60, 1.67, 1.74)."),
                )
            })?;
        p.lens_index = found.value().to_owned();
    }
    let design = cell(Column::Design);
    if !design.is_empty() {
        let found = design
            .trim()
            .to_lowercase()
            .replace([' ', '-'], "_")
            .parse::<LensDesign>()
            .map_err(|_| {
                (
                    format!("Design „{design}“ neznám (single_vision, progressive, office)."),
                    format!("Unknown design \"{design}\" (single_vision, progressive, office)."),
                )
            })?;
        p.lens_design = found.code().to_owned();
    }
    let coatings = cell(Column::Coatings);
    let mut codes = Vec::new();
    for code in coatings
        .split([',', ';', '+', '|'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let found = code.to_lowercase().replace([' ', '-'], "_").parse::<Coating>().map_err(|_| {
            (
                format!("Vrstvu „{code}“ neznám (anti_reflective, hard_coat, blue_filter, photochromic, tint)."),
                format!("Unknown coating \"{code}\" (anti_reflective, hard_coat, blue_filter, photochromic, tint)."),
            )
        })?;
        if !codes.contains(&found.code()) {
            codes.push(found.code());
        }
    }
    p.lens_coatings = codes.join(",");
    if p.kind != ProductKind::Lens && !(p.lens_index.is_empty() && p.lens_design.is_empty()) {
        return Err((
            "Index a design má jen druh lens (brýlová čočka).".into(),
            "Only the kind lens has an index and a design.".into(),
        ));
    }
    Ok(p)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<RawRow> {
        lines
            .iter()
            .enumerate()
            .map(|(i, cells)| RawRow {
                line: i + 1,
                cells: Ok(cells.iter().map(|c| (*c).to_owned()).collect()),
            })
            .collect()
    }

    #[test]
    fn czech_headers_and_values_are_understood() {
        let checked = check(rows(&[
            &[
                "Kód",
                "Druh",
                "Název",
                "Značka",
                "Model",
                "Výrobce",
                "Index",
                "Design",
                "Vrstvy",
                "Cena s DPH",
                "Sazba DPH",
                "Aktivní",
            ],
            &[
                "L-160-P",
                "čočka",
                "Progresivní 1.6",
                "",
                "Varilux",
                "Essilor",
                "1,6",
                "progressive",
                "anti-reflective, hard coat",
                "3 490,00",
                "21 %",
                "ano",
            ],
            &[
                "S-1", "služba", "Zábrus", "", "", "", "", "", "", "250", "12", "ne",
            ],
        ]))
        .unwrap();
        assert_eq!(checked.refused, vec![]);
        let lens = &checked.valid[0];
        assert_eq!(lens.kind, ProductKind::Lens);
        assert_eq!(
            (lens.lens_index.as_str(), lens.lens_design.as_str()),
            ("1.60", "progressive")
        );
        assert_eq!(lens.lens_coatings, "anti_reflective,hard_coat");
        assert_eq!(
            (lens.price, lens.vat_bp, lens.active),
            (Money::from_haler(349_000), 2100, true)
        );
        assert_eq!(
            (checked.valid[1].vat_bp, checked.valid[1].active),
            (1200, false)
        );
    }

    #[test]
    fn each_bad_row_is_named_and_the_rest_go_on() {
        let checked = check(rows(&[
            &["sku", "kind", "name", "price", "vat"],
            &["A1", "frame", "Ok", "990", "21"],
            &["A2", "frame", "Bad VAT", "990", "15"],
            &["A1", "frame", "Twice", "990", "21"],
            &["", "frame", "No code", "990", "21"],
            &["A3", "spaceship", "Kind", "990", "21"],
            &["A4", "frame", "Price", "zdarma", "21"],
            &["A5", "frame", "Index on a frame", "990", "21"],
        ]))
        .unwrap();
        assert_eq!(checked.rows, 7);
        assert_eq!(checked.valid.len(), 2, "A1 and A5 (no index column: fine)");
        let lines: Vec<usize> = checked.refused.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert!(checked.refused[0].en.contains("VAT rate \"15\""));
        assert!(checked.refused[1].en.contains("already on line 2"));
    }

    #[test]
    fn a_header_without_the_needed_columns_refuses_the_file() {
        let refused = check(rows(&[&["sku", "name"], &["A", "B"]])).unwrap_err();
        assert!(refused.en.contains("price, vat"), "{}", refused.en);
    }
}
