//! `fieldcase-mobile preview --dir DIR --listen 127.0.0.1:0`: the adviser's app in a
//! phone-sized browser, served over Dioxus LiveView on localhost, with its own
//! device data folder. Prints `fieldcase-mobile preview: http://…` when ready.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use anyhow::Context;
use axum::Router;
use axum::extract::{State, WebSocketUpgrade};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use clap::{Parser, Subcommand};
use dioxus::prelude::*;
use fieldcase_device::Device;
use fieldcase_mobile::{App, AppProps, Phone};

/// The adviser's app.
#[derive(Debug, Parser)]
#[command(name = "fieldcase-mobile", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app to a browser on this machine (LiveView), for a phone-sized
    /// window or tests.
    Preview {
        /// The device's data folder (created if missing).
        #[arg(long)]
        dir: PathBuf,
        /// Address to listen on (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
    },
}

#[derive(Clone)]
struct Preview {
    phone: Phone,
    pool: dioxus_liveview::LiveViewPool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let Command::Preview { dir, listen } = Cli::parse().command;
    let device = Device::open(&dir)
        .await
        .with_context(|| format!("opening the device in {}", dir.display()))?;
    if let Some(d) = &device {
        // An enrolled phone syncs whenever it can; the app never waits for it.
        d.go_online()?;
    }
    let phone = Phone {
        dir,
        device: Arc::new(RwLock::new(device.map(Arc::new))),
    };
    let state = Preview {
        phone,
        pool: dioxus_liveview::LiveViewPool::new(),
    };
    let app = Router::new()
        .route("/", get(shell))
        .route("/live", get(live))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    println!(
        "fieldcase-mobile preview: http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}

async fn shell() -> impl IntoResponse {
    let glue = dioxus_liveview::interpreter_glue("/live");
    Html(format!(
        "<!doctype html><html lang=\"cs\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>fieldcase</title></head><body><div id=\"main\"></div>\
         <script>document.addEventListener('submit',function(e){{e.preventDefault();}},true);</script>\
         {glue}</body></html>"
    ))
}

async fn live(State(state): State<Preview>, ws: WebSocketUpgrade) -> impl IntoResponse {
    ws.on_upgrade(move |socket| async move {
        let phone = state.phone.clone();
        let result = state
            .pool
            .launch_virtualdom(dioxus_liveview::axum_socket(socket), move || {
                VirtualDom::new_with_props(App, AppProps { phone })
            })
            .await;
        if let Err(err) = result {
            tracing::debug!(?err, "preview page closed");
        }
    })
}
