//! The `fieldcase` command line: `serve`, `migrate`, `demo`, `user add`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use fieldcase_shared::Role;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};
use crate::store::{Actor, HubStore, SqlStore, Store, redact_url};
use crate::{demo, http};

/// fieldcase hub: offline-first sync for field advisers plus the office web app.
#[derive(Debug, Parser)]
#[command(name = "fieldcase", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: ./fieldcase.toml if present).
    #[arg(long, global = true, env = "FIELDCASE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory (overrides `data_dir`).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL, `sqlite://…` or `postgres://…` (overrides `database_url`).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Address to listen on, e.g. 127.0.0.1:8080 (overrides `listen`).
    #[arg(long, global = true)]
    pub listen: Option<std::net::SocketAddr>,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the hub (office web app, sync, API) until Ctrl-C or SIGTERM.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Seed a realistic demo network (idempotent), then serve it.
    Demo(DemoArgs),
    /// Manage staff users.
    #[command(subcommand)]
    User(crate::network::cli::UserCommand),
    /// Staff API keys for /api/v1.
    #[command(subcommand)]
    ApiKey(crate::api::cli::ApiKeyCommand),
    /// Customers: find, add the office's own.
    #[command(subcommand)]
    Customer(crate::customers::cli::CustomerCommand),
    /// The bank: FIO accounts, downloads, movements and their decisions.
    #[command(subcommand)]
    Money(crate::money::cli::MoneyCommand),
    /// Exports to the company's accounts (Pohoda).
    #[command(subcommand)]
    Export(crate::money::pohoda::cli::ExportCommand),
    /// Advisers' commission ledgers.
    #[command(subcommand)]
    Commission(crate::commission::cli::CommissionCommand),
    /// Discount coupons.
    #[command(subcommand)]
    Coupon(CouponCommand),
    /// Customers' notifications: triggers, templates, the outbox.
    #[command(subcommand)]
    Notify(crate::care::cli::NotifyCommand),
    /// Complaints: list, decide, note.
    #[command(subcommand)]
    Complaint(crate::complaints::cli::ComplaintCommand),
    /// Campaigns to segments: list, create, launch, stop, report.
    #[command(subcommand)]
    Campaign(crate::campaigns::cli::CampaignCommand),
    /// Eye-exam bookings: opening hours, closed days, shifts, slots, approve, cancel.
    #[command(subcommand)]
    Booking(crate::bookings::cli::BookingCommand),
    /// The catalog's products.
    #[command(subcommand)]
    Catalog(crate::catalog::price::CatalogCommand),
    /// Discount tiers, customers' price terms and products' discount classes.
    #[command(subcommand)]
    Pricing(crate::catalog::pricing_cli::PricingCommand),
    /// Advisers' devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Rebuild the SQL projections (clients, prescriptions, orders) from the
    /// workspace documents, then exit.
    RebuildProjections,
    /// Print an adviser's projected rows (clients, prescriptions, orders, lines,
    /// case movements) as text, to compare or to check what the office sees.
    Projection {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
    },
}

/// `coupon` subcommands.
#[derive(Debug, Subcommand)]
pub enum CouponCommand {
    /// Create or change a coupon (audited). Phones get it when they next connect.
    Add {
        #[command(flatten)]
        coupon: Box<crate::catalog::coupons::CouponArgs>,
        /// E-mail of the staff user (recorded in the audit log).
        #[arg(long)]
        by: String,
    },
    /// List the coupons with their terms and how many orders used each
    /// (tab-separated: code, off, last day, active, uses, limit).
    List,
}

/// `device` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Issue a one-time enrolment code (valid 15 minutes) for an adviser's phone,
    /// the same as "Enrol a device" in the office. Prints the code.
    Code {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
        /// E-mail of the staff user issuing the code (recorded in the audit log).
        #[arg(long)]
        by: String,
    },
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Only seed; do not start the server.
    #[arg(long)]
    pub no_serve: bool,
    /// Seed a small network (for quick tries and tests) instead of the full one.
    #[arg(long)]
    pub small: bool,
}

/// Runs the CLI; errors are printed as one clear message with exit code 1
/// (2 for usage errors, from clap).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load_config(&cli) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("fieldcase: {err:#}");
            return ExitCode::from(1);
        }
    };
    init_tracing(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("fieldcase: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fieldcase: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// The configuration as the hub would load it: defaults, the file, the
/// environment, then these flags (also used by `fieldcase-sim`).
pub fn load_config_with(
    config: Option<&std::path::Path>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
) -> anyhow::Result<Config> {
    let mut loaded = Config::load(config)?;
    if let Some(dir) = data_dir {
        loaded.data_dir = dir;
    }
    if let Some(url) = database_url {
        loaded.database_url = url;
    }
    Ok(loaded)
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let mut config = load_config_with(
        cli.config.as_deref(),
        cli.data_dir.clone(),
        cli.database_url.clone(),
    )?;
    if let Some(listen) = cli.listen {
        config.listen = listen;
    }
    Ok(config)
}

fn init_tracing(config: &Config) {
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&config.log));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colour codes only for a person at a terminal, never into a log file or pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Connects to the configured database (creating the data directory for SQLite)
/// and applies migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database_url();
    if url.starts_with("sqlite:") && config.database_url.is_empty() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let store = SqlStore::connect(&url)
        .await
        .with_context(|| format!("cannot connect to the database at {}", redact_url(&url)))?;
    store
        .migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(Arc::new(store))
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            open_store(&config).await?;
            println!(
                "migrations applied to {}",
                redact_url(&config.database_url())
            );
            Ok(())
        }
        Command::Serve => {
            let store = open_store(&config).await?;
            serve(store, config, None).await
        }
        Command::Demo(args) => {
            let store = open_store(&config).await?;
            let scale = if args.small {
                demo::Scale::SMALL
            } else {
                demo::Scale::FULL
            };
            let summary =
                demo::seed(store.as_ref(), scale, std::io::stderr().is_terminal()).await?;
            demo::bank::seed(
                store.as_ref(),
                &crate::money::connection::Bank::new(&config),
            )
            .await?;
            if !summary.already_seeded {
                // The seeded past (orders moved on, payments matched) is not news:
                // its events tell nobody.
                store.close_open_events().await?;
            }
            if summary.already_seeded {
                eprintln!("demo data already present; nothing added");
            } else {
                eprintln!(
                    "demo seeded in {:.1} s: {} products, {} clients, {} orders",
                    summary.seconds, summary.products, summary.clients, summary.orders
                );
            }
            if args.no_serve {
                return Ok(());
            }
            let mut config = config;
            if !config.has_payee() {
                // The demo's phones show QR codes to the standard's example account.
                config.payee_iban = crate::config::DEMO_PAYEE_IBAN.into();
                config.payee_name = crate::config::DEMO_PAYEE_NAME.into();
            }
            if config.company_ico.is_empty() {
                // The demo company's made-up identification for its tax documents.
                config.company_ico = "12345678".into();
                config.company_dic = "CZ12345678".into();
                config.company_street = "Masarykova 12".into();
                config.company_city = "Brno".into();
                config.company_postal_code = "602 00".into();
            }
            serve(store, config, Some(demo::banner)).await
        }
        Command::Projection { adviser } => {
            let store = open_store(&config).await?;
            let id = crate::field::adviser_by_code(store.as_ref(), &adviser)
                .await?
                .id;
            print!("{}", store.projection_digest(id).await?);
            Ok(())
        }
        Command::RebuildProjections => {
            let store = open_store(&config).await?;
            let sync = crate::sync::SyncHub::start(store).await?;
            let started = std::time::Instant::now();
            let count = sync.rebuild_projections().await?;
            sync.stop().await;
            println!(
                "rebuilt the projections of {count} workspaces in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Notify(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::care::cli::run(store.as_ref(), &config, command, staff).await?
            );
            Ok(())
        }
        Command::Complaint(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::complaints::cli::run(store.as_ref(), command, staff).await?
            );
            Ok(())
        }
        Command::Campaign(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::campaigns::cli::run(store.as_ref(), &config, command, staff).await?
            );
            Ok(())
        }
        Command::Booking(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::bookings::cli::run(store.as_ref(), command, staff).await?
            );
            Ok(())
        }
        Command::Commission(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::commission::cli::run(store.as_ref(), &config, command, staff).await?
            );
            Ok(())
        }
        Command::Catalog(crate::catalog::price::CatalogCommand::Price {
            sku,
            price,
            vat_bp,
            from,
            by,
        }) => {
            let store = open_store(&config).await?;
            let staff = staff_user(store.as_ref(), &by).await?;
            let input = crate::catalog::price::NewPrice {
                sku: &sku,
                price: &price,
                vat_bp,
                from: from.as_deref(),
            };
            let id = crate::catalog::price::set_price(store.as_ref(), &Actor::user(&staff), &input)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{id}");
            Ok(())
        }
        Command::Catalog(crate::catalog::price::CatalogCommand::Import { file, dry_run, by }) => {
            let store = open_store(&config).await?;
            let staff = staff_user(store.as_ref(), &by).await?;
            crate::catalog::import::run_cli(store.as_ref(), &Actor::user(&staff), &file, dry_run)
                .await
        }
        Command::Coupon(CouponCommand::Add { coupon, by }) => {
            let store = open_store(&config).await?;
            let staff = staff_user(store.as_ref(), &by).await?;
            let code =
                crate::catalog::coupons::add(store.as_ref(), &Actor::user(&staff), *coupon).await?;
            println!("{code}");
            Ok(())
        }
        Command::Coupon(CouponCommand::List) => {
            let store = open_store(&config).await?;
            print!("{}", crate::catalog::coupons::list(store.as_ref()).await?);
            Ok(())
        }
        Command::Device(DeviceCommand::Code { adviser, by }) => {
            let store = open_store(&config).await?;
            let code = issue_code(store.as_ref(), &adviser, &by).await?;
            println!("{code}");
            Ok(())
        }
        Command::ApiKey(command) => {
            let store = open_store(&config).await?;
            crate::api::cli::run(store.as_ref(), command).await
        }
        Command::Pricing(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| Ok(Actor::user(&staff_user(store.as_ref(), by).await?));
            print!(
                "{}",
                crate::catalog::pricing_cli::run(store.as_ref(), command, staff).await?
            );
            Ok(())
        }
        Command::Money(command) => {
            let store = open_store(&config).await?;
            let bank = crate::money::bank::Bank::new(&config);
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            print!(
                "{}",
                crate::money::cli::run(store.as_ref(), &bank, &config, command, staff).await?
            );
            Ok(())
        }
        Command::Export(command) => {
            let store = open_store(&config).await?;
            let staff = async |by: &str| staff_actor(store.as_ref(), by).await;
            let out =
                crate::money::pohoda::cli::run(store.as_ref(), &config, command, staff).await?;
            std::io::Write::write_all(&mut std::io::stdout(), &out)?;
            Ok(())
        }
        Command::Customer(command) => {
            let store = open_store(&config).await?;
            print!(
                "{}",
                crate::customers::cli::run(store.as_ref(), command).await?
            );
            Ok(())
        }
        Command::User(crate::network::cli::UserCommand::Add {
            email,
            name,
            role,
            shop,
        }) => {
            let store = open_store(&config).await?;
            crate::network::cli::add_user(store.as_ref(), &email, &name, &role, shop.as_deref())
                .await
        }
    }
}

async fn serve(
    store: Arc<dyn Store>,
    config: Config,
    banner: Option<fn(&str) -> String>,
) -> anyhow::Result<()> {
    // Signal handlers first: from the moment the address is printed, SIGTERM must
    // mean a graceful stop.
    let shutdown = http::shutdown_signal();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let url = if config.public_url.is_empty() {
        format!("http://{addr}")
    } else {
        config.public_url()
    };
    tracing::info!(%addr, database = store.backend().name(), "fieldcase hub listening");
    if let Some(banner) = banner {
        println!("{}", banner(&url));
    } else {
        println!("fieldcase hub listening on {url}");
    }
    let state = crate::state::AppState::start(store.clone(), config).await?;
    let reminders = crate::customers::reminders::every_hour(state.clone());
    let bank = crate::money::poller::spawn(state.clone());
    let pohoda = crate::money::pohoda::job::spawn(state.clone());
    let accrual = crate::commission::accrue::spawn(state.clone());
    let notifications = crate::care::dispatch::spawn(store.clone(), state.config.clone());
    http::serve(listener, state, shutdown).await?;
    reminders.abort();
    bank.abort();
    pohoda.abort();
    accrual.abort();
    notifications.abort();
    store_close(store).await;
    Ok(())
}

async fn store_close(store: Arc<dyn Store>) {
    // Nothing to flush beyond what the pools do on drop; kept as the one place to do it.
    drop(store);
}

async fn issue_code(store: &dyn Store, adviser_code: &str, by: &str) -> anyhow::Result<String> {
    let (issuer, _) = store
        .find_login(by)
        .await?
        .with_context(|| format!("no user with e-mail {by:?}"))?;
    if !issuer.active || issuer.role == Role::Adviser {
        bail!("{by} may not issue enrolment codes (inactive or not staff)");
    }
    let adviser = crate::field::adviser_by_code(store, adviser_code).await?;
    let issued =
        crate::field::enrolment::issue_code(store, &Actor::user(&issuer), adviser.id).await?;
    Ok(issued.code)
}

/// The active staff user with e-mail `by` (commands act in their name).
/// The staff user `by` acting, with their role.
async fn staff_actor(store: &dyn Store, by: &str) -> anyhow::Result<(Actor, Role)> {
    let user = staff_user(store, by).await?;
    Ok((Actor::user(&user), user.role))
}

async fn staff_user(store: &dyn Store, by: &str) -> anyhow::Result<crate::store::User> {
    let (staff, _) = store
        .find_login(by)
        .await?
        .with_context(|| format!("no user with e-mail {by:?}"))?;
    if !staff.active || staff.role == Role::Adviser {
        bail!("{by} may not do this (inactive or not staff)");
    }
    Ok(staff)
}
