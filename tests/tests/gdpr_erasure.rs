//! GDPR erasure (issue 12, point 7) against a real hub and two phones of one
//! adviser (the real device core): a customer entered, renamed and noted about on
//! the phone and at the office is erased at their request; the hub rewrites the
//! workspace without its history, both phones move to it (the one that was
//! offline carries its other edits over, not the erased customer's), and
//! afterwards the customer's name, phone and e-mail are in no stored byte of the
//! hub's database files or the phones' (grepped raw, and inside every Automerge
//! chunk decompressed), while a kept customer's name is found the same way.
//! Refusals first: not an administrator, no reason, an order in progress.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use fieldcase_server::customers::erase::{EraseError, erase};
use fieldcase_server::store::ContactKind;
use fieldcase_shared::docs::records::{ClientRecord, OrderRecord};
use fieldcase_shared::{
    ClientId, Diopters, EyeRx, OrderId, OrderStatus, Prescription, PrescriptionId, Role,
};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;
use sqlx::Row;

/// What must be gone: the surname (as typed and folded), the phone, the e-mail.
const GONE: [&str; 4] = ["Vymazal", "vymazal", "603111222", "zdenka.v@"];
/// What must stay (the control: the search would find it if it were there).
const KEPT: &str = "Zůstal";

fn client(first: &str, last: &str, phone: &str, email: &str) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: email.into(),
        street: "Na Výsluní 7".into(),
        city: "Brno".into(),
        postal_code: "602 00".into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        ..ClientRecord::default()
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The Automerge chunks `query` reads from the SQLite file at `db`, each loaded and
/// saved uncompressed (a compressed column would hide a name from a raw grep).
async fn chunks_uncompressed(db: &Path, query: &str) -> Vec<u8> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut out = Vec::new();
    for row in sqlx::query(sqlx::AssertSqlSafe(query.to_owned()))
        .fetch_all(&pool)
        .await
        .unwrap()
    {
        let data: Vec<u8> = row.get(0);
        let mut doc = automerge::Automerge::new();
        // Other entries (samod's own keys) are not documents: the raw grep has them.
        if doc.load_incremental(&data).is_ok() {
            out.extend(doc.save_nocompress());
        }
    }
    pool.close().await;
    out
}

/// Every row of every table of the PostgreSQL schema, as text.
async fn pg_rows(url: &str) -> String {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = String::new();
    for t in tables {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM \"{t}\" t"
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        out.extend(rows);
    }
    pool.close().await;
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_erased_customer_is_in_no_stored_byte_of_hub_or_phones() {
    let field = Field::start(&[]).await;
    let store = field.hub.store.clone();
    let state = field.hub.state.clone();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = field.phone(&dir_a, "A").await;
    let b = field.phone(&dir_b, "B").await;

    // Zdeňka is entered, renamed, measured (with a note) and ordered for; Petr stays.
    let (x, y) = (ClientId::new(), ClientId::new());
    let zdena = client("Zdena", "Vymazalová", "603 111 222", "zdenka.v@example.cz");
    a.save_client(x, &zdena).await.unwrap();
    let zdenka = ClientRecord {
        first_name: "Zdeňka".into(),
        ..zdena.clone()
    };
    a.edit_client(x, &zdena, &zdenka).await.unwrap().unwrap();
    let petr = client("Petr", KEPT, "604 333 444", "petr@example.cz");
    a.save_client(y, &petr).await.unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    a.save_prescription(&Prescription {
        id: PrescriptionId::new(),
        client: x,
        right: EyeRx {
            sph: Diopters::from_hundredths(-225),
            ..EyeRx::default()
        },
        left: EyeRx::default(),
        pd_binocular_mm: None,
        measured_by: "Bc. Jana Horáková".into(),
        measured_on: today,
        valid_until: today + time::Duration::days(730),
        note: "paní Vymazalová: suché oči".into(),
    })
    .await
    .unwrap();
    let order = OrderId::new();
    a.take_order(
        order,
        &OrderRecord {
            client: x.to_string(),
            variable_symbol: "9000100077".into(),
            status: "intake".into(),
            note: "zavolat Vymazalové po 17h".into(),
            lines: vec![fieldcase_shared::docs::records::LineRecord {
                id: uuid::Uuid::now_v7().to_string(),
                kind: "service".into(),
                product: None,
                text: "Měření zraku".into(),
                quantity: 1,
                unit_price: 50_000,
                vat_bp: 2100,
                discount: 0,
            }],
            created_at: "2026-11-25T10:05:00Z".into(),
            ..OrderRecord::default()
        },
    )
    .await
    .unwrap();
    eventually("the phone's records in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store.order_status(order).await.unwrap().is_some()
                && store.customer_card(y).await.unwrap().is_some()
        }
    })
    .await
    .unwrap();
    store
        .add_customer_note(
            &field.office,
            x,
            ContactKind::CallIn,
            "Volala Zdeňka Vymazalová, chce smazat údaje",
        )
        .await
        .unwrap();
    eventually("phone B has both clients", WAIT, || async {
        b.clients().len() == 2
    })
    .await
    .unwrap();

    // Phone B goes offline and edits both clients.
    b.go_offline();
    b.save_client(
        y,
        &ClientRecord {
            phone: "777 000 111".into(),
            ..petr.clone()
        },
    )
    .await
    .unwrap();
    b.save_client(
        x,
        &ClientRecord {
            note: "Vymazalová volala znovu".into(),
            ..zdenka.clone()
        },
    )
    .await
    .unwrap();

    // Refusals: nothing changes.
    let office = &field.office;
    let refused = erase(&state, office, Role::Office, x, "žádost").await;
    assert!(matches!(refused, Err(EraseError::Forbidden)), "{refused:?}");
    let refused = erase(&state, office, Role::Admin, x, "  ").await;
    assert!(matches!(refused, Err(EraseError::Reason)), "{refused:?}");
    let refused = erase(&state, office, Role::Admin, x, "žádost zákazníka").await;
    let Err(EraseError::OpenOrders(open)) = refused else {
        panic!("an order in progress holds the erasure: {refused:?}");
    };
    assert_eq!(open, vec!["9000100077".to_owned()]);
    assert!(
        store.customer_card(x).await.unwrap().unwrap().last_name == "Vymazalová",
        "nothing erased by a refusal"
    );
    let unknown = erase(&state, office, Role::Admin, ClientId::new(), "žádost").await;
    assert!(matches!(unknown, Err(EraseError::NotFound)));

    // The order is cancelled; the erasure goes through.
    state
        .sync
        .set_order_status(office, Role::Office, order, OrderStatus::Cancelled)
        .await
        .unwrap();
    let done = erase(
        &state,
        office,
        Role::Admin,
        x,
        "žádost zákazníka 4. 12. 2026",
    )
    .await
    .unwrap();
    assert_eq!(
        (
            done.erased.clients,
            done.erased.prescriptions,
            done.workspaces
        ),
        (1, 1, 1)
    );
    let card = store.customer_card(x).await.unwrap().unwrap();
    assert_eq!(card.last_name, fieldcase_shared::docs::rewrite::ERASED_NAME);
    assert!(card.phone.is_empty() && card.email.is_empty() && card.prescriptions.is_empty());
    assert!(card.notes.is_empty(), "notes and calls are gone");

    // Phone A, online, is told its workspace moved and moves.
    eventually("phone A told the workspace moved", WAIT, || async {
        a.moved_to().is_some()
    })
    .await
    .unwrap();
    assert!(!a.is_revoked(), "a moved workspace is no revocation");
    let a = a.switch_workspace().await.unwrap();
    // Phone B comes back, is told, and carries Petr's new phone over.
    b.go_online().unwrap();
    eventually("phone B told the workspace moved", WAIT, || async {
        b.moved_to().is_some()
    })
    .await
    .unwrap();
    let b = b.switch_workspace().await.unwrap();
    let petr_now = |records: Vec<(ClientId, ClientRecord)>| {
        records
            .into_iter()
            .find(|(id, _)| *id == y)
            .map(|(_, c)| c.phone)
            .unwrap_or_default()
    };
    assert_eq!(petr_now(b.clients()), "777 000 111");
    eventually("Petr's new phone at the hub and on phone A", WAIT, || {
        let store = store.clone();
        let a = &a;
        async move {
            store.customer_card(y).await.unwrap().unwrap().phone == "777 000 111"
                && petr_now(a.clients()) == "777 000 111"
        }
    })
    .await
    .unwrap();
    for phone in [&a, &b] {
        let erased = phone
            .clients()
            .into_iter()
            .find(|(id, _)| *id == x)
            .unwrap()
            .1;
        assert_eq!(
            erased.last_name,
            fieldcase_shared::docs::rewrite::ERASED_NAME
        );
        assert!(
            erased.note.is_empty(),
            "B's offline edit of the erased client is dropped"
        );
    }
    assert_eq!(
        store.customer_card(x).await.unwrap().unwrap().note,
        "",
        "and never reaches SQL"
    );

    // Everything stops and flushes; then every stored byte is searched.
    let url = field.database_url();
    a.close().await;
    b.close().await;
    field.hub.stop().await.unwrap();
    let mut stores: Vec<(String, Vec<u8>)> = Vec::new();
    for (dir, query) in [
        (dir_a.path().to_owned(), "SELECT data FROM chunks"),
        (dir_b.path().to_owned(), "SELECT data FROM chunks"),
    ] {
        for file in files(&dir) {
            stores.push((file.display().to_string(), std::fs::read(&file).unwrap()));
        }
        stores.push((
            format!("{} (Automerge, uncompressed)", dir.display()),
            chunks_uncompressed(&dir.join("device.db"), query).await,
        ));
    }
    if let Some(path) = url.strip_prefix("sqlite://") {
        let db = PathBuf::from(path);
        for file in files(db.parent().unwrap()) {
            stores.push((file.display().to_string(), std::fs::read(&file).unwrap()));
        }
        stores.push((
            "hub sync_chunks (Automerge, uncompressed)".into(),
            chunks_uncompressed(&db, "SELECT data FROM sync_chunks").await,
        ));
    } else {
        stores.push((
            "hub rows (PostgreSQL)".into(),
            pg_rows(&url).await.into_bytes(),
        ));
    }
    for (name, bytes) in &stores {
        for needle in GONE {
            assert!(!contains(bytes, needle), "{needle:?} found in {name}");
        }
    }
    for kind in ["hub", "Automerge, uncompressed"] {
        assert!(
            stores
                .iter()
                .filter(|(n, _)| n.contains(kind) || (kind == "hub" && n.contains("test.db")))
                .any(|(_, b)| contains(b, KEPT)),
            "the control: {KEPT:?} is found in the {kind} bytes"
        );
    }
}
