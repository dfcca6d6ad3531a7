//! `pohoda-bench DATABASE_URL`: issue 13's target — the Pohoda export of a month
//! (10,000 documents) in under 5 s, on SQLite and PostgreSQL. Seeds a fresh
//! database with 10,000 documents of one day (harder than a month's days one by
//! one): 5,000 tax documents (invoices with two lines at 21 % and 12 %, every
//! tenth a credit note) and 5,000 till entries of nine shops (sales with two
//! lines, paid in cash, by card or both; every twentieth a cash voucher), then
//! exports the day three times (the pack written, encoded in Windows-1250 and
//! each document recorded) and prints the timings; the numbers go to
//! bench/RESULTS.md.

use std::time::Instant;

use fieldcase_server::config::Config;
use fieldcase_server::money::invoice::{Kind, Line, Party};
use fieldcase_server::money::pohoda::export::export_day;
use fieldcase_server::money::store::invoices::NewInvoice;
use fieldcase_server::money::till::store::NewEntry;
use fieldcase_server::money::till::{EntryKind, TillLine};
use fieldcase_server::store::{
    Actor, HubStore, InvoiceStore, NetworkStore, NewShop, SqlStore, TillStore,
};
use fieldcase_shared::{Money, Role};

const INVOICES: usize = 5_000;
const TILL: usize = 5_000;

fn line(text: &str, price: i64, vat_bp: i64) -> Line {
    Line::single(text.into(), vat_bp, Money::from_czk(price))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: pohoda-bench DATABASE_URL (a fresh database)"))?;
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let config = Config {
        payee_name: "Optika Bench s.r.o.".into(),
        company_ico: "27074358".into(),
        company_dic: "CZ27074358".into(),
        ..Config::default()
    };
    let actor = Actor::system("bench");
    let day = fieldcase_server::money::invoicing::today();
    let t = Instant::now();
    let customer = Party {
        name: "Jana Nováková".into(),
        street: "Dlouhá 1".into(),
        city: "Brno".into(),
        postal_code: "602 00".into(),
        ..Party::default()
    };
    for i in 0..INVOICES {
        let credit = i % 10 == 9;
        let lines = if credit {
            vec![line("Oprava: reklamace (21 %)", -500, 2100)]
        } else {
            vec![
                line("Obruba Ray-Ban RX5154", 5_040, 2100),
                line("Čočky Rodenstock 1.60", 5_340, 1200),
            ]
        };
        store
            .issue_invoice(
                &actor,
                &NewInvoice {
                    kind: if credit {
                        Kind::CreditNote
                    } else {
                        Kind::Invoice
                    },
                    order: None,
                    corrects: None,
                    issued_on: day,
                    taxable_on: day,
                    due_on: day,
                    variable_symbol: format!("88{i:08}"),
                    supplier: config.supplier().unwrap_or_default(),
                    customer: customer.clone(),
                    lines,
                    paid: Money::ZERO,
                    reason: if credit {
                        "reklamace".into()
                    } else {
                        String::new()
                    },
                },
            )
            .await?;
    }
    let mut shops = Vec::new();
    for i in 0..9 {
        let shop = store
            .create_shop(
                &actor,
                &NewShop {
                    code: format!("B{i}"),
                    name: format!("Bench {i}"),
                    ..NewShop::default()
                },
            )
            .await?;
        store
            .open_shift(&actor, shop.id, Money::from_czk(100_000))
            .await?;
        shops.push(shop.id);
    }
    for i in 0..TILL {
        let shop = shops[i % shops.len()];
        let voucher = i % 20 == 19;
        let new = if voucher {
            NewEntry {
                shop,
                kind: EntryKind::CashIn,
                order: None,
                refund_of: None,
                cash: Money::from_czk(500),
                card: Money::ZERO,
                note: "drobné z banky".into(),
                lines: Vec::new(),
                restock: false,
            }
        } else {
            let lines = vec![
                TillLine {
                    product: None,
                    line: line("Pouzdro na brýle", 250, 2100),
                },
                TillLine {
                    product: None,
                    line: line("Roztok na čočky", 189, 1200),
                },
            ];
            let card = match i % 3 {
                0 => Money::ZERO,
                1 => Money::from_czk(439),
                _ => Money::from_czk(200),
            };
            NewEntry {
                shop,
                kind: EntryKind::Sale,
                order: None,
                refund_of: None,
                cash: Money::from_czk(439) - card,
                card,
                note: String::new(),
                lines,
                restock: false,
            }
        };
        store.record_entry(&actor, &new).await?;
    }
    store.execute_raw("ANALYZE").await?;
    println!(
        "seeded {} documents in {:.1} s",
        INVOICES + TILL,
        t.elapsed().as_secs_f64()
    );
    for run in 1..=3 {
        let t = Instant::now();
        let export = export_day(&store, &config, &actor, Role::Accounting, day)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "export {run}: {} documents, {:.1} MB, {:.2} s",
            export.documents,
            export.bytes.len() as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
    // Where the time goes: the reads, the writing of the XML, the bookkeeping.
    let t = Instant::now();
    let invoices = store.invoices_issued_on(day).await?;
    let read_invoices = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (from, to) =
        fieldcase_server::money::till::day_bounds_of(day).ok_or_else(|| anyhow::anyhow!("day"))?;
    let entries = store.entries_between(from, to).await?;
    let read_entries = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pack = fieldcase_server::money::pohoda::export::pack(&store, &config, day)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let whole_read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let bytes = fieldcase_server::money::pohoda::xml::write(&pack)?;
    let write = t.elapsed().as_secs_f64();
    println!(
        "breakdown: {} invoices read {read_invoices:.2} s, {} entries read {read_entries:.2} s, the whole pack read {whole_read:.2} s, XML written {write:.2} s ({} bytes)",
        invoices.len(),
        entries.len(),
        bytes.len()
    );
    Ok(())
}
