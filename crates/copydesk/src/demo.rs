//! `copydesk demo`: the whole workflow, run through the real commands in a fresh workspace.
//! Each step prints the command and its output; the demo fails if any step ends otherwise
//! than the scenario says, so it doubles as a smoke test.

use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::cli::{Cli, DemoArgs};
use crate::failure::exit_code;

const BRIEF: &str = r#"---
title: "Payroll close in one day: Q4 launch post"
channel: blog
objective: demo requests from finance leads
call_to_action: Book a 20-minute payroll demo
deadline: 2026-12-15
reach: owned
regulated_topics: [finance]
collaboration_model: producer
claims:
  - claim: Customers close monthly payroll in one day instead of three
    proof: median close time across 212 customers, Jan–Sep 2026
    source: 2026 customer usage report, product analytics
---
# Payroll close in one day

## Who is this for?
Finance leads at European retailers with 200 to 2,000 employees who run payroll in-house.

## Problem
Month-end payroll takes three days of manual reconciliation between HR and finance exports.

## Current beliefs
Payroll automation is built for enterprises and needs a consultant to set up.

## Desired understanding
A two-person payroll team can switch in a week and close month-end in a day, without outside help.

## Must not sound like
A generic SaaS launch full of superlatives, "unlock growth" and "seamless" promises.
"#;

const INTERVIEW: &str =
    "Ana, payroll lead at a 600-person retailer: \"Before, month-end was three \
days of exporting, matching and chasing HR. Now I run the close on the first morning and I'm \
done by lunch. The setup took us four days, and we didn't call anyone.\"";

const MODEL_DRAFT: &str =
    "# Unlock seamless payroll\n\nIn today's fast-paced world, finance teams \
deserve the best-in-class payroll platform. Our revolutionary solution is guaranteed to cut \
month-end close by 66%.\n\nBook a demo today.\n";

const HUMAN_EDIT: &str =
    "# Close payroll in a day, not three\n\nAna runs payroll for a 600-person \
retailer. Month-end used to take her team three days of exports and matching. Now she starts \
the close on the first morning and is done by lunch.\n\nAcross 212 customers, the median \
monthly close fell from three days to one (2026 customer usage report).\n\nSetting up took \
Ana's team four days, without a consultant.\n\nBook a 20-minute payroll demo.\n";

struct Step {
    actor: &'static str,
    args: Vec<String>,
    expect: u8,
    why: &'static str,
}

fn step(actor: &'static str, args: &str, why: &'static str) -> Step {
    Step {
        actor,
        // the steps are constants below, all valid shell words
        args: shlex::split(args).unwrap_or_default(),
        expect: 0,
        why,
    }
}

fn refused(actor: &'static str, args: &str, why: &'static str) -> Step {
    Step {
        expect: 1,
        ..step(actor, args, why)
    }
}

pub fn run(args: &DemoArgs, database_url: Option<&str>) -> Result<()> {
    let temp;
    let dir = match &args.keep {
        Some(dir) => {
            if dir.join(crate::workspace::CONFIG_FILE).exists() {
                bail!(crate::failure::Failure::input(format!(
                    "{} already holds a workspace: give --keep a new folder",
                    dir.display()
                )));
            }
            dir.clone()
        }
        None => {
            temp = tempfile::tempdir().context("cannot create a temporary folder")?;
            temp.path().to_path_buf()
        }
    };
    std::fs::create_dir_all(dir.join("drafts"))?;
    std::fs::write(dir.join("drafts/brief.md"), BRIEF)?;
    std::fs::write(dir.join("drafts/interview.txt"), INTERVIEW)?;
    std::fs::write(dir.join("drafts/v1-model.md"), MODEL_DRAFT)?;
    std::fs::write(dir.join("drafts/v2-edit.md"), HUMAN_EDIT)?;

    // The steps name files relative to the workspace, as a person typing them would.
    let previous_dir = std::env::current_dir().ok();
    std::env::set_current_dir(&dir).with_context(|| format!("cannot enter {}", dir.display()))?;
    let result = run_steps(&dir, database_url);
    if let Some(previous) = previous_dir {
        let _ = std::env::set_current_dir(previous);
    }
    result?;
    if args.keep.is_some() {
        println!("The workspace is kept in {}.", dir.display());
    } else {
        println!("Done. The temporary workspace is removed; use --keep DIR to inspect it.");
    }
    Ok(())
}

fn run_steps(dir: &Path, database_url: Option<&str>) -> Result<()> {
    println!("copydesk demo in {}\n", dir.display());
    let steps = vec![
        step("admin", "init . --admin admin", "create the workspace, example brand kit and database"),
        step("admin", "brand add acme --name \"Acme Payroll\" --kit brand", "a brand with the example kit"),
        step("admin", "user add alice --brand acme --role strategist", "the strategist"),
        step("admin", "user add bob --brand acme --role editor", "an editor"),
        step("admin", "user add dana --brand acme --role editor", "a second editor"),
        step("admin", "user add carol --brand acme --role compliance", "the compliance officer"),
        step("admin", "user add lee --brand acme --role brand_lead", "the brand lead"),
        step("alice", "brief new --brand acme --file drafts/brief.md", "human decides: the brief comes first"),
        refused("alice", "brief check 1", "the gate: no source material yet, so generation would be refused"),
        step("alice", "source add 1 --kind interview --origin \"customer interview, Ana, 2026-10-02\" --file drafts/interview.txt", "real source material"),
        step("alice", "brief check 1", "now the brief is complete"),
        step("alice", "asset new 1 --title \"Payroll close in one day\" --kind blog", "the asset"),
        step("alice", "version add 1 --file drafts/v1-model.md --model gemma-3-270m --provider llama.cpp --template blog-draft@1 --note \"first draft from the brief\"", "AI assists: a model-written first draft, with provenance"),
        step("bob", "version add 1 --file drafts/v2-edit.md --note \"replaced clichés with Ana's story, sourced the claim\"", "a human edit"),
        step("bob", "asset diff 1 1 2", "what the editor changed"),
        step("bob", "risk explain 1", "why the asset needs the review it gets"),
        step("bob", "review submit 1", "risk routes it to editor → compliance"),
        step("dana", "review queue", "what waits for the second editor"),
        refused("bob", "review approve 1 --proud", "separation of duties: bob edited it, so he cannot approve it"),
        step("dana", "review approve 1 --proud --comment \"clear, sourced, sounds like us\"", "human approves: stage 1"),
        step("carol", "review approve 1 --proud --comment \"claim sourced; no financial advice\"", "human approves: stage 2, compliance"),
        step("lee", "publish 1", "publish the approved asset"),
        step("admin", "asset history 1", "every version kept, with who or what wrote it"),
        step("admin", "audit log --asset 1", "every decision on the record"),
        step("admin", "audit verify", "the chain is intact"),
    ];
    for s in steps {
        let mut argv: Vec<String> = vec![
            "copydesk".into(),
            "--workspace".into(),
            dir.display().to_string(),
            "--as".into(),
            s.actor.into(),
        ];
        if let Some(url) = database_url {
            argv.push("--database-url".into());
            argv.push(url.into());
        }
        argv.extend(s.args.iter().cloned());
        println!("# {}", s.why);
        let shown =
            shlex::try_join(s.args.iter().map(String::as_str)).unwrap_or_else(|_| s.args.join(" "));
        println!("$ copydesk --as {} {shown}", s.actor);
        let cli = Cli::try_parse_from(&argv)
            .with_context(|| format!("demo step is not valid: {}", s.args.join(" ")))?;
        let code = match crate::run(cli) {
            Ok(()) => 0,
            Err(e) => {
                println!("error: {e:#}");
                exit_code(&e)
            }
        };
        if code != 0 {
            println!("(exit {code})");
        }
        println!();
        if code != s.expect {
            bail!(
                "demo step `{}` exited {code}, expected {}",
                s.args.join(" "),
                s.expect
            );
        }
    }
    Ok(())
}
