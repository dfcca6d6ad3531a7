//! The catalog's office pages: the products list with the price-list import, one
//! product's card (`/office/products/{id}`), and the discounts (coupons, tiers).

mod card;
pub mod discounts;
pub mod products;

use fieldcase_shared::Lang;
use fieldcase_shared::docs::catalog::ProductRecord;

/// A product's variant attributes in one line: colour and size of a frame; maker,
/// index, design and coatings of a lens.
pub fn attributes(p: &ProductRecord, l: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for text in [&p.colour, &p.size, &p.lens_maker, &p.lens_index] {
        if !text.is_empty() {
            parts.push(text.clone());
        }
    }
    if let Ok(design) = p.lens_design.parse::<fieldcase_shared::lens::LensDesign>() {
        parts.push(design.label(l).to_owned());
    }
    for code in p.lens_coatings.split(',').filter(|c| !c.is_empty()) {
        match code.parse::<fieldcase_shared::lens::Coating>() {
            Ok(c) => parts.push(c.label(l).to_owned()),
            Err(_) => parts.push(code.to_owned()),
        }
    }
    parts.join(" · ")
}
