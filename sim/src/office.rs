//! The office's side of an in-process simulation: a hub served from inside the
//! simulator and the office moving each adviser's order along its workflow.

use super::*;

/// The office's workflow an order walks in the simulation.
const WORKFLOW: [fieldcase_shared::OrderStatus; 8] = {
    use fieldcase_shared::OrderStatus::*;
    [
        Intake,
        Confirmed,
        LensesOrdered,
        InLab,
        QualityCheck,
        ReadyForPickup,
        Delivered,
        Closed,
    ]
};

/// Moves the adviser's order one step along [`WORKFLOW`] every `every`, through the
/// office's path (`SyncHub::set_order_status`), and times its arrival on the phone.
pub(crate) async fn office_loop(
    sync: &fieldcase_server::sync::SyncHub,
    pair: &Pair,
    phase: Duration,
    every: Duration,
    deadline: Instant,
    drain: Duration,
    fan_out: &Mutex<Vec<Option<f64>>>,
) -> anyhow::Result<()> {
    let Some(order) = pair.order else {
        return Ok(());
    };
    let actor = Actor::system("sim-office");
    let key = order.to_string();
    let mut next = Instant::now() + phase + every / 2;
    for to in WORKFLOW.iter().skip(1) {
        if next >= deadline {
            break;
        }
        tokio::time::sleep_until(next.into()).await;
        next += every;
        let mut arrivals = pair.writer.workspace().changes();
        let started = Instant::now();
        sync.set_order_status(&actor, fieldcase_shared::Role::Admin, order, *to)
            .await
            .map_err(|e| anyhow::anyhow!("office status change: {e}"))?;
        let writer = pair.writer.workspace().clone();
        let seen = tokio::time::timeout(deadline + drain - Instant::now(), async {
            loop {
                let status = writer.with_document(|d| {
                    records::get::<records::OrderRecord>(d, records::ORDERS, &key)
                        .ok()
                        .flatten()
                        .map(|o| o.status)
                });
                if status.as_deref() == Some(to.code()) {
                    return Some(started.elapsed().as_secs_f64() * 1000.0);
                }
                arrivals.next().await?;
            }
        })
        .await
        .ok()
        .flatten();
        fan_out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(seen);
    }
    Ok(())
}

/// A hub served from inside the simulator, on a free loopback port.
pub(crate) struct InProcessHub {
    pub(crate) url: String,
    pub(crate) state: fieldcase_server::AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl InProcessHub {
    pub(crate) async fn start(store: Arc<dyn Store>) -> anyhow::Result<InProcessHub> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let config = fieldcase_server::Config {
            listen: addr,
            ..fieldcase_server::Config::default()
        };
        let state = fieldcase_server::AppState::start(store, config).await?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(fieldcase_server::http::serve(
            listener,
            state.clone(),
            async move {
                let _ = stopped.await;
            },
        ));
        Ok(InProcessHub {
            url: format!("http://{addr}"),
            state,
            stop,
            task,
        })
    }

    /// Each writer takes one order (as at a client's table); returns once the
    /// office can see them all.
    pub(crate) async fn take_orders(&self, pairs: &mut [Pair]) -> anyhow::Result<()> {
        for (i, pair) in pairs.iter_mut().enumerate() {
            let client = ClientId::new();
            pair.writer
                .save_client(
                    client,
                    &ClientRecord {
                        first_name: "Objednávka".into(),
                        last_name: format!("Simulace {i}"),
                        ..Default::default()
                    },
                )
                .await?;
            let order = fieldcase_shared::OrderId::new();
            pair.writer
                .take_order(
                    order,
                    &records::OrderRecord {
                        client: client.to_string(),
                        variable_symbol: format!("9{i:09}"),
                        status: WORKFLOW[0].code().into(),
                        lines: vec![records::LineRecord {
                            id: uuid::Uuid::now_v7().to_string(),
                            kind: "frame".into(),
                            text: "Simulace".into(),
                            quantity: 1,
                            unit_price: 100_000,
                            vat_bp: 2100,
                            ..Default::default()
                        }],
                        ..Default::default()
                    },
                )
                .await?;
            pair.order = Some(order);
        }
        let started = Instant::now();
        for pair in pairs.iter() {
            let Some(order) = pair.order else { continue };
            while self.state.store.order_status(order).await?.is_none() {
                anyhow::ensure!(
                    started.elapsed() < Duration::from_secs(300),
                    "orders did not reach the office"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Ok(())
    }

    pub(crate) async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await??;
        Ok(())
    }
}
