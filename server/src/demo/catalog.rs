//! The demo's catalog: frames of many brands, models, colours and sizes, lenses,
//! coatings, contact lenses, accessories and services.

use fieldcase_shared::{Diopters, Money, ProductId};
use rand::rngs::StdRng;
use time::OffsetDateTime;

use super::names::{
    ACCESSORIES, COATINGS, CONTACT_LENSES, FRAME_BRANDS, FRAME_COLOURS, LENS_BRANDS,
    MODEL_PREFIXES, SERVICES,
};
use super::{ascii, uuid_at};
use crate::store::{Product, ProductKind};

/// The catalog: frames of many brands/models/colours/sizes, lenses, coatings,
/// contact lenses, accessories and services.
pub(super) fn catalog(rng: &mut StdRng, now: OffsetDateTime) -> Vec<Product> {
    let mut products = Vec::with_capacity(5_300);
    let mut add = |rng: &mut StdRng,
                   sku: String,
                   kind,
                   name: String,
                   brand: &str,
                   colour: &str,
                   size: String,
                   price_czk: i64,
                   vat_bp| {
        products.push(Product {
            id: ProductId::from_uuid(uuid_at(rng, now)),
            sku,
            kind,
            name,
            brand: brand.into(),
            colour: colour.into(),
            size,
            price: Money::from_czk(price_czk),
            vat_bp,
            attrs: Default::default(),
        });
    };
    for (b, (brand, base_price)) in FRAME_BRANDS.iter().enumerate() {
        for m in 0..45 {
            let model = format!(
                "{}{}",
                MODEL_PREFIXES[(b + m) % MODEL_PREFIXES.len()],
                100 + m * 7
            );
            let eye = 48 + (m % 8) as u8;
            let bridge = 16 + (m % 5) as u8;
            let temple = [135u8, 140, 145][m % 3];
            let price = base_price + (m as i64 % 9) * 150;
            for (c, colour) in FRAME_COLOURS.iter().enumerate().skip(m % 3).take(5) {
                add(
                    rng,
                    format!(
                        "F-{}-{model}-{c:02}",
                        &brand.to_uppercase().replace([' ', '\''], "")[..3.min(brand.len())]
                    ),
                    ProductKind::Frame,
                    format!("{brand} {model}"),
                    brand,
                    colour,
                    format!("{eye}□{bridge} {temple}"),
                    price,
                    2100,
                );
            }
        }
    }
    for brand in LENS_BRANDS {
        for (index, index_price) in [
            ("1.50", 890),
            ("1.60", 1490),
            ("1.67", 2190),
            ("1.74", 3490),
        ] {
            for (design, design_name, factor) in [
                ("SV", "jednoohnisková", 1),
                ("PR", "progresivní", 4),
                ("OF", "kancelářská", 3),
            ] {
                add(
                    rng,
                    format!("L-{}-{index}-{design}", brand.to_uppercase()),
                    ProductKind::Lens,
                    format!("{brand} {index} {design_name}"),
                    brand,
                    "",
                    String::new(),
                    index_price * factor,
                    1200,
                );
            }
        }
    }
    for brand in LENS_BRANDS {
        for (code, name, price) in COATINGS {
            add(
                rng,
                format!("C-{}-{code}", brand.to_uppercase()),
                ProductKind::Coating,
                format!("{name} ({brand})"),
                brand,
                "",
                String::new(),
                *price,
                1200,
            );
        }
    }
    for (brand, line, price) in CONTACT_LENSES {
        for power in (-40..=16).filter(|p| *p != 0) {
            let power = Diopters::from_hundredths(power * 25);
            add(
                rng,
                format!("K-{line}-{power}"),
                ProductKind::ContactLens,
                format!("{brand} {line} {power}"),
                brand,
                "",
                "6 ks".into(),
                *price,
                1200,
            );
        }
    }
    for (i, (name, price)) in ACCESSORIES.iter().enumerate() {
        for colour in ["černá", "modrá", "červená"] {
            add(
                rng,
                format!("A-{i:03}-{}", ascii(colour)),
                ProductKind::Accessory,
                format!("{name}, {colour}"),
                "fieldcase",
                colour,
                String::new(),
                *price,
                2100,
            );
        }
    }
    for (i, (name, price)) in SERVICES.iter().enumerate() {
        add(
            rng,
            format!("S-{i:03}"),
            ProductKind::Service,
            (*name).into(),
            "",
            "",
            String::new(),
            *price,
            2100,
        );
    }
    // The structured attributes: a frame is a variant (colour, size) of its model;
    // a lens has its maker, index and design.
    for p in &mut products {
        match p.kind {
            ProductKind::Frame => {
                p.attrs.model = p
                    .name
                    .strip_prefix(&p.brand)
                    .unwrap_or(&p.name)
                    .trim()
                    .to_owned();
            }
            ProductKind::Lens => {
                let parts: Vec<&str> = p.sku.rsplitn(3, '-').collect();
                if let [design, index, _] = parts[..] {
                    p.attrs.lens_maker = p.brand.clone();
                    p.attrs.lens_index = index.to_owned();
                    p.attrs.lens_design = match design {
                        "PR" => "progressive",
                        "OF" => "office",
                        _ => "single_vision",
                    }
                    .to_owned();
                    p.attrs.model = format!("{} {}", p.brand, p.attrs.lens_design);
                }
            }
            _ => {}
        }
    }
    products
}

/// The warehouses — the central one and one per store — and their stock: the
/// central warehouse holds a few of most frames, contact lenses and accessories
/// (some none); each store some of the frames and five of each accessory and
/// contact lens (sold at its till). Only when there are no warehouses yet.
pub(super) async fn stock(
    store: &dyn crate::store::Store,
    actor: &crate::store::Actor,
    products: &[Product],
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    use rand::Rng;

    use crate::stock::store::CENTRAL;
    if !store.warehouses().await?.is_empty() {
        return Ok(0);
    }
    let central = store
        .create_warehouse(actor, CENTRAL, "Centrální sklad", None)
        .await?;
    let mut stores = Vec::new();
    for shop in store.list_shops().await? {
        let w = store
            .create_warehouse(
                actor,
                &shop.code,
                &format!("Sklad {}", shop.name),
                Some(shop.id),
            )
            .await?;
        stores.push(w.id);
    }
    let mut receipts = Vec::new();
    for p in products {
        let stocked = matches!(
            p.kind,
            ProductKind::Frame | ProductKind::ContactLens | ProductKind::Accessory
        );
        if !stocked {
            continue;
        }
        // Now and then none at all: the office sees orders short of stock.
        let central_qty = rng.random_range(0..12);
        if central_qty > 0 {
            receipts.push((central.id, p.id, central_qty));
        }
        // The stores sell accessories and contact lenses over the counter (till).
        if p.kind != ProductKind::Frame {
            receipts.extend(stores.iter().map(|w| (*w, p.id, 5)));
        }
        if p.kind == ProductKind::Frame {
            for w in &stores {
                if rng.random_range(0..6) == 0 {
                    receipts.push((*w, p.id, rng.random_range(1..3)));
                }
            }
        }
    }
    Ok(store.seed_stock(&receipts).await?)
}
