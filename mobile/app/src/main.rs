//! The adviser's app.
//!
//! - `fieldcase-mobile preview --dir DIR --listen 127.0.0.1:0`: in a phone-sized
//!   browser, served over Dioxus LiveView on localhost, with its own device data
//!   folder. Prints `fieldcase-mobile preview: http://…` when ready.
//! - `fieldcase-mobile window --dir DIR` (feature `desktop`): in a desktop window.
//! - Built with the feature `mobile` for a phone (dx bundle), it starts the app
//!   straight away with the platform's data folder.

#![cfg_attr(feature = "mobile", allow(dead_code, unused_imports))]

use std::path::PathBuf;

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
        /// A push token to register with the hub, as `platform:token` (what FCM
        /// hands the app on a phone; for tests of the registration).
        #[arg(long)]
        push_token: Option<String>,
    },
    /// Open the app in a desktop window (phone-sized, 390×844).
    #[cfg(feature = "desktop")]
    Window {
        /// The device's data folder (created if missing).
        #[arg(long)]
        dir: PathBuf,
        /// Open on the client list instead of Today.
        #[arg(long)]
        clients: bool,
        /// Print the time from start to the client list in the page, then exit
        /// (the cold-start benchmark, bench/mobile-start.sh).
        #[arg(long)]
        exit_on_client_list: bool,
    },
}

#[derive(Clone)]
struct Preview {
    phone: Phone,
    pool: dioxus_liveview::LiveViewPool,
}

fn logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        // The lines also go into the diagnostics report: no colour codes.
        .with_ansi(false)
        .with_writer(fieldcase_mobile::diagnostics::LogRing)
        .init();
}

#[cfg(not(feature = "mobile"))]
fn main() -> anyhow::Result<()> {
    logging();
    match Cli::parse().command {
        Command::Preview {
            dir,
            listen,
            push_token,
        } => tokio::runtime::Runtime::new()?.block_on(preview(dir, listen, push_token)),
        #[cfg(feature = "desktop")]
        Command::Window {
            dir,
            clients,
            exit_on_client_list,
        } => window(dir, clients || exit_on_client_list, exit_on_client_list),
    }
}

/// On a phone: the app's private folder, then straight into the app.
#[cfg(feature = "mobile")]
fn main() -> anyhow::Result<()> {
    logging();
    let dir = if cfg!(target_os = "android") {
        PathBuf::from("/data/data/cz.fieldcase.adviser/files")
    } else {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join("Library/Application Support/fieldcase")
    };
    let rt = tokio::runtime::Runtime::new()?;
    let phone = rt.block_on(open_phone(dir))?;
    let _inside = rt.enter();
    dioxus::LaunchBuilder::mobile()
        .with_context(phone)
        .launch(Root);
    Ok(())
}

/// Opens the device in `dir` (if enrolled) and starts it syncing.
async fn open_phone(dir: PathBuf) -> anyhow::Result<Phone> {
    let device = Device::open(&dir)
        .await
        .with_context(|| format!("opening the device in {}", dir.display()))?;
    if let Some(d) = &device {
        // An enrolled phone syncs whenever it can; the app never waits for it.
        d.go_online()?;
    }
    Ok(Phone::new(dir, device))
}

/// The root for the desktop and phone shells: the app over the phone in context.
#[cfg(any(feature = "desktop", feature = "mobile"))]
#[allow(non_snake_case)]
fn Root() -> Element {
    let phone = use_context::<Phone>();
    rsx! { App { phone } }
}

/// The app in a desktop window the size of a phone. The device's background tasks
/// run on a runtime of their own, kept alive while the window is open.
#[cfg(feature = "desktop")]
fn window(dir: PathBuf, clients: bool, exit_on_client_list: bool) -> anyhow::Result<()> {
    use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
    let started = std::time::Instant::now();
    let rt = tokio::runtime::Runtime::new()?;
    let mut phone = rt.block_on(open_phone(dir))?;
    if clients {
        phone.start = fieldcase_mobile::Screen::Clients;
    }
    phone.exit_on_client_list = exit_on_client_list.then_some(started);
    let _inside = rt.enter();
    let config = Config::new().with_menu(None).with_window(
        WindowBuilder::new()
            .with_title("fieldcase")
            .with_inner_size(LogicalSize::new(390.0, 844.0)),
    );
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(phone)
        .launch(Root);
    Ok(())
}

async fn preview(
    dir: PathBuf,
    listen: std::net::SocketAddr,
    push_token: Option<String>,
) -> anyhow::Result<()> {
    let mut phone = open_phone(dir).await?;
    phone.push_token = match push_token.as_deref().map(|p| p.split_once(':')) {
        None => None,
        Some(Some((platform, token))) => Some((platform.to_owned(), token.to_owned())),
        Some(None) => anyhow::bail!("--push-token is platform:token, e.g. android:abc…"),
    };
    let state = Preview {
        phone,
        pool: dioxus_liveview::LiveViewPool::new(),
    };
    let app = Router::new()
        .route("/", get(shell))
        .route("/live", get(live))
        .route("/push", axum::routing::post(push))
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

/// What the platform's push service does on a phone: wake the app to sync. The
/// preview takes it as `POST /push` so tests can deliver one.
async fn push(State(state): State<Preview>) -> axum::http::StatusCode {
    state.phone.on_push();
    axum::http::StatusCode::NO_CONTENT
}
