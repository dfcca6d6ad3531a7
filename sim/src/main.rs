//! `fieldcase-sim`: many advisers' phones against a running hub (or, with
//! `--reference`, a plain automerge-repo sync server); reports latencies, bytes and
//! the server's memory and CPU. Against our hub it needs the hub's database
//! settings (the same flags and `fieldcase.toml`) to create the simulated advisers
//! and their enrolment codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The simulator's command line.
#[derive(Debug, Parser)]
#[command(name = "fieldcase-sim", version, about)]
struct Cli {
    /// The hub's configuration file (default: ./fieldcase.toml if present).
    #[arg(long, env = "FIELDCASE_CONFIG")]
    config: Option<PathBuf>,
    /// The hub's data directory.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The hub's database URL.
    #[arg(long)]
    database_url: Option<String>,
    #[command(flatten)]
    sim: fieldcase_sim::SimArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let store = if cli.sim.reference {
        None
    } else {
        let config = fieldcase_server::cli::load_config_with(
            cli.config.as_deref(),
            cli.data_dir,
            cli.database_url,
        )?;
        Some(fieldcase_server::cli::open_store(&config).await?)
    };
    let report = fieldcase_sim::run(&cli.sim, store).await?;
    println!("{}", fieldcase_sim::render(&report));
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
