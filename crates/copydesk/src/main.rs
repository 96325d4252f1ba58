//! The `copydesk` binary: parses the command line, picks the workspace and the database,
//! calls the service layer and prints. Everything else lives in the library crates.

#![allow(clippy::print_stdout)]

mod cli;
mod commands;
mod demo;
mod failure;
mod init;
mod input;
mod render;
mod workspace;

use std::process::ExitCode;

use clap::Parser;

use cli::Cli;
use commands::Globals;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copydesk: {e:#}");
            ExitCode::from(failure::exit_code(&e))
        }
    }
}

pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let globals = Globals {
        workspace: cli.workspace,
        database_url: cli.database_url,
        actor: cli.actor,
        format: cli.format,
    };
    commands::dispatch(&globals, cli.command)
}
