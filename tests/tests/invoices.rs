//! Tax documents (issue 13, point 4), on SQLite and PostgreSQL: a deposit
//! document for money received (never beyond what the order was paid), the final
//! invoice with the order-wide discount and the deposit deducted, its VAT
//! breakdown adding up per rate, one final invoice per order, credit notes within
//! what the document holds and with a reason, numbers per year and kind without
//! gaps even when issued at once, documents that cannot be changed, and the PDF
//! (read back with poppler's `pdftotext`) carrying what the law asks and the VAT
//! breakdown.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::config::Config;
use fieldcase_server::money::invoice::{Kind, breakdown};
use fieldcase_server::money::invoicing::{InvoiceError, Issue, issue, today};
use fieldcase_server::store::{Actor, BankStore, InvoiceStore, SqlStore};
use fieldcase_shared::validate::reason;
use fieldcase_shared::{Money, OrderId, Problem, Role};

fieldcase_tests::conformance!(
    documents_follow_the_law,
    numbers_have_no_gaps_when_issued_at_once
);

fn config() -> Config {
    fieldcase_tests::bank::company()
}

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

/// An order of a frame (5 040 Kč, 21 %) and two lenses (2 × 2 670 Kč, 12 %) for
/// 10 000 Kč after a 380 Kč order-wide discount.
async fn order(store: &SqlStore, vs: &str) -> anyhow::Result<(OrderId, uuid::Uuid)> {
    fieldcase_tests::bank::order_with_lines(store, vs).await
}

fn problems(e: InvoiceError) -> Vec<(String, Problem)> {
    match e {
        InvoiceError::Invalid(p) => p.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn documents_follow_the_law(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (order, account) = order(&store, "9500000001").await?;
    let config = config();
    let who = Actor::system("účetní");
    let year = today().year();
    let not_allowed = |key: &str| Problem::NotAllowed(key.into());
    // Issuing as `role` with the company configured.
    let run =
        async |role: Role, what: Issue| issue(store.as_ref(), &config, &who, role, &what).await;

    // Nothing paid yet: no deposit document.
    let e = run(
        Role::Accounting,
        Issue::Deposit {
            order,
            amount: czk(3_000),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [("amount".into(), not_allowed(reason::BEYOND_PAID))]
    );
    // 3 000 Kč arrives from the bank: its deposit document.
    store
        .import_movements(
            &Actor::system("bank"),
            account,
            &[fieldcase_tests::bank::pay(
                1,
                3_000,
                "CZK",
                "9500000001",
                today(),
            )],
        )
        .await?;
    let deposit = run(
        Role::Accounting,
        Issue::Deposit {
            order,
            amount: czk(3_000),
        },
    )
    .await?;
    assert_eq!(deposit.number, format!("ZD{year}000001"));
    assert_eq!((deposit.total, deposit.to_pay()), (czk(3_000), Money::ZERO));
    let e = run(
        Role::Accounting,
        Issue::Deposit {
            order,
            amount: czk(1),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [("amount".into(), not_allowed(reason::BEYOND_PAID))]
    );

    // The final invoice: the lines, the discount split by rate, the deposit deducted.
    let invoice = run(Role::Store, Issue::Final { order }).await?;
    assert_eq!(invoice.number, format!("FV{year}000001"));
    assert_eq!(
        (invoice.total, invoice.paid, invoice.to_pay()),
        (czk(7_000), Money::ZERO, czk(7_000))
    );
    assert_eq!(
        (
            invoice.supplier.ico.as_str(),
            invoice.customer.name.as_str()
        ),
        ("27074358", "Jana Nováková")
    );
    assert_eq!(invoice.taxable_on, today());
    let vat = breakdown(&invoice.lines);
    assert_eq!(
        vat.iter().map(|v| v.vat_bp).collect::<Vec<_>>(),
        [2100, 1200]
    );
    assert_eq!(vat.iter().map(|v| v.gross).sum::<Money>(), invoice.total);
    for v in &vat {
        assert_eq!(v.base + v.vat, v.gross);
    }
    assert!(
        invoice
            .lines
            .iter()
            .any(|l| l.text.starts_with("Sleva na objednávku") && l.total.is_negative())
    );
    assert!(invoice.lines.iter().any(|l| {
        l.text
            .starts_with(&format!("Odpočet zálohy ZD{year}000001"))
    }));
    let e = run(Role::Store, Issue::Final { order }).await.unwrap_err();
    assert!(matches!(e, InvoiceError::AlreadyInvoiced), "{e:?}");

    // Credit notes: with a reason, within what the invoice holds.
    let e = run(
        Role::Accounting,
        Issue::Credit {
            invoice: invoice.id,
            amount: czk(7_001),
            reason: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [
            ("reason".into(), Problem::Required),
            ("amount".into(), not_allowed(reason::BEYOND_INVOICE))
        ]
    );
    let credit = run(
        Role::Accounting,
        Issue::Credit {
            invoice: invoice.id,
            amount: czk(1_000),
            reason: "reklamace obruby".into(),
        },
    )
    .await?;
    assert_eq!(
        (credit.number.clone(), credit.total, credit.corrects),
        (format!("DN{year}000001"), czk(-1_000), Some(invoice.id))
    );
    assert_eq!(
        breakdown(&credit.lines)
            .iter()
            .map(|v| v.gross)
            .sum::<Money>(),
        czk(-1_000)
    );
    let e = run(
        Role::Accounting,
        Issue::Credit {
            invoice: invoice.id,
            amount: czk(6_001),
            reason: "x".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [("amount".into(), not_allowed(reason::BEYOND_INVOICE))]
    );

    // Who may, and the company's details first.
    let e = run(Role::Lab, Issue::Final { order }).await.unwrap_err();
    assert!(matches!(e, InvoiceError::Forbidden));
    let e = issue(
        store.as_ref(),
        &Config::default(),
        &who,
        Role::Admin,
        &Issue::Deposit {
            order,
            amount: czk(1),
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, InvoiceError::NoSupplier));

    // A tax document is never changed or deleted.
    assert!(
        store
            .execute_raw("UPDATE invoices SET total_haler = 0")
            .await
            .is_err()
    );
    assert!(
        store
            .execute_raw("DELETE FROM invoice_lines")
            .await
            .is_err()
    );
    let kept = store.invoice(invoice.id).await?.unwrap();
    assert_eq!(
        (kept.total, kept.lines.len()),
        (czk(7_000), invoice.lines.len())
    );
    assert_eq!(kept.kind, Kind::Invoice);

    // The PDF says it all, VAT breakdown included.
    let pdf =
        fieldcase_server::money::invoice_pdf::render(&kept, None, fieldcase_shared::Lang::Cs)?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, &pdf)?;
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    let text = String::from_utf8(out.stdout)?;
    let base21 = vat[0].base.format(fieldcase_shared::Lang::Cs);
    let vat12 = vat[1].vat.format(fieldcase_shared::Lang::Cs);
    for expected in [
        "Faktura – daňový doklad",
        invoice.number.as_str(),
        "IČO: 27074358",
        "DIČ: CZ27074358",
        "Datum uskutečnění zdanitelného plnění",
        "Rekapitulace DPH",
        "DPH 21 %",
        "DPH 12 %",
        base21.as_str(),
        vat12.as_str(),
        "7 000,00 Kč",
        "Variabilní symbol",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    Ok(())
}

async fn numbers_have_no_gaps_when_issued_at_once(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (order, account) = order(&store, "9600000001").await?;
    store
        .import_movements(
            &Actor::system("bank"),
            account,
            &[fieldcase_tests::bank::pay(
                1,
                10_000,
                "CZK",
                "9600000001",
                today(),
            )],
        )
        .await?;
    let config = config();
    let who = Actor::system("účetní");
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (store, config, who) = (store.clone(), config.clone(), who.clone());
            tokio::spawn(async move {
                issue(
                    store.as_ref(),
                    &config,
                    &who,
                    Role::Accounting,
                    &Issue::Deposit {
                        order,
                        amount: czk(100),
                    },
                )
                .await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await?.map_err(|e| anyhow::anyhow!("{e:?}"))?.number);
    }
    numbers.sort();
    let year = today().year();
    let expected: Vec<String> = (1..=12).map(|n| format!("ZD{year}{n:06}")).collect();
    assert_eq!(numbers, expected);
    Ok(())
}
