// copydesk's web app in a real headless Chromium (Debian's), driven by playwright-core:
// a strategist writes a brief and watches the completeness feedback, an editor submits an
// asset and is refused approving their own version, a second editor finds it in the queue,
// opens the diff, comments on a selection and approves. Every page passes axe-core with no
// serious or critical violation; a screenshot is written for each step.
//
// Usage: node run.mjs  (COPYDESK_BIN: the copydesk binary, default target/debug/copydesk;
// SCREENSHOTS: where screenshots go, default target/browser-screenshots;
// CHROMIUM: the browser, default /usr/bin/chromium)

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../../..");
const bin = process.env.COPYDESK_BIN ?? join(root, "target/debug/copydesk");
const shots = process.env.SCREENSHOTS ?? join(root, "target/browser-screenshots");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PASSWORD = "correct horse battery";

const work = mkdtempSync(join(tmpdir(), "copydesk-browser-"));
const ws = join(work, "acme");
mkdirSync(shots, { recursive: true });

function cli(args, { as = "ops", input } = {}) {
  return execFileSync(bin, args, {
    cwd: ws,
    env: { ...process.env, COPYDESK_USER: as, NO_COLOR: "1" },
    input,
    encoding: "utf8",
  });
}

function setUp() {
  execFileSync(bin, ["init", "acme", "--admin", "ops"], { cwd: work, encoding: "utf8" });
  cli(["brand", "add", "acme", "--name", "Acme", "--kit", "brand"]);
  cli(["brand", "add", "globex", "--name", "Globex", "--kit", "brand"]);
  cli(["user", "password", "ops"], { input: `${PASSWORD}\n` });
  const people = [
    ["alice", "strategist"],
    ["bob", "editor"],
    ["dana", "editor"],
  ];
  for (const [name, role] of people) {
    cli(["user", "add", name, "--brand", "acme", "--role", role, "--password-stdin"], { input: `${PASSWORD}\n` });
  }
  // dana works for two brands: the switcher appears for her
  cli(["user", "grant", "dana", "--brand", "globex", "--role", "editor"]);
}

function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ["serve", "--bind", "127.0.0.1:0"], {
      cwd: ws,
      env: { ...process.env, COPYDESK_LOG: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${seen}`)), 30000);
    child.stderr.on("data", (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/serving (http:\/\/[0-9.:]+) /);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, base: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${seen}`)));
  });
}

let step = 0;
async function shot(page, name) {
  step += 1;
  const file = join(shots, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** axe-core on the page as it is; fails on any serious or critical violation. */
async function accessible(page, name) {
  // evaluated through the DevTools protocol, so the page's strict CSP stays as it is
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(described, [], `axe-core on ${name}`);
  checked.push(name);
}
const checked = [];

async function signIn(browser, base, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(msg.text());
  });
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${base}/queue`);
  assert.match(page.url(), /\/signin\?next=%2Fqueue$/, "a page asks for sign-in first");
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/queue$/);
  return { context, page, problems };
}

async function gapCount(page) {
  return page.locator("#gaps li").count();
}

async function main() {
  setUp();
  const { child, base } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    // --- sign-in page, wrong password, then the strategist's brief ---
    const anon = await browser.newPage();
    await anon.goto(`${base}/signin`);
    await accessible(anon, "sign-in");
    await anon.getByLabel("User name").fill("alice");
    await anon.getByLabel("Password").fill("not the password");
    await anon.getByRole("button", { name: "Sign in" }).click();
    await assert.doesNotReject(anon.getByRole("alert").getByText("wrong user name or password").waitFor());
    await shot(anon, "signin-refused");
    await anon.close();

    const alice = await signIn(browser, base, "alice");
    await shot(alice.page, "queue-alice");
    await accessible(alice.page, "queue");

    await alice.page.getByRole("link", { name: "Briefs" }).click();
    await alice.page.getByRole("link", { name: "New brief" }).click();
    const p = alice.page;
    const initialGaps = await gapCount(p);
    assert.ok(initialGaps >= 5, `an empty brief has gaps (${initialGaps})`);
    await accessible(p, "brief editor");
    await p.getByLabel("Title").fill("Spring launch: invoices in one click");
    await p.getByLabel("Who is this for?").fill("Finance leads at 20 to 200 person agencies who chase late invoices by hand every month");
    // live: the gaps shrink as the strategist types, before anything is saved
    await p.waitForFunction((n) => document.querySelectorAll("#gaps li").length < n, initialGaps);
    await shot(p, "brief-live-feedback");
    await p.getByLabel("What problem are they trying to solve?").fill("Reconciling invoices across three tools eats a day of every month-end close for the team");
    await p.getByLabel("What do they already believe?").fill("They think automation tools are brittle, need an integrator and break whenever a client changes format");
    await p.getByLabel("What do we want them to understand?").fill("Acme reads the invoices they already send and reconciles them without any new tool to learn or maintain");
    await p.getByLabel("Claim 1").fill("Month-end close takes hours, not days");
    await p.getByLabel("Proof", { exact: true }).fill("Median close time of pilot customers fell from 2.5 days to 5 hours");
    await p.getByLabel("Source", { exact: true }).fill("Acme pilot report, March 2026");
    await p.getByLabel("What should this not sound like?").fill("A hype-filled startup pitch full of superlatives, buzzwords and promises we cannot prove");
    await p.getByLabel("Source material").fill("Pilot report, March 2026\nInterview with Ana, finance lead at Brightside");
    await p.getByLabel("Channel").fill("blog");
    await p.getByLabel("Objective").fill("Book demos from agency finance leads");
    await p.getByLabel("Call to action").fill("Book a 20-minute demo");
    await p.getByLabel("Reach").selectOption("paid");
    await p.getByLabel("Deadline").fill("2026-12-15");
    await p.getByLabel("How AI may help").selectOption("producer");
    await p
      .locator("#gaps .ready")
      .waitFor({ timeout: 10000 })
      .catch(async () => assert.fail(`the brief should be complete; gaps: ${await p.locator("#gaps").innerText()}`));
    assert.equal(await gapCount(p), 0);
    await shot(p, "brief-complete");
    await p.getByRole("button", { name: "Create brief" }).click();
    await p.getByText("Saved as version 1.").waitFor();
    await shot(p, "brief-saved");
    await accessible(p, "brief page");

    // --- the editor writes two versions and submits ---
    const bob = await signIn(browser, base, "bob");
    const b = bob.page;
    await b.getByRole("link", { name: "Assets" }).click();
    await b.getByRole("link", { name: "New asset" }).click();
    await accessible(b, "new asset");
    await b.getByLabel("Title").fill("Close the month in hours");
    await b.getByLabel("Kind").selectOption("blog");
    await b.getByLabel("First version").fill(
      "Month-end close used to take days. In today's fast-paced digital landscape, Acme is the best way to reconcile invoices.\n\nPilot teams cut their close from 2.5 days to 5 hours.",
    );
    await b.getByRole("button", { name: "Create asset" }).click();
    await b.getByRole("heading", { name: "Version 1" }).waitFor();
    const assetUrl = new URL(b.url());
    const assetPath = assetUrl.pathname;
    await b.getByText("Write a new version").click();
    await b.getByLabel("Text", { exact: true }).fill(
      "Month-end close used to take days. Acme reconciles the invoices you already send, with no new tool to learn.\n\nPilot teams cut their close from 2.5 days to 5 hours, according to the Acme pilot report (March 2026).",
    );
    await b.getByLabel("What changed and why").fill("cut the cliché and the superlative; cite the pilot");
    await b.getByRole("button", { name: "Save version" }).click();
    await b.getByText("New version saved").waitFor();
    await b.getByRole("button", { name: /Submit version 2 for review/ }).click();
    await b.getByText("Submitted for review.").waitFor();
    await shot(b, "asset-submitted");
    await accessible(b, "asset page (author)");

    // the author may not approve what they wrote: separation of duties
    await b.getByLabel("Approve").check();
    await b.getByLabel(/Would we be proud/).check();
    await b.getByRole("button", { name: "Record decision" }).click();
    const refusal = b.locator("#action-problem");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /cannot approve it \(separation of duties\)/);
    await shot(b, "author-cannot-approve");

    // --- a second editor reviews ---
    const dana = await signIn(browser, base, "dana");
    const d = dana.page;
    assert.ok(await d.getByLabel("Brand", { exact: true }).isVisible(), "a person in two brands gets a brand switcher");
    const row = d.getByRole("row").filter({ hasText: "Close the month in hours" });
    await row.waitFor();
    assert.match(await row.innerText(), /Single/, "the queue shows the risk tier");
    await shot(d, "queue-reviewer");
    await d.getByLabel("Risk tier").selectOption("multi_stage");
    await d.getByRole("button", { name: "Filter" }).click();
    await d.getByText("Nothing waits for you here.").waitFor();
    await d.getByLabel("Risk tier").selectOption("single");
    await d.getByRole("button", { name: "Filter" }).click();
    await d.getByRole("link", { name: "Close the month in hours" }).click();
    await d.waitForURL((url) => url.pathname === assetPath);

    // a finding is highlighted in version 1; focusing it shows its message
    await d.getByRole("link", { name: "Version 1", exact: true }).click();
    const mark = d.locator("mark.finding").first();
    await mark.focus();
    const tip = d.locator(`#${await mark.getAttribute("aria-describedby")}`);
    assert.ok(await tip.isVisible(), "focus shows the finding's message");
    await shot(d, "finding-focused");
    await accessible(d, "asset page (older version)");

    // the diff, side by side and inline
    await d.goto(`${base}${assetPath}?brand=acme`);
    await d.getByRole("button", { name: "Compare" }).click();
    await d.getByRole("heading", { name: /version 1 → 2/ }).waitFor();
    assert.ok((await d.locator(".sxs del").count()) > 0 && (await d.locator(".sxs ins").count()) > 0);
    await shot(d, "diff-side-by-side");
    await accessible(d, "diff (side by side)");
    await d.getByRole("link", { name: "Inline view" }).click();
    await d.locator(".diff-inline ins").first().waitFor();
    await accessible(d, "diff (inline)");
    await shot(d, "diff-inline");
    await d.getByRole("link", { name: "Back to the asset" }).click();

    // a comment anchored to a selected passage
    const passage = "no new tool to learn";
    await d.evaluate((words) => {
      const root = document.getElementById("version-text");
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf(words);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + words.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
          return;
        }
      }
      throw new Error("passage not found");
    }, passage);
    assert.equal(await d.getByLabel("Passage (optional)").inputValue(), passage);
    await d.getByLabel("Comment", { exact: true }).fill("Good: concrete. Can we link the pilot report?");
    await d.getByRole("button", { name: "Add comment" }).click();
    await d.getByText("Comment added.").waitFor();
    assert.equal(await d.locator(".comments blockquote").first().innerText(), passage);

    // approve, answering the final question
    await d.getByLabel("Approve").check();
    await d.getByRole("button", { name: "Record decision" }).click();
    // the browser itself asks for the confirmation before sending
    assert.equal(await d.getByLabel(/Would we be proud/).evaluate((el) => el.validity.valueMissing), true);
    await d.getByLabel(/Would we be proud/).check();
    await d.getByLabel("Note with your decision").fill("Clear and sourced.");
    await d.getByRole("button", { name: "Record decision" }).click();
    await d.getByText("Your decision is recorded.").waitFor();
    assert.match(await d.locator(".asset-head .badge").innerText(), /Approved/);
    await shot(d, "approved");
    await accessible(d, "asset page (approved)");

    await d.getByRole("link", { name: "Audit trail" }).first().click();
    // the trail of this asset shows the decision just made, by dana
    const decided = d.getByRole("row").filter({ hasText: "review.decided" });
    await decided.first().waitFor();
    assert.match(await decided.first().innerText(), /dana/);
    await shot(d, "audit-trail");
    await accessible(d, "audit trail");

    // --- an experiment on the approved asset: a reviewed challenger, results, the chart ---
    const approvedId = assetPath.split("/").pop();
    const briefId = JSON.parse(cli(["--format", "json", "asset", "show", approvedId], { as: "alice" })).brief_id;
    const created = cli(["asset", "new", String(briefId), "--title", "Close the month in hours (hours saved)", "--kind", "blog"], { as: "bob" });
    const challengerId = created.match(/asset (\d+) created/)[1];
    cli(["version", "add", challengerId, "--file", "-"], {
      as: "bob",
      input: "Month-end close takes hours, not days, with the invoices you already send.",
    });
    cli(["review", "submit", challengerId], { as: "bob" });
    cli(["review", "approve", challengerId, "--proud"], { as: "dana" });
    cli(
      ["experiment", "new", "--brand", "acme", "--asset", approvedId, "--metric", "demo_requests", "--lever", "value_framing",
        "--hypothesis", "Naming the hours saved will lift demo requests from finance leads"],
      { as: "alice" },
    );
    cli(["experiment", "variant", "1", "control"], { as: "alice" });
    cli(["experiment", "variant", "1", "hours", "--asset", challengerId, "--lever", "value_framing"], { as: "alice" });
    cli(["experiment", "start", "1", "--users", "5000"], { as: "alice" });
    await d.getByRole("link", { name: "Experiments" }).click();
    await d.getByRole("link", { name: /Naming the hours saved/ }).click();
    await d.getByRole("heading", { name: "Experiment 1" }).waitFor();
    // dana, an editor, pastes the analytics export into the page
    await d.getByText("Import results").click();
    await d.getByLabel("Your analytics export (CSV, one row per variant)")
      .fill("variant,users,conversions\ncontrol,2400,120\nhours,2400,156\n");
    await d.getByLabel("Where it comes from").fill("march export");
    await d.getByRole("button", { name: "Import" }).click();
    await d.getByRole("status").filter({ hasText: "Results imported" }).waitFor();
    assert.match(await d.locator("ul.verdicts").innerText(), /hours converts 30\.0% better than control/);
    assert.match(await d.getByRole("alert").first().innerText(), /Peek\. The smallest arm has 2,400 of the 5,000 planned users/);
    assert.ok(await d.getByRole("img", { name: /Lift against the control/ }).isVisible(), "the lift chart is drawn");
    assert.match(await d.getByRole("row").filter({ hasText: "%" }).last().innerText(), /^hours\t2,400\t6\.50%\t\+30\.0%/);
    await accessible(d, "experiment");
    await shot(d, "experiment");

    // --- an admin's pages ---
    const ops = await signIn(browser, base, "ops");
    const o = ops.page;
    await o.getByRole("link", { name: "Admin" }).click();
    await o.getByRole("heading", { name: /Administration of/ }).waitFor();
    await accessible(o, "admin: people");
    await shot(o, "admin-users");
    await o.getByRole("link", { name: "API tokens" }).click();
    await o.getByLabel("What uses it").fill("CI pipeline");
    await o.getByLabel("Role").selectOption("editor");
    await o.getByRole("button", { name: "Create token" }).click();
    const secret = await o.locator("#new-token").innerText();
    assert.match(secret, /^cdk_/);
    const me = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(me.status, 200, "the token shown once works");
    await accessible(o, "admin: tokens");
    await shot(o, "admin-tokens");

    await o.getByRole("link", { name: "Webhooks" }).click();
    await o.getByLabel("URL").fill("http://127.0.0.1:9/copydesk-events");
    await o.getByRole("button", { name: "Add webhook" }).click();
    assert.ok((await o.locator("#new-secret").innerText()).length >= 32, "the signing secret is shown once");
    await o.getByRole("cell", { name: "review.requested, review.decided, asset.approved, asset.published" }).waitFor();
    await accessible(o, "admin: webhooks");
    await shot(o, "admin-webhooks");
    await o.getByRole("button", { name: /Pause webhook/ }).click();
    await o.getByText("Webhook paused.").waitFor();

    // keyboard alone: the skip link is the first stop and lands on the content
    await o.keyboard.press("Tab");
    assert.equal(await o.evaluate(() => document.activeElement.textContent), "Skip to content");

    for (const who of [alice, dana, ops]) {
      assert.deepEqual(who.problems, [], "no script or console errors");
    }
    // the refused approval is answered 403, which the browser logs; nothing else
    assert.deepEqual(bob.problems, ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]);
    // sign out ends the session
    await d.getByRole("button", { name: "Sign out", exact: true }).click();
    await d.waitForURL(/\/signin$/);
    await d.goto(`${base}/queue`);
    assert.match(d.url(), /\/signin\?next=/);

    console.log(`browser tests passed: ${step} screenshots in ${shots}; axe-core clean on ${checked.length} pages: ${checked.join(", ")}`);
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
