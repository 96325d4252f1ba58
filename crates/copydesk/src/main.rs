//! The `copydesk` binary: parses the command line, picks the workspace and the database,
//! calls the service layer and prints. Everything else lives in the library crates.

#![allow(clippy::print_stdout)]

mod assist;
mod assist_seo;
mod check;
mod cli;
mod commands;
mod demo;
mod experiment;
mod experiment_workflow;
mod failure;
mod in_order;
mod init;
mod input;
mod integrations;
mod render;
mod serve;
mod workspace;

use std::process::ExitCode;

// The guardrails allocate many short strings per finding; mimalloc halves what the system
// allocator costs there (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use cli::Cli;
use commands::Globals;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}");
            // a silent failure carries only its exit code (findings were already printed)
            if !message.is_empty() {
                eprintln!("copydesk: {message}");
            }
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
    match cli.command {
        cli::TopCommand::Workflow(command) => commands::dispatch(&globals, command),
        cli::TopCommand::Experiment(cmd) => experiment::run(cmd, &globals),
    }
}
