//! The `fieldcase` binary: a thin shell over [`fieldcase_server::cli`].

fn main() -> std::process::ExitCode {
    fieldcase_server::cli::main()
}
