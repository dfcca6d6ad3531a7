//! `fieldcase commission payout …` (issue 14, slice 3), on SQLite and PostgreSQL:
//! an account refused by the bank's check, one saved; the office's user refused;
//! one's own approval refused, another's taken; the batch written to a file and
//! marked paid.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::commission::payout_cli::{PayoutCommand, run};
use fieldcase_server::config::Config;
use fieldcase_server::store::{
    Actor, BankStore, CommissionStore, NetworkStore, NewUser, PayoutStore, SqlStore,
};
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_shared::{Lang, Money, Role};

fieldcase_tests::conformance!(payouts_from_the_command_line);

async fn payouts_from_the_command_line(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let system = Actor::system("test");
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];
    let mut users = Vec::new();
    for (email, role) in [
        ("a@example.cz", Role::Accounting),
        ("b@example.cz", Role::Admin),
    ] {
        let user = store
            .create_user(
                &system,
                &NewUser {
                    email: email.into(),
                    name: email.into(),
                    password_hash: "x".into(),
                    role,
                    shop: None,
                    lang: Lang::Cs,
                },
            )
            .await?;
        users.push((Actor::user(&user), role));
    }
    let (a, b) = (users[0].clone(), users[1].clone());
    let config = Config::default();
    let as_ = |who: (Actor, Role)| async move |_: &str| Ok::<_, anyhow::Error>(who.clone());
    let office = (network.office.clone(), Role::Office);
    store
        .add_commission_entry(
            &system,
            adviser,
            uuid::Uuid::now_v7(),
            &CommissionEntryRecord {
                kind: "accrual".into(),
                amount: 600_000,
                at: "2026-12-01T10:00:00Z".into(),
                ..Default::default()
            },
        )
        .await?;

    let self_employed = |account: &str, ico: &str| PayoutCommand::Account {
        adviser: "P0".into(),
        account: account.into(),
        bank: "0800".into(),
        self_employed: !ico.is_empty(),
        ico: ico.into(),
        dic: String::new(),
        street: "Masarykova 1".into(),
        city: "Brno".into(),
        postal_code: "602 00".into(),
        vat_payer: false,
        by: "x".into(),
    };
    let account = |account: &str| self_employed(account, "");
    // Self-employed with an IČO that fails its check: refused with the field.
    let e = run(
        store.as_ref(),
        &config,
        self_employed("19-2000145399", "25596642"),
        as_(a.clone()),
    )
    .await;
    assert!(e.unwrap_err().to_string().contains("ico"));
    assert!(store.payout_accounts().await?.is_empty(), "nothing saved");
    let e = run(
        store.as_ref(),
        &config,
        account("12-2000145399"),
        as_(a.clone()),
    )
    .await;
    assert!(e.unwrap_err().to_string().contains("account"));
    let e = run(
        store.as_ref(),
        &config,
        account("19-2000145399"),
        as_(office),
    )
    .await;
    assert!(e.unwrap_err().to_string().contains("only accounting"));
    run(
        store.as_ref(),
        &config,
        account("19-2000145399"),
        as_(a.clone()),
    )
    .await?;

    let request = store
        .request_payout_in_office(&a.0, adviser, Money::from_czk(2_500), "")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let approve = || PayoutCommand::Approve {
        request,
        by: "x".into(),
    };
    let e = run(store.as_ref(), &config, approve(), as_(a.clone())).await;
    assert!(e.unwrap_err().to_string().contains("own request"));
    let out = run(store.as_ref(), &config, approve(), as_(b.clone())).await?;
    assert_eq!(out, format!("{request}\t1/1\n"));

    let bank = uuid::Uuid::now_v7();
    store
        .add_bank_account(&system, bank, "Hlavní", "CZ6508000000192000145399", b"x")
        .await?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("batch.xml");
    let out = run(
        store.as_ref(),
        &config,
        PayoutCommand::Batch {
            from: bank,
            date: "2026-12-07".into(),
            out: file.clone(),
            by: "x".into(),
        },
        as_(b.clone()),
    )
    .await?;
    let fields: Vec<&str> = out.trim().split('\t').collect();
    assert_eq!(&fields[1..], ["V2026-0001", "1 payments", "2500.00"]);
    let xml = std::fs::read_to_string(&file)?;
    assert!(xml.contains("<amount>2500.00</amount>"), "{xml}");
    let batch: uuid::Uuid = fields[0].parse()?;
    run(
        store.as_ref(),
        &config,
        PayoutCommand::Paid {
            batch,
            by: "x".into(),
        },
        as_(a),
    )
    .await?;
    assert_eq!(store.payout_available(adviser).await?, 350_000);
    let list = run(
        store.as_ref(),
        &config,
        PayoutCommand::List { open: false },
        as_(b),
    )
    .await?;
    assert!(list.contains("\tpaid\t1/1\tV2026-0001"), "{list}");
    Ok(())
}
