//! Commission statements and the report (issue 14, slice 4), on SQLite and
//! PostgreSQL: a month's statement adds up (opening, accruals, reversals,
//! payouts, adjustments, closing) with Prague's month boundary; the year's twelve
//! months chain (each opens where the one before closed) and agree with the
//! phone's calculation over the whole ledger; the PDF says the same (read back
//! with poppler's `pdftotext`); the report sums commission and turnover per
//! adviser, store and month, leaving payouts and cancelled orders out; the CLI
//! prints the same and refuses a month it cannot read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::commission::cli::{CommissionCommand, run};
use fieldcase_server::commission::report::{By, rows};
use fieldcase_server::commission::statement;
use fieldcase_server::commission::statement_cli::{ReportArgs, StatementArgs};
use fieldcase_server::config::Config;
use fieldcase_server::store::{
    Actor, CommissionStore, FieldStore, OrderRow, OrderStore, SqlStore, StatementStore,
};
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_shared::statement::Month;
use fieldcase_shared::{Lang, Money, OrderId, OrderStatus};
use time::macros::datetime;

fieldcase_tests::conformance!(statements_and_the_report);

async fn statements_and_the_report(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let system = Actor::system("test");
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (p0, p1) = (network.advisers[0], network.advisers[1]);
    let ledger = [
        (p0, "accrual", 1_000_000, "2026-10-05T10:00:00Z"),
        (p0, "payout", -400_000, "2026-10-20T10:00:00Z"),
        (p0, "accrual", 500_000, "2026-11-02T10:00:00Z"),
        (p0, "reversal", -100_000, "2026-11-03T10:00:00Z"),
        (p0, "adjustment", 30_000, "2026-11-04T10:00:00Z"),
        // 22:59 UTC on 30 November is still November in Prague; 23:00 is December.
        (p0, "payout", -200_000, "2026-11-30T22:59:00Z"),
        (p0, "accrual", 700_000, "2026-11-30T23:00:00Z"),
        (p1, "accrual", 90_000, "2026-11-15T10:00:00Z"),
    ];
    for (adviser, kind, amount, at) in ledger {
        store
            .add_commission_entry(
                &system,
                adviser,
                uuid::Uuid::now_v7(),
                &CommissionEntryRecord {
                    kind: kind.into(),
                    amount,
                    at: at.into(),
                    note: format!("{kind} by hand"),
                    ..Default::default()
                },
            )
            .await?;
    }
    let advisers = store
        .list_advisers(&fieldcase_server::store::AdviserFilter::default())
        .await?;
    let adviser = advisers.iter().find(|a| a.id == p0).unwrap().clone();

    // November.
    let nov = Month::parse("2026-11").unwrap();
    let (s, lines) = statement::month(store.as_ref(), &adviser, nov).await?;
    assert_eq!(s.opening, 600_000);
    assert_eq!(
        (s.accruals, s.reversals, s.payouts, s.adjustments),
        (500_000, -100_000, -200_000, 30_000)
    );
    assert_eq!(s.closing, 830_000);
    assert_eq!(
        lines.len(),
        4,
        "the line at 23:00 UTC on 30 November is December's"
    );

    // The year: each month opens where the one before closed, and every month
    // equals the phone's calculation over the whole ledger.
    let year = statement::year(store.as_ref(), &adviser, 2026).await?;
    assert_eq!(year.len(), 12);
    let whole: Vec<CommissionEntryRecord> = store
        .commission_entries(p0)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let mut opening = 0;
    for m in &year {
        assert_eq!(m.opening, opening, "{}", m.month);
        opening = m.closing;
        let (phone, _) = fieldcase_shared::statement::statement(&whole, m.month);
        assert_eq!(*m, phone, "{}", m.month);
    }
    assert_eq!(year[9].closing, 600_000);
    assert_eq!(year[11].closing, 1_530_000);
    assert_eq!(year[0].opening, 0);

    // The PDF says the same.
    let bytes = statement::pdf(&adviser, &(s, lines), "fieldcase optika s.r.o.", Lang::Cs)?;
    let text = fieldcase_tests::pdf_text(&bytes)?;
    for expected in [
        "Výpis provizí listopad 2026",
        &format!("{} {}", adviser.code, adviser.name),
        "Počáteční zůstatek: 6 000,00 Kč",
        "Storna: -1 000,00 Kč",
        "Konečný zůstatek: 8 300,00 Kč",
        "adjustment by hand",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }

    // Turnover: P0's order in November, a cancelled one (left out), P1's in October.
    let client = fieldcase_tests::project_client(store.as_ref(), p0, "Jana", "Nováková").await?;
    let order = |vs: &str, adviser, status, total: i64, at| OrderRow {
        id: OrderId::new(),
        variable_symbol: vs.into(),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status,
        total: Money::from_haler(total),
        deposit: Money::ZERO,
        created_at: at,
        updated_at: at,
    };
    store
        .insert_orders(
            &[
                order(
                    "9000000001",
                    p0,
                    OrderStatus::Confirmed,
                    2_000_000,
                    datetime!(2026-11-10 10:00 UTC),
                ),
                order(
                    "9000000002",
                    p0,
                    OrderStatus::Cancelled,
                    5_000_000,
                    datetime!(2026-11-11 10:00 UTC),
                ),
                order(
                    "9000000003",
                    p1,
                    OrderStatus::Confirmed,
                    1_000_000,
                    datetime!(2026-10-10 10:00 UTC),
                ),
            ],
            &[],
        )
        .await?;
    let oct = Month::parse("2026-10").unwrap();
    let data = store
        .commission_report(oct.start(), Month::parse("2026-12").unwrap().end())
        .await?;
    let by_adviser: Vec<(String, String, i64, i64)> = rows(&data, By::Adviser)
        .into_iter()
        .map(|r| (r.month.to_string(), r.code, r.commission, r.turnover))
        .collect();
    let code = |id| advisers.iter().find(|a| a.id == id).unwrap().code.clone();
    assert_eq!(
        by_adviser,
        [
            ("2026-10".into(), code(p0), 1_000_000, 0),
            ("2026-10".into(), code(p1), 0, 1_000_000),
            ("2026-11".into(), code(p0), 430_000, 2_000_000),
            ("2026-11".into(), code(p1), 90_000, 0),
            ("2026-12".into(), code(p0), 700_000, 0),
        ],
        "payouts and the cancelled order are left out"
    );
    let by_month = rows(&data, By::Month);
    assert_eq!(
        (
            by_month[1].commission,
            by_month[1].turnover,
            by_month[1].cost_bp()
        ),
        (520_000, 2_000_000, Some(2_600))
    );
    let by_store = rows(&data, By::Store);
    assert_eq!(
        by_store.len(),
        3,
        "one store (the advisers' home), three months"
    );

    // The CLI.
    let config = Config::default();
    let cli = |command| {
        let store = store.clone();
        let config = config.clone();
        async move {
            run(store.as_ref(), &config, command, async |_: &str| {
                anyhow::bail!("no staff needed")
            })
            .await
        }
    };
    let out = cli(CommissionCommand::Statement(StatementArgs {
        adviser: adviser.code.clone(),
        month: Some("2026-11".into()),
        year: None,
        pdf: None,
        lang: "cs".into(),
    }))
    .await?;
    assert!(
        out.starts_with("2026-11\t6000.00\t5000.00\t-1000.00\t-2000.00\t300.00\t8300.00\n"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 5, "{out}");
    let out = cli(CommissionCommand::Statement(StatementArgs {
        adviser: adviser.code.clone(),
        month: None,
        year: Some(2026),
        pdf: None,
        lang: "cs".into(),
    }))
    .await?;
    assert_eq!(out.lines().count(), 12, "{out}");
    assert!(
        out.lines().nth(11).unwrap().ends_with("\t15300.00"),
        "{out}"
    );
    let err = cli(CommissionCommand::Statement(StatementArgs {
        adviser: adviser.code.clone(),
        month: Some("2026-13".into()),
        year: None,
        pdf: None,
        lang: "cs".into(),
    }))
    .await
    .unwrap_err();
    assert!(err.to_string().contains("YYYY-MM"), "{err}");
    let out = cli(CommissionCommand::Report(ReportArgs {
        from: "2026-10".into(),
        to: "2026-12".into(),
        by: "month".into(),
    }))
    .await?;
    assert!(
        out.contains("2026-11\t\t\t5200.00\t20000.00\t26.00 %"),
        "{out}"
    );
    let err = cli(CommissionCommand::Report(ReportArgs {
        from: "2026-12".into(),
        to: "2026-10".into(),
        by: "month".into(),
    }))
    .await
    .unwrap_err();
    assert!(err.to_string().contains("before the first"), "{err}");
    Ok(())
}
