//! The projector's reads per batch do not grow with the number of records a change
//! touches: it reads what the hub accepted in one query per kind (its writes are
//! still one statement per row, in one transaction). Counted from sqlx's own
//! statement events (target `sqlx::query`) inside the projector's `projection`
//! span, so nothing else the hub or the test does counts. Alone in its test
//! binary: it installs the process's tracing subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use fieldcase_shared::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord};
use fieldcase_shared::docs::records::{self, ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId};
use fieldcase_tests::device::eventually;
use fieldcase_tests::world::{WAIT, world};
use tracing::Subscriber;
use tracing::span::{Attributes, Id};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// What a projection step may read, one query each: the merged clients among those
/// named, accepted statuses, accepted pricing, the earliest time an arriving order
/// can have been taken (the devices' previous connections), price histories, the
/// orders' customers' price terms, coupons, the payout balance, judged payout
/// requests, the orders of touched clients, for the search index the orders, their
/// lines, their notes and their index keys, and for the orders' history the rows SQL
/// held, their lines and the adviser's user. (Customers in a discount tier add the
/// tiers and the products' classes; this test has none.)
const READ_KINDS: usize = 17;

/// Reads and writes counted per `projection` span, recorded when the span closes.
#[derive(Clone, Default)]
struct Counter(Arc<Mutex<Vec<Queries>>>);

#[derive(Debug, Clone, Copy, Default)]
struct Queries {
    reads: usize,
    writes: usize,
}

/// The statement's summary (its first words) from a sqlx event.
#[derive(Default)]
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Counter {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() == "projection"
            && let Some(span) = ctx.span(id)
        {
            span.extensions_mut().insert(Queries::default());
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary::default();
        event.record(&mut summary);
        let read = summary
            .0
            .trim_start_matches('"')
            .to_uppercase()
            .starts_with("SELECT");
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope {
                if let Some(q) = span.extensions_mut().get_mut::<Queries>() {
                    if read {
                        q.reads += 1;
                    } else {
                        q.writes += 1;
                    }
                    return;
                }
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(q) = span.extensions().get::<Queries>()
        {
            self.0.lock().unwrap().push(*q);
        }
    }
}

fn order(client: ClientId, vs: String) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: vs.clone(),
        status: "intake".into(),
        // A product and a coupon of its own: the re-pricing lookups (price
        // histories, coupons) are counted too.
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            product: Some(uuid::Uuid::now_v7().to_string()),
            text: "Obruba".into(),
            quantity: 1,
            unit_price: 100_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        coupon: format!("K{vs}"),
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    }
}

/// Writes `n` orders (and as many payout requests) in one change; returns the
/// queries of the projection steps that took it.
async fn one_change(
    counter: &Counter,
    ws: &samod::DocHandle,
    store: &Arc<dyn fieldcase_server::store::Store>,
    client: ClientId,
    n: usize,
    first_vs: usize,
) -> Vec<Queries> {
    counter.0.lock().unwrap().clear();
    let ids: Vec<OrderId> = (0..n).map(|_| OrderId::new()).collect();
    ws.with_document(|doc| {
        doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
            for (i, id) in ids.iter().enumerate() {
                records::put(
                    tx,
                    records::ORDERS,
                    &id.to_string(),
                    &order(client, format!("9000{:06}", first_vs + i)),
                )?;
                records::put(
                    tx,
                    PAYOUT_REQUESTS,
                    &uuid::Uuid::now_v7().to_string(),
                    &PayoutRequestRecord {
                        amount: 100,
                        requested_at: "2026-11-25T10:00:00Z".into(),
                        ..Default::default()
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    });
    let last = *ids.last().unwrap();
    eventually("the orders in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(last).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    // The step that projected them has closed by the time its rows are visible.
    eventually("the projection step closed", WAIT, || {
        let counter = counter.clone();
        async move { !counter.0.lock().unwrap().is_empty() }
    })
    .await
    .unwrap();
    counter.0.lock().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_per_projection_do_not_grow_with_the_records_touched() {
    let counter = Counter::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(counter.clone()))
        .unwrap();
    let w = world().await;
    let adviser = w.advisers[0];
    let phone = w.device(adviser).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    let client = ClientId::new();
    fieldcase_tests::world::write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            first_name: "Dávka".into(),
            created_at: "2026-11-25T10:00:00Z".into(),
            ..Default::default()
        },
    );
    let store = w.hub.store.clone();
    // The client's own step first (a step that also projects a client reads that
    // client's orders for the search index: one more kind, not more per order).
    eventually("the client in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store
                .projection_digest(adviser)
                .await
                .unwrap()
                .contains("Dávka")
        }
    })
    .await
    .unwrap();
    let one = one_change(&counter, &ws, &store, client, 1, 1).await;
    let forty = one_change(&counter, &ws, &store, client, 40, 100).await;
    let most_reads = |steps: &[Queries]| steps.iter().map(|q| q.reads).max().unwrap_or(0);
    assert!(most_reads(&one) > 0, "reads are counted: {one:?}");
    // Which kinds a step touches varies with how the hub batches the changes (a
    // step may or may not include the client, or the hub's own corrections), so the
    // bound is: never more than one read per kind, with 1 order or with 40 (reads
    // per record would be at least 40).
    assert!(
        most_reads(&forty) <= READ_KINDS,
        "one change with 40 orders and 40 payout requests reads at most once per kind \
         (per step: {one:?} vs {forty:?})"
    );
    assert!(
        most_reads(&one) <= READ_KINDS,
        "at most one read per kind in a step: {one:?}"
    );
    eprintln!("projection steps, 1 order: {one:?}; 40 orders: {forty:?}");
    w.hub.stop().await.unwrap();
}
