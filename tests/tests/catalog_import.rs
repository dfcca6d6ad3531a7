//! Price-list imports (issue 11, point 6), on SQLite and PostgreSQL: a CSV of 5,000
//! rows with 3 % invalid (bad VAT rate, a code twice, broken encoding) saves the
//! valid rows and names every invalid one by its line; an XLSX list reprices and
//! changes products, keeping the price history; a check-only run saves nothing;
//! and a phone's catalog shows the new prices after sync.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::catalog::import::import_file;
use fieldcase_server::store::{Actor, CatalogStore, ProductStore, SqlStore};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;

fieldcase_tests::conformance!(a_price_list_saves_its_valid_rows_and_names_the_others);

/// A supplier's CSV: 5,000 data rows, of which every hundredth has a bad VAT rate,
/// repeats the code of the row before, or is not UTF-8 (150 rows, 3 %). Returns the
/// file and the lines that must be refused.
fn price_list() -> (Vec<u8>, Vec<usize>) {
    let mut file = "kód;druh;název;značka;model;barva;velikost;cena s DPH;DPH\n"
        .as_bytes()
        .to_vec();
    let mut bad = Vec::new();
    for i in 0..5_000usize {
        let line = i + 2;
        let row = match i % 100 {
            0 => {
                bad.push(line);
                format!(
                    "F-{i:05};obruba;Obruba {i};Značka;M{};Černá;52□18 140;1 290,00;15 %\n",
                    i / 5
                )
            }
            50 => {
                bad.push(line);
                format!("F-{:05};obruba;Duplicita;Značka;M;Černá;52;990;21\n", i - 1)
            }
            _ => format!(
                "F-{i:05};obruba;Obruba {i};Značka;M{};Černá;52□18 140;{},50;21 %\n",
                i / 5,
                990 + i % 700
            ),
        };
        let mut bytes = row.into_bytes();
        if i % 100 == 25 {
            bad.push(line);
            // A Windows-1250 "š" in a UTF-8 file: the row is not text.
            let at = bytes.iter().position(|b| *b == b';').unwrap() + 1;
            bytes.insert(at, 0x9A);
        }
        file.extend(bytes);
    }
    (file, bad)
}

async fn a_price_list_saves_its_valid_rows_and_names_the_others(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let actor = network.office;
    let (file, bad) = price_list();
    assert!(
        (140..=160).contains(&bad.len()),
        "about 3 % invalid: {}",
        bad.len()
    );

    // Checked only: a report, nothing saved.
    let (check, would) = import_file(store.as_ref(), &actor, "cenik.csv", &file, true)
        .await
        .unwrap();
    assert_eq!(would.created, 5_000 - bad.len() as i64);
    assert!(
        store.catalog_products().await?.is_empty(),
        "a check saves nothing"
    );
    assert!(store.catalog_import(check).await?.unwrap().dry_run);

    let (id, done) = import_file(store.as_ref(), &actor, "cenik.csv", &file, false)
        .await
        .unwrap();
    assert_eq!(done.created, 5_000 - bad.len() as i64);
    let report = store.catalog_import(id).await?.unwrap();
    assert_eq!(report.rows_read, 5_000);
    let refused: Vec<usize> = report.refused.iter().map(|p| p.line).collect();
    assert_eq!(refused, bad, "every invalid row, by its line");
    let why = |line: usize| {
        report
            .refused
            .iter()
            .find(|p| p.line == line)
            .unwrap()
            .en
            .clone()
    };
    assert!(why(2).contains("VAT rate \"15 %\""), "{}", why(2));
    assert!(why(52).contains("already on line 51"), "{}", why(52));
    assert!(why(27).contains("broken encoding"), "{}", why(27));
    assert!(
        report
            .refused
            .iter()
            .any(|p| p.en.contains("broken encoding"))
    );
    let products = store.catalog_products().await?;
    assert_eq!(products.len(), 5_000 - bad.len());
    let p = products.iter().find(|(_, p)| p.sku == "F-00001").unwrap();
    assert_eq!(
        (
            p.1.price,
            p.1.vat_bp,
            p.1.model.as_str(),
            p.1.colour.as_str()
        ),
        (99_150, 2100, "M0", "Černá")
    );

    // The same file again changes nothing.
    let (_, again) = import_file(store.as_ref(), &actor, "cenik.csv", &file, false)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.repriced), (0, 0, 0));

    // An XLSX list: new prices for two, a lens with its attributes, a withdrawal.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "SKU", "Kind", "Name", "Brand", "Model", "Maker", "Index", "Design", "Coatings", "Price",
        "VAT", "Active",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    let rows: [[&str; 12]; 4] = [
        [
            "F-00001", "frame", "Obruba 1", "Značka", "M0", "", "", "", "", "", "21", "yes",
        ],
        [
            "F-00002", "frame", "Obruba 2", "Značka", "M0", "", "", "", "", "", "21", "no",
        ],
        [
            "L-ZEISS-167",
            "lens",
            "Zeiss 1.67 progresivní",
            "Zeiss",
            "SmartLife",
            "Zeiss",
            "1.67",
            "progressive",
            "anti_reflective, blue_filter",
            "",
            "12",
            "yes",
        ],
        [
            "L-BAD",
            "lens",
            "Bad index",
            "Zeiss",
            "",
            "",
            "1.55",
            "",
            "",
            "",
            "12",
            "yes",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v)?;
        }
    }
    // Prices as numbers, as a spreadsheet holds them.
    for (r, price) in [(1u32, 1_490.0), (2, 990.5), (3, 4_290.0), (4, 100.0)] {
        sheet.write_number(r, 9, price)?;
    }
    let xlsx = book.save_to_buffer()?;
    let (id, done) = import_file(store.as_ref(), &actor, "zmeny.xlsx", &xlsx, false)
        .await
        .unwrap();
    let report = store.catalog_import(id).await?.unwrap();
    assert_eq!(
        (done.created, done.updated, done.repriced),
        (1, 1, 2),
        "{report:?}"
    );
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].line, 5);
    assert!(report.refused[0].en.contains("Unknown index"));
    let products = store.catalog_products().await?;
    let by_sku = |sku: &str| products.iter().find(|(_, p)| p.sku == sku).unwrap().clone();
    assert_eq!(by_sku("F-00001").1.price, 149_000);
    assert_eq!(
        (
            by_sku("F-00001").1.colour.as_str(),
            by_sku("F-00001").1.size.as_str()
        ),
        ("Černá", "52□18 140"),
        "a column the file lacks keeps the product's value"
    );
    assert!(!by_sku("F-00002").1.active, "withdrawn by the list");
    let lens = by_sku("L-ZEISS-167").1;
    assert_eq!(
        (
            lens.lens_index.as_str(),
            lens.lens_design.as_str(),
            lens.lens_coatings.as_str(),
            lens.vat_bp
        ),
        ("1.67", "progressive", "anti_reflective,blue_filter", 1200)
    );
    // The old price stays in the history: orders taken before keep it.
    let id = by_sku("F-00001").0.to_string();
    let history = store
        .price_history(std::slice::from_ref(&id))
        .await?
        .remove(&id)
        .unwrap();
    let mut prices: Vec<i64> = history.iter().map(|p| p.price).collect();
    prices.sort_unstable();
    assert_eq!(prices, vec![99_150, 149_000]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phones_catalog_shows_the_imported_prices_after_sync() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    let store = field.hub.store.clone();
    let actor = Actor::system("test");
    let list = "sku,name,brand,price,vat\nRB-1,Wayfarer,Ray-Ban,\"3 290\",21\nRB-2,Aviator,Ray-Ban,2990,21\n";
    import_file(store.as_ref(), &actor, "a.csv", list.as_bytes(), false)
        .await
        .unwrap();
    field.hub.state.sync.publish_catalog().await.unwrap();
    eventually("the imported catalog on the phone", WAIT, || async {
        phone.catalog_search("ray-ban", 10).len() == 2
    })
    .await
    .unwrap();
    let new = "sku,name,brand,price,vat\nRB-1,Wayfarer,Ray-Ban,3490,21\n";
    import_file(store.as_ref(), &actor, "b.csv", new.as_bytes(), false)
        .await
        .unwrap();
    field.hub.state.sync.publish_catalog().await.unwrap();
    eventually("the new price on the phone", WAIT, || async {
        phone
            .catalog_search("wayfarer", 1)
            .first()
            .is_some_and(|(_, p)| p.price == 349_000)
    })
    .await
    .unwrap();
    phone.close().await;
}
