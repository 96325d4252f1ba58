//! `copydesk seo`: an SEO brief from a keyword list and a brief's source material.

use anyhow::Result;

use crate::cli::SeoArgs;
use crate::commands::Globals;
use crate::failure::Failure;

pub fn run(_globals: &Globals, _args: &SeoArgs) -> Result<()> {
    Err(Failure::input("copydesk seo is being wired up").into())
}
