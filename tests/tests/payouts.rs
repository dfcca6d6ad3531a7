//! Payouts in the store (issue 14, slice 3), on SQLite and PostgreSQL: a request
//! over the balance refused (nothing written); one's own request and the
//! adviser's own approval refused; under the four-eyes limit one approval is
//! enough, over it the same person twice is refused and a second one approves;
//! a rejection with its reason; a batch of the approved requests of advisers
//! with an account, its FIO file payment by payment; the bank refusing one
//! payment rejects its request; marking the batch paid writes the payout line
//! once and the request is paid, and the self-employed adviser's payment gets
//! its self-billing invoice (numbered, VAT split, its PDF read back with
//! `pdftotext`, never changed); nothing approvable after its batch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::commission::payout::PayoutRefusal;
use fieldcase_server::commission::store::payouts::{PayoutAccount, PayoutError};
use fieldcase_server::integrations::fio_import::{ImportResult, ItemResult};
use fieldcase_server::store::{
    Actor, CommissionStore, NetworkStore, NewUser, PayoutBatchStore, PayoutStore, SelfBillingStore,
    SqlStore,
};
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_shared::{Lang, Money, Role};
use time::macros::date;

fieldcase_tests::conformance!(payouts_from_request_to_bank);

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

fn refused(e: PayoutError) -> PayoutRefusal {
    match e {
        PayoutError::Refused(r) => r,
        PayoutError::Store(e) => panic!("expected a refusal, got {e:?}"),
    }
}

async fn payouts_from_request_to_bank(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let system = Actor::system("test");
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (a, b) = (network.advisers[0], network.advisers[1]);
    let staff = |email: &str, name: &str| NewUser {
        email: email.into(),
        name: name.into(),
        password_hash: "x".into(),
        role: Role::Accounting,
        shop: None,
        lang: Lang::Cs,
    };
    let x = Actor::user(
        &store
            .create_user(&system, &staff("x@example.cz", "Účetní X"))
            .await?,
    );
    let y = Actor::user(
        &store
            .create_user(&system, &staff("y@example.cz", "Účetní Y"))
            .await?,
    );
    let (adviser_a, _) = store.find_login("p0@example.cz").await?.unwrap();
    let limit = czk(5_000);
    for adviser in [a, b] {
        store
            .add_commission_entry(
                &system,
                adviser,
                uuid::Uuid::now_v7(),
                &CommissionEntryRecord {
                    kind: "accrual".into(),
                    amount: czk(10_000).haler(),
                    at: "2026-12-01T10:00:00Z".into(),
                    ..Default::default()
                },
            )
            .await?;
    }

    // Over the balance: refused, nothing written.
    let e = store
        .request_payout_in_office(&x, a, czk(10_001), "")
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::OverBalance(czk(10_000)));
    assert!(store.payout_rows(false, limit).await?.is_empty());
    let e = store
        .request_payout_in_office(&x, a, czk(0), "")
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::NotPositive);

    // Under the limit: not by its author, not by the adviser; one approval.
    let small = store
        .request_payout_in_office(&x, a, czk(3_000), "listopad")
        .await?;
    let e = store.approve_payout(&x, small, limit).await.unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::OwnRequest);
    let e = store
        .approve_payout(&Actor::user(&adviser_a), small, limit)
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::OwnRequest);
    assert_eq!(store.approve_payout(&y, small, limit).await?, (1, 1));

    // Over the limit: two different people.
    let big = store
        .request_payout_in_office(&system, b, czk(8_000), "")
        .await?;
    assert_eq!(store.approve_payout(&x, big, limit).await?, (1, 2));
    let e = store.approve_payout(&x, big, limit).await.unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::Twice);
    let rows = store.payout_rows(true, limit).await?;
    let row = rows.iter().find(|r| r.id == big).unwrap();
    assert_eq!((row.approvers.len(), row.needed), (1, 2));
    assert_eq!(store.approve_payout(&y, big, limit).await?, (2, 2));

    // A third request rejected with its reason; it frees the money.
    let third = store
        .request_payout_in_office(&system, b, czk(2_000), "")
        .await?;
    let e = store
        .request_payout_in_office(&system, b, czk(1), "")
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::OverBalance(czk(0)));
    assert_eq!(store.reject_payout(&x, third, "duplicitní").await?, b);
    let e = store.reject_payout(&x, third, "znovu").await.unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::NotOpen);
    assert_eq!(store.payout_available(b).await?, czk(2_000).haler());

    // A batch: only advisers with an account; then nothing more to pay.
    let e = store
        .create_payout_batch(&x, "2900000099", date!(2026 - 12 - 07), limit)
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::NothingToPay);
    for (adviser, account) in [(a, "19-2000145399"), (b, "2000145399")] {
        store
            .set_payout_account(
                &x,
                &PayoutAccount {
                    adviser,
                    account: account.into(),
                    bank_code: "0800".into(),
                    // A invoices as a self-employed VAT payer; B is employed.
                    self_employed: adviser == a,
                    ico: if adviser == a {
                        "25596641".into()
                    } else {
                        String::new()
                    },
                    dic: if adviser == a {
                        "CZ25596641".into()
                    } else {
                        String::new()
                    },
                    street: "Masarykova 1".into(),
                    city: "Brno".into(),
                    postal_code: "60200".into(),
                    vat_payer: adviser == a,
                },
            )
            .await?;
    }
    let batch = store
        .create_payout_batch(&x, "2900000099", date!(2026 - 12 - 07), limit)
        .await?;
    assert_eq!(batch.number, "V2026-0001");
    assert_eq!(batch.total, czk(11_000));
    assert_eq!(batch.items.len(), 2);
    let (_, file) = store.payout_batch_file(batch.id).await?.unwrap();
    let tree = fieldcase_tests::xml::parse(std::str::from_utf8(&file)?)?;
    let payments: Vec<_> = tree
        .at("Orders")
        .unwrap()
        .all("DomesticTransaction")
        .collect();
    assert_eq!(payments.len(), 2);
    assert_eq!(
        payments
            .iter()
            .map(|p| (
                p.text_at("accountTo"),
                p.text_at("bankCode"),
                p.text_at("amount")
            ))
            .collect::<Vec<_>>(),
        [
            ("19-2000145399", "0800", "3000.00"),
            ("2000145399", "0800", "8000.00")
        ]
    );
    assert_eq!(payments[0].text_at("accountFrom"), "2900000099");
    assert_eq!(payments[0].text_at("date"), "2026-12-07");
    let e = store
        .create_payout_batch(&x, "2900000099", date!(2026 - 12 - 07), limit)
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::NothingToPay);
    let e = store.approve_payout(&x, small, limit).await.unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::NotOpen, "in a batch");

    // The bank refuses the second payment: its request is rejected.
    let answer = ImportResult {
        error_code: 1,
        status: "error".into(),
        instruction: "105783812".into(),
        items: vec![
            ItemResult {
                id: 1,
                status: "ok".into(),
                error_code: 0,
                message: "OK".into(),
            },
            ItemResult {
                id: 2,
                status: "error".into(),
                error_code: 1013,
                message: "Neplatné číslo účtu".into(),
            },
        ],
    };
    assert_eq!(store.record_batch_result(&x, batch.id, &answer).await?, [b]);
    let rows = store.payout_rows(false, limit).await?;
    let big_row = rows.iter().find(|r| r.id == big).unwrap();
    assert_eq!(big_row.status, "rejected");
    assert!(
        big_row.reason.contains("Neplatné číslo účtu"),
        "{}",
        big_row.reason
    );

    // Paid: one payout line, the request paid; not twice.
    let company = fieldcase_server::money::invoice::Party {
        name: "fieldcase optika s.r.o.".into(),
        ..Default::default()
    };
    assert_eq!(store.mark_batch_paid(&y, batch.id, &company).await?, [a]);
    let e = store
        .mark_batch_paid(&y, batch.id, &company)
        .await
        .unwrap_err();
    assert_eq!(refused(e), PayoutRefusal::AlreadyPaid);
    // The self-employed adviser's payout has its self-billing invoice, the first
    // of the year; the refused payment none.
    let invoices = store.self_billing_invoices(None).await?;
    assert_eq!(invoices.len(), 1);
    let inv = &invoices[0];
    let year = time::OffsetDateTime::now_utc().year();
    assert_eq!(inv.number, format!("SF{year}00001"));
    assert_eq!(
        (inv.adviser, inv.request, inv.total, inv.vat_bp),
        (a, small, czk(3_000), 2_100)
    );
    assert_eq!(
        (
            inv.supplier.name.as_str(),
            inv.supplier.ico.as_str(),
            inv.supplier.iban.as_str()
        ),
        ("Poradce 0", "25596641", "19-2000145399/0800")
    );
    assert_eq!(inv.customer, company);
    assert_eq!(store.self_billing_invoices(Some(b)).await?, []);
    assert_eq!(
        store.self_billing_invoice(inv.id).await?.as_ref(),
        Some(inv)
    );
    let text = fieldcase_tests::pdf_text(&fieldcase_server::commission::self_billing::pdf(
        inv,
        Lang::Cs,
    )?)?;
    for expected in [
        "Faktura – daňový doklad",
        &inv.number,
        "Vystaveno odběratelem",
        "IČO: 25596641",
        "DIČ: CZ25596641",
        "Základ daně 21 %",
        "2 479,34 Kč",
        "520,66 Kč",
        "3 000,00 Kč",
        "V2026-0001",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    // Issued, never changed.
    assert!(
        store
            .execute_raw("UPDATE self_billing_invoices SET total_haler = 1")
            .await
            .is_err()
    );
    let ledger = store.commission_entries(a).await?;
    assert_eq!(
        ledger
            .iter()
            .map(|(_, e)| (e.kind.as_str(), e.amount))
            .collect::<Vec<_>>(),
        [
            ("accrual", czk(10_000).haler()),
            ("payout", -czk(3_000).haler())
        ]
    );
    assert_eq!(store.payout_available(a).await?, czk(7_000).haler());
    assert_eq!(store.payout_available(b).await?, czk(10_000).haler());
    let rows = store.payout_rows(false, limit).await?;
    assert_eq!(rows.iter().find(|r| r.id == small).unwrap().status, "paid");
    Ok(())
}
