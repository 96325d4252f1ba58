//! Command-line syntax. Parsing only: what each command does lives in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "copydesk",
    version,
    about = "Human decides, AI assists, human approves: briefs, versions, risk-tiered review and an audit trail for marketing copy",
    after_help = "Exit codes: 0 ok, 1 a rule refused the action, 2 bad usage or input, 3 not found, 4 internal error, 5 an AI provider failed"
)]
pub struct Cli {
    /// The workspace folder (holds copydesk.toml); by default the nearest one above the current folder
    #[arg(long, global = true, env = "COPYDESK_WORKSPACE", value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// sqlite://PATH (default: the workspace's copydesk.db) or postgres://…
    #[arg(
        long,
        global = true,
        env = "COPYDESK_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Who is acting
    #[arg(long = "as", global = true, env = "COPYDESK_USER", value_name = "USER")]
    pub actor: Option<String>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(subcommand)]
    pub command: TopCommand,
}

/// The commands: the workflow's, and those that need no workspace and live on their own.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TopCommand {
    #[command(flatten)]
    Workflow(Command),
    /// A/B tests, hypothesis first: design, reviewed variants, planned size, results import and
    /// analysis (frequentist, Bayesian, sequential, sample-ratio mismatch, CUPED); `analyze` and
    /// `plan` also work on a results file without a workspace
    #[command(subcommand)]
    Experiment(crate::experiment::ExperimentCmd),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads (check only)
    Sarif,
    /// GitHub Actions workflow commands (check only)
    Github,
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: copydesk.toml, an example brand kit and the database
    Init(InitArgs),
    /// Run the whole workflow end to end in a fresh workspace and print each step
    Demo(DemoArgs),
    /// Check prose: unsourced claims, superlatives, clichés, jargon, never-say phrases,
    /// terminology, disclosures, personal data, inclusive language, readability, passive voice
    #[command(
        after_help = "Exit codes: 0 no finding at or above --fail-on (default error), 1 findings at or above it, 2 bad usage, an unreadable file or an invalid rule file"
    )]
    Check(CheckArgs),
    /// List the guardrail rules: built-in checks, rule files and the brand kit's own
    Rules(RulesArgs),
    /// Serve the HTTP API (JSON under /api/v1) for reviewers and automation
    Serve(ServeArgs),
    /// People and their roles per brand
    #[command(subcommand)]
    User(UserCmd),
    /// Brands and their brand kits
    #[command(subcommand)]
    Brand(BrandCmd),
    /// API tokens for scripts and integrations: one brand, one role, the secret shown once
    #[command(subcommand)]
    Token(TokenCmd),
    /// Webhooks: signed POSTs to a URL when a review is requested or decided and when an
    /// asset is approved or published
    #[command(subcommand)]
    Webhook(WebhookCmd),
    /// Briefs: what a strategist decides before anything is written
    #[command(subcommand)]
    Brief(BriefCmd),
    /// Source material attached to briefs
    #[command(subcommand)]
    Source(SourceCmd),
    /// Assets and their version history
    #[command(subcommand)]
    Asset(AssetCmd),
    /// Immutable versions of an asset's text
    #[command(subcommand)]
    Version(VersionCmd),
    /// Risk-routed review: submit, queue, decide, comment
    #[command(subcommand)]
    Review(ReviewCmd),
    /// Publish an approved asset
    Publish { asset: i64 },
    /// How risky an asset is, and why
    #[command(subcommand)]
    Risk(RiskCmd),
    /// The tamper-evident audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Generate from a complete brief: an outline, a draft or variants for one lever, through
    /// the brand's model or the offline assistant
    #[command(
        after_help = "Where the output lands follows the brief's collaboration model: advisor → a note on the brief; producer → a draft version a human edits or approves; agent → a version submitted for review at once (only for agent-eligible asset kinds).\nExit codes: 0 saved, 1 refused (incomplete brief, personal data, policy), 2 bad usage, 3 not found, 5 the provider failed (nothing saved)"
    )]
    Draft(DraftArgs),
    /// Repurpose an approved asset for another channel (a new asset on the same brief)
    Repurpose(RepurposeArgs),
    /// Themes, counts and quotes from many short texts (reviews, tickets, survey answers)
    Research(ResearchArgs),
    /// An SEO brief: keyword clusters with search intent, FAQ candidates, titles, meta descriptions
    Seo(SeoArgs),
    /// The prompt library: render exactly what would be sent, list and activate template versions
    #[command(subcommand)]
    Prompt(PromptCmd),
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    pub brief: i64,
    /// outline, draft or variants
    #[arg(long, default_value = "draft")]
    pub task: String,
    /// The lever variants pull: clarity, urgency, emotional_appeal, proof, relevance, risk_reduction, value_framing
    #[arg(long)]
    pub lever: Option<String>,
    /// What the variants test, in a sentence (required for variants)
    #[arg(long)]
    pub hypothesis: Option<String>,
    /// How many variants of each kind
    #[arg(long = "n", default_value_t = 5)]
    pub count: usize,
    /// A configured provider by name (default: the brand's first; the offline assistant when none)
    #[arg(long)]
    pub provider: Option<String>,
    /// Use the offline assistant even when a provider is configured
    #[arg(long, conflicts_with = "provider")]
    pub offline: bool,
    /// Add the output as a new version of this asset (of the same brief)
    #[arg(long)]
    pub asset: Option<i64>,
    /// Kind of the asset created (default: from the brief's channel)
    #[arg(long)]
    pub kind: Option<String>,
    /// Title of the asset created (default: the brief's title)
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct RepurposeArgs {
    pub asset: i64,
    /// linkedin, x_thread, email, release_notes or blog_outline
    #[arg(long)]
    pub to: String,
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long, conflicts_with = "provider")]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct ResearchArgs {
    /// CSV (with a header row), JSONL or text files (one item per line)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The CSV column or JSON field holding the text (default: text, body, comment, review …)
    #[arg(long)]
    pub column: Option<String>,
}

#[derive(Debug, Args)]
pub struct SeoArgs {
    /// One keyword per line, or CSV with a keyword column (and optional volume, difficulty)
    pub keywords: PathBuf,
    /// The brief the page is for: its title, audience and source material shape the result
    #[arg(long)]
    pub brief: i64,
}

#[derive(Debug, Subcommand)]
pub enum PromptCmd {
    /// Show exactly what would be sent to the model for a task (nothing is sent)
    Render {
        /// The brief (for outline, draft, variants)
        #[arg(required_unless_present = "asset")]
        brief: Option<i64>,
        #[arg(long, default_value = "draft")]
        task: String,
        #[arg(long)]
        lever: Option<String>,
        #[arg(long)]
        hypothesis: Option<String>,
        #[arg(long = "n", default_value_t = 5)]
        count: usize,
        /// Render the repurpose prompt for this approved asset instead
        #[arg(long, requires = "to", conflicts_with = "brief")]
        asset: Option<i64>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Each task's template versions in a brand, and the active one
    List {
        #[arg(long)]
        brand: String,
    },
    /// Make a template version active for a task (prompt engineers and admins; audited)
    Activate {
        #[arg(long)]
        brand: String,
        /// outline, draft, variants or repurpose
        #[arg(long)]
        task: String,
        /// A version in the kit (prompts/TASK/VERSION.j2) or builtin-1
        #[arg(long)]
        version: String,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the workspace in (default: the current folder)
    pub dir: Option<PathBuf>,
    /// Name of the first workspace admin
    #[arg(long, default_value = "admin")]
    pub admin: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check (folders recursively, honouring .gitignore); - reads standard input
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read every input as this type: md, html or txt (needed to say what standard input is)
    #[arg(long, value_name = "EXT")]
    pub ext: Option<String>,
    /// The brand kit folder (guardrails.toml, never-say.toml, terminology.toml, styles/);
    /// default: the workspace's brand/ folder when there is one
    #[arg(long, value_name = "DIR")]
    pub kit: Option<PathBuf>,
    /// Check as this channel (overrides the front matter)
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
    /// Treat every input as sponsored (overrides the front matter)
    #[arg(long)]
    pub sponsored: bool,
    /// Report only findings at or above this severity
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<SeverityArg>,
    /// Report only these categories (repeat or separate with commas)
    #[arg(long, value_delimiter = ',', value_name = "CATEGORY")]
    pub category: Vec<String>,
    /// Report only these rules, or rule id prefixes such as copydesk.cliche (repeat or separate with commas)
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub rule: Vec<String>,
    /// Exit 1 when a finding at or above this severity remains
    #[arg(long, value_enum, default_value_t = SeverityArg::Error, value_name = "SEVERITY")]
    pub fail_on: SeverityArg,
    /// Apply the safe substitutions (never-say and terminology replacements, substitution rules) in place
    #[arg(long)]
    pub fix: bool,
    /// Colour in text output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Suggestion,
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The brand kit folder; default: the workspace's brand/ folder when there is one
    #[arg(long, value_name = "DIR")]
    pub kit: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo workspace in DIR instead of a temporary folder
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user, optionally with roles in one brand
    Add {
        name: String,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Make the user a workspace admin
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        brand: Option<String>,
        /// strategist, editor, compliance, brand_lead, prompt_engineer or admin (repeatable)
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Read the user's password (to sign in to the server) from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password for signing in to the server (yourself, or anyone as a
    /// workspace admin); ends their open sessions. Reads the first line of stdin.
    Password { name: String },
    /// Grant roles in a brand
    Grant {
        name: String,
        #[arg(long)]
        brand: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// List a brand's members, or every user
    List {
        #[arg(long)]
        brand: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Issue a token that acts as you in one brand with one role; prints its secret once
    Create {
        #[arg(long)]
        brand: String,
        /// strategist, editor, compliance, brand_lead, prompt_engineer or admin
        #[arg(long)]
        role: String,
        /// What uses the token, e.g. "CI publish job"
        #[arg(long)]
        name: String,
    },
    /// A brand's tokens, never their secrets (its admins see everyone's, others their own)
    List {
        #[arg(long)]
        brand: String,
    },
    /// Revoke a token: its owner or a brand admin
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCmd {
    /// Register a URL for a brand's events (brand admins); prints the signing secret once
    Add {
        #[arg(long)]
        brand: String,
        /// An http:// or https:// URL that takes the POSTs
        #[arg(long)]
        url: String,
        /// Comma-separated: review.requested, review.decided, asset.approved, asset.published
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
    },
    /// A brand's webhooks, active or not
    List {
        #[arg(long)]
        brand: String,
    },
    /// Stop sending to a webhook; what is queued for it waits
    Disable { id: i64 },
    /// Resume sending to a webhook, queued deliveries first
    Enable { id: i64 },
    /// The delivery log, newest first: attempts, last answer, state
    Deliveries {
        #[arg(long)]
        brand: String,
        /// Only deliveries with ids below this (the last id of the previous page)
        #[arg(long)]
        after: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum BrandCmd {
    Add {
        slug: String,
        #[arg(long)]
        name: Option<String>,
        /// Brand kit folder inside the workspace
        #[arg(long, default_value = "brand")]
        kit: String,
    },
    List,
}

/// Brief fields given as flags; each overrides the same field of a file or the stored brief.
#[derive(Debug, Args, Default)]
pub struct BriefFields {
    /// A brief file: TOML, or Markdown with front matter; - reads standard input
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub title: Option<String>,
    /// Who is this for?
    #[arg(long)]
    pub audience: Option<String>,
    /// What problem are they trying to solve?
    #[arg(long)]
    pub problem: Option<String>,
    /// What do they already believe?
    #[arg(long)]
    pub current_beliefs: Option<String>,
    /// What do we want them to understand?
    #[arg(long)]
    pub desired_understanding: Option<String>,
    /// A credible claim as "CLAIM | PROOF | SOURCE" (repeatable; replaces the claims)
    #[arg(long = "claim")]
    pub claims: Vec<String>,
    /// What should this not sound like?
    #[arg(long)]
    pub must_not_sound_like: Option<String>,
    /// A reference to source material (repeatable)
    #[arg(long = "source-material")]
    pub source_material: Vec<String>,
    #[arg(long)]
    pub channel: Option<String>,
    #[arg(long)]
    pub objective: Option<String>,
    #[arg(long = "cta")]
    pub call_to_action: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub deadline: Option<String>,
    /// internal, owned, earned, paid, national or global
    #[arg(long)]
    pub reach: Option<String>,
    /// A regulated topic: finance, health, legal, children … (repeatable; replaces the topics)
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// advisor, producer or agent
    #[arg(long = "collaboration")]
    pub collaboration_model: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BriefCmd {
    /// Write a new brief, from a file or flags
    New {
        #[arg(long)]
        brand: String,
        #[command(flatten)]
        fields: BriefFields,
    },
    /// Save a new version of a brief
    Edit {
        brief: i64,
        #[command(flatten)]
        fields: BriefFields,
    },
    Show {
        brief: i64,
        #[arg(long)]
        version: Option<u32>,
    },
    /// Report what is missing or too vague; exits 1 when the brief is incomplete
    Check {
        brief: Option<i64>,
        /// Check a brief file without storing it
        #[arg(long, value_name = "FILE", conflicts_with = "brief")]
        file: Option<PathBuf>,
    },
    List {
        #[arg(long)]
        brand: String,
        #[arg(long)]
        after: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Notes the advisor collaboration model left on a brief
    Notes { brief: i64 },
}

#[derive(Debug, Subcommand)]
pub enum SourceCmd {
    /// Attach source material to a brief
    Add {
        brief: i64,
        /// interview, sales_objection, support_ticket, founder_opinion, research, product_data, voice_example, positioning or editorial_standard
        #[arg(long)]
        kind: String,
        /// Where it comes from
        #[arg(long)]
        origin: String,
        /// Read the text from FILE (- for standard input)
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "text",
            required_unless_present = "text"
        )]
        file: Option<PathBuf>,
        #[arg(long)]
        text: Option<String>,
    },
    List {
        brief: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AssetCmd {
    /// Create an asset from a brief
    New {
        brief: i64,
        #[arg(long)]
        title: String,
        /// blog, seo_page, email, social_post, ad, landing_page, press_release, video_script, influencer_post, release_notes or report
        #[arg(long)]
        kind: String,
        /// Defaults to the brief's channel
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, default_value = "en")]
        locale: String,
        /// The text is personalised per recipient
        #[arg(long)]
        personalised: bool,
    },
    Show {
        asset: i64,
    },
    List {
        #[arg(long)]
        brand: String,
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        after: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Versions, newest first
    History {
        asset: i64,
        /// Show versions numbered below N
        #[arg(long)]
        before: Option<u32>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Differences between two versions (TO defaults to the current one)
    Diff {
        asset: i64,
        from: u32,
        to: Option<u32>,
        /// Compare lines instead of words
        #[arg(long)]
        lines: bool,
    },
    /// Make a new version equal to an old one
    Revert {
        asset: i64,
        #[arg(long)]
        to: u32,
        #[arg(long, default_value = "")]
        note: String,
    },
    Archive {
        asset: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum VersionCmd {
    /// Add a version written by you, or (with --model) by a model you ran
    Add {
        asset: i64,
        /// The text (- for standard input)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Why this version exists
        #[arg(long, default_value = "")]
        note: String,
        /// The model that wrote the text
        #[arg(long)]
        model: Option<String>,
        /// The model's provider
        #[arg(long, requires = "model", default_value = "external")]
        provider: String,
        /// The prompt template, as ID@VERSION
        #[arg(long, requires = "model")]
        template: Option<String>,
    },
    Show {
        asset: i64,
        number: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// Submit the current version; risk picks the tier and stages
    Submit { asset: i64 },
    /// What waits for you
    Queue {
        #[arg(long)]
        brand: Option<String>,
        /// The `next` cursor of the previous page
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Approve the pending stage
    Approve {
        asset: i64,
        /// Yes, we would be proud to have this represent the brand
        #[arg(long)]
        proud: bool,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long, default_value = "")]
        comment: String,
    },
    RequestChanges {
        asset: i64,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    Reject {
        asset: i64,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Comment on a version, optionally on a character range START..END
    Comment {
        asset: i64,
        text: String,
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        range: Option<String>,
    },
    /// Auto-approved assets sampled for audit
    Samples {
        #[arg(long)]
        brand: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Every review round of an asset with its decisions
    Rounds { asset: i64 },
}

#[derive(Debug, Subcommand)]
pub enum RiskCmd {
    /// Every contribution to an asset's risk score, its tier and stages
    Explain { asset: i64 },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Audit entries, oldest first
    Log {
        #[arg(long)]
        asset: Option<i64>,
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Check the hash chain; exits 1 and names the first bad entry if it is broken
    Verify,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Database connections kept open
    #[arg(long, default_value_t = 8)]
    pub pool: usize,
    /// Mark the session cookie Secure (when clients reach the server over HTTPS)
    #[arg(long)]
    pub secure_cookies: bool,
    /// Log one JSON object per line instead of text (level from COPYDESK_LOG, default info)
    #[arg(long)]
    pub log_json: bool,
    /// Send no webhook deliveries from this process (another server on the same database does)
    #[arg(long)]
    pub no_webhooks: bool,
}
