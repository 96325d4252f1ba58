#!/usr/bin/env python3
"""Deterministic corpus of marketing-like prose for bench/peers.sh.

    python3 bench/corpus.py OUT_DIR [--mb 12] [--seed 7]

Writes about --mb MiB (1 MiB = 1,048,576 bytes; never less) of Markdown with YAML front
matter, HTML pages and plain text into OUT_DIR, which must be missing or empty:

  OUT_DIR/<channel>/NNNNN.{md,html,txt}   thousands of files of 1-20 KiB (most 2-8 KiB)
  OUT_DIR/large/                          a few larger files: 1 MiB of Markdown, 512 KiB of
                                          HTML and 256 KiB of text (scaled down when --mb < 8)

The prose is assembled from sentence templates and word banks typical of marketing copy:
claims with and without sources, statistics, superlatives and absolute promises, clichés,
jargon, passive voice, hedges, hashtags and #ad disclosures, e-mail addresses and phone
numbers, insensitive wording, plus Markdown headings, lists, links, tables and code blocks,
and HTML with <script>, <style> and <pre>. The same --mb and --seed give byte-identical
output on any machine (Python's seeded random.Random, no clock, no network, stdlib only).
A summary goes to stderr; nothing is printed on stdout.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

MIB = 1024 * 1024

# ---------------------------------------------------------------------------------------------
# Word banks

COMPANIES = [
    "Acme", "Northwind", "Globex", "Initech", "Umbrella Analytics", "Hooli", "Vandelay Industries",
    "Stark Logistics", "Wayne Health", "Cyberdyne Cloud", "Soylent Foods", "Tyrell Labs",
    "Wonka Retail", "Gringotts Finance", "Monarch Travel", "Oscorp Energy", "Pied Piper",
    "Aperture Learning", "Blue Sun Media", "Massive Dynamic", "Kestrel & Finch", "Brightline",
    "Luma Payroll", "Fernhill Insurance", "Corvid Security", "Halcyon Hotels", "Tidewater Bank",
]
PRODUCTS = [
    "Pulse", "Ledger", "Beacon", "Atlas", "Compass", "Harbor", "Orbit", "Canvas", "Relay",
    "Signal", "Forge", "Keystone", "Lantern", "Meridian", "Nimbus", "Quill", "Summit", "Vault",
    "Waypoint", "Zenith", "Cadence", "Drift", "Echo", "Fathom", "Juniper", "Mosaic", "Prism",
]
PRODUCT_KINDS = [
    "payroll platform", "CRM", "analytics suite", "help desk", "expense tool",
    "scheduling app", "marketing automation platform", "data warehouse", "onboarding portal",
    "inventory system", "learning platform", "booking engine", "security scanner",
    "invoicing tool", "customer data platform", "survey tool", "design system", "AI assistant",
    "loyalty program", "checkout flow", "telehealth app", "budgeting app", "travel desk",
]
AUDIENCES = [
    "finance leads", "HR teams", "small businesses", "enterprise IT", "marketing managers",
    "clinic owners", "retail chains", "product teams", "sales reps", "founders",
    "operations managers", "school districts", "nonprofits", "logistics teams", "developers",
    "customer success teams", "procurement officers", "freelancers", "hotel managers",
    "compliance officers", "data analysts", "agency owners", "support agents", "CFOs",
]
OUTCOMES = [
    "cut onboarding time", "reduce churn", "close the books faster", "grow pipeline",
    "shorten sales cycles", "lower support costs", "improve retention", "ship releases faster",
    "reduce no-shows", "raise conversion", "cut invoice errors", "boost engagement",
    "save hours every week", "reduce chargebacks", "speed up hiring", "lower cloud spend",
    "answer tickets faster", "increase average order value", "reduce manual data entry",
    "halve review cycles", "improve NPS", "catch fraud earlier", "reduce stockouts",
]
METRICS = [
    "onboarding time", "churn", "support tickets", "time to close", "cost per lead",
    "pipeline", "revenue per seat", "first-response time", "cart abandonment", "no-show rate",
    "invoice errors", "open rates", "click-through rate", "days sales outstanding",
    "time to hire", "cloud spend", "page load time", "return rate", "ticket backlog",
]
TIMEFRAMES = [
    "within 90 days", "in the first month", "in under a week", "by the end of the quarter",
    "in 30 days", "over twelve months", "in the first year", "in just two sprints",
    "before the next board meeting", "in 60 days", "by Q3", "in six weeks",
]
SOURCES = [
    "2025 {co} customer survey", "{co} usage data, Jan-Jun 2025",
    "independent study by Forrester, 2024", "median across {n} customers",
    "internal benchmark, March 2025", "Gartner Peer Insights, 2025", "{co} case study",
    "survey of {n} {aud}", "G2 Winter 2025 report", "third-party audit by KPMG, 2024",
    "{co} annual report 2024", "pilot with {n} accounts",
]
# Cliché verb phrases ("... helps you X") and cliché adjectives.
CLICHES = [
    "unlock growth", "unlock your full potential", "streamline your workflows",
    "take it to the next level", "revolutionize the way you work", "supercharge your productivity",
    "empower your team", "elevate your brand", "harness the power of AI", "unleash creativity",
    "transform your business", "drive digital transformation", "leverage synergies",
    "future-proof your stack", "hit the ground running", "think outside the box",
    "navigate the ever-evolving landscape", "redefine what's possible", "scale with confidence",
    "stay ahead of the curve", "turn data into decisions", "delight your customers",
]
CLICHE_ADJ = ["seamless", "robust", "cutting-edge", "game-changing", "state-of-the-art",
              "next-generation", "frictionless", "holistic", "all-in-one", "turnkey"]
CLICHE_OPENERS = [
    "In today's fast-paced digital landscape", "In today's fast-paced world", "At the end of the day",
    "Now more than ever", "In an ever-changing market", "Let's face it", "It's no secret that",
]
JARGON = [
    "circle back", "move the needle", "low-hanging fruit", "touch base", "deep dive",
    "bandwidth", "boil the ocean", "paradigm shift", "value-add", "core competency",
    "synergy", "actionable insights", "best practices", "mission-critical", "scalable",
    "best of breed", "ideate", "double-click on", "north star", "run it up the flagpole",
    "win-win", "thought leadership", "on our radar", "take this offline", "net-net",
]
# Used in titles: "Introducing Acme Pulse: the #1 payroll platform".
SUPERLATIVES = [
    "the best-in-class", "a world-class", "the industry-leading", "the #1", "the guaranteed",
    "the unmatched", "the only", "the fastest", "the most trusted", "the 100% secure",
    "the risk-free", "the unbeatable", "the ultimate", "the market-leading", "an award-winning",
    "the smartest", "a zero-downtime", "a proven",
]
HEDGES = ["very", "really", "extremely", "quite", "just", "basically", "actually",
          "incredibly", "truly", "literally", "simply", "definitely", "totally", "so"]
INSENSITIVE = [
    "Hey guys", "This is crazy", "Honestly, it's insane", "Blind spot alert",
    "Whitelist your domains first", "Forget the master spreadsheet", "Count the man-hours",
    "Ask any chairman", "Ask our salesmen", "Quick sanity check", "Lame dashboards, be gone",
    "Don't be a dummy", "Hey ladies",
]
FIRST_NAMES = ["Ana", "Bruno", "Chloé", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Ines",
               "Jonas", "Kemi", "Luca", "Maya", "Nadia", "Omar", "Priya", "Quinn", "Rosa",
               "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë"]
LAST_NAMES = ["Alvarez", "Brandt", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad",
              "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
              "Petrov", "Rossi", "Santos", "Tanaka", "Urban", "Volkov", "Weber", "Yilmaz"]
CITIES = ["Lisbon", "Berlin", "Austin", "Toronto", "Nairobi", "Singapore", "Melbourne",
          "Madrid", "Dublin", "Seoul", "São Paulo", "Lyon", "Rotterdam", "Denver", "Kraków"]
VERBS_PASSIVE = ["reviewed", "approved", "built", "designed", "tested", "trusted", "used",
                 "chosen", "recommended", "rated", "audited", "launched", "adopted", "loved"]
FEATURES = [
    "single sign-on", "audit logs", "role-based access", "real-time dashboards",
    "two-way sync", "a public API", "webhooks", "offline mode", "custom fields",
    "bulk import", "automated reminders", "smart routing", "usage-based billing",
    "SOC 2 reports", "EU data residency", "granular permissions", "version history",
    "scheduled exports", "a Slack integration", "mobile approvals", "multi-currency support",
]
CTAS = [
    "Book a demo", "Start your free trial", "Talk to sales", "Download the report",
    "Get started today", "Join the waitlist", "Claim your discount", "Sign up now",
    "Read the case study", "Register for the webinar", "See pricing", "Try it free for 14 days",
]
HASHTAGS = ["#marketing", "#growth", "#SaaS", "#AI", "#productivity", "#leadership",
            "#startup", "#B2B", "#fintech", "#HRtech", "#CX", "#innovation", "#futureofwork",
            "#ecommerce", "#data", "#remotework", "#sustainability", "#healthtech"]
CHANNELS = ["blog", "linkedin", "instagram", "email"]
LOCALES = ["en-US", "en-GB", "en-AU", "en-IE", "en-CA"]
TOPICS = ["finance", "health", "hr", "retail", "security", "education", "travel", "energy"]
URL_PATHS = ["pricing", "blog/launch", "case-studies", "docs/getting-started", "webinar",
             "security", "careers", "customers", "changelog", "partners", "contact"]

# ---------------------------------------------------------------------------------------------
# Sentences


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    # helpers ----------------------------------------------------------------------------------
    def c(self, seq):
        return self.r.choice(seq)

    def pct(self) -> str:
        r = self.r
        return f"{r.randint(3, 97)}%" if r.random() < 0.8 else f"{r.randint(3, 97)}.{r.randint(1, 9)}%"

    def mult(self) -> str:
        r = self.r
        return f"{r.randint(1, 12)}.{r.randint(0, 9)}x" if r.random() < 0.6 else f"{r.randint(2, 15)}x"

    def money(self) -> str:
        r = self.r
        cur = self.c(["$", "€", "£"])
        if r.random() < 0.5:
            return f"{cur}{r.randint(2, 950)}k"
        return f"{cur}{r.randint(1, 99)},{r.randint(0, 999):03d}"

    def company(self) -> str:
        return self.c(COMPANIES)

    def product(self) -> str:
        return f"{self.c(COMPANIES).split()[0]} {self.c(PRODUCTS)}"

    def person(self) -> str:
        return f"{self.c(FIRST_NAMES)} {self.c(LAST_NAMES)}"

    def email(self) -> str:
        first, last = self.c(FIRST_NAMES), self.c(LAST_NAMES)
        dom = self.c(COMPANIES).split()[0].lower()
        user = self.c([f"{first}.{last}", f"{first[0]}{last}", first, "hello", "press", "sales"])
        user = user.lower().replace("é", "e").replace("ë", "e").replace("í", "i").replace("ç", "c")
        return f"{user}@{dom}.{self.c(['com', 'io', 'co.uk', 'de', 'example'])}"

    def phone(self) -> str:
        r = self.r
        return self.c([
            f"+1 (555) 01{r.randint(0, 9)}-{r.randint(1000, 9999)}",
            f"+44 20 7946 0{r.randint(100, 999)}",
            f"555-{r.randint(100, 999)}-{r.randint(1000, 9999)}",
            f"+49 30 {r.randint(100000, 999999)}",
            f"(02) 9{r.randint(100, 999)} {r.randint(1000, 9999)}",
        ])

    def url(self) -> str:
        dom = self.c(COMPANIES).split()[0].lower()
        return f"https://{dom}.example.com/{self.c(URL_PATHS)}?utm_source={self.c(CHANNELS)}"

    def source(self) -> str:
        return self.c(SOURCES).format(co=self.company(), n=self.r.randint(40, 4000), aud=self.c(AUDIENCES))

    @staticmethod
    def a(noun: str) -> str:
        return ("an " if noun[0].lower() in "aeiou" else "a ") + noun

    @staticmethod
    def cap(s: str) -> str:
        return s[:1].upper() + s[1:]

    def maybe_hedge(self) -> str:
        return self.c(HEDGES) + " " if self.r.random() < 0.25 else ""

    # sentence templates ----------------------------------------------------------------------
    def claim(self) -> str:
        r = self.r
        p = self.product()
        aud = self.c(AUDIENCES)
        forms = [
            lambda: f"Teams using {p} {self.c(OUTCOMES)} by {self.pct()} {self.c(TIMEFRAMES)}",
            lambda: f"{p} delivers {self.mult()} ROI {self.c(TIMEFRAMES)}",
            lambda: f"Customers see a {self.pct()} drop in {self.c(METRICS)} after switching to {p}",
            lambda: f"{self.cap(aud)} save {r.randint(2, 40)} hours a week with {p}",
            lambda: f"{r.randint(2, 98)} out of 100 {aud} would recommend {p}",
            lambda: f"Over {r.randint(1, 90)},{r.randint(0, 999):03d} {aud} trust {p} every day",
            lambda: f"{p} is {self.mult()} faster than the legacy {self.c(PRODUCT_KINDS)} it replaces",
            lambda: f"On average, {aud} recover {self.money()} a year in lost {self.c(METRICS)}",
            lambda: f"{self.company()} grew {self.c(METRICS)} by {self.pct()} in one quarter",
            lambda: f"Our {self.c(PRODUCT_KINDS)} pays for itself {self.c(TIMEFRAMES)}",
        ]
        s = self.c(forms)()
        roll = r.random()
        if roll < 0.35:
            s += f" (source: {self.source()})"
        elif roll < 0.45:
            s += f"[^{r.randint(1, 9)}]"
        elif roll < 0.52:
            s += f", according to the {self.source()}"
        return s + "."

    def cliche(self) -> str:
        p = self.product()
        forms = [
            lambda: f"{self.c(CLICHE_OPENERS)}, {p} helps you {self.c(CLICHES)}",
            lambda: f"{p} is a game-changer for {self.c(AUDIENCES)}: one {self.c(CLICHE_ADJ)} place to {self.c(OUTCOMES)}",
            lambda: f"It's time to {self.c(CLICHES)} with {self.a(self.c(PRODUCT_KINDS))} built for {self.c(AUDIENCES)}",
            lambda: f"{p} is {self.a(self.c(CLICHE_ADJ))} way to {self.c(OUTCOMES)}",
            lambda: f"We help {self.c(AUDIENCES)} {self.c(CLICHES)} and {self.c(OUTCOMES)}",
            lambda: f"Ready to {self.c(CLICHES)}? {self.c(CTAS)}",
            lambda: f"With {self.c(FEATURES)}, you can {self.maybe_hedge()}{self.c(CLICHES)}",
            lambda: f"{p} lets you {self.c(CLICHES)} without the complexity",
            lambda: f"Say goodbye to spreadsheets and hello to a {self.c(['seamless', 'smarter', 'simpler'])} {self.c(PRODUCT_KINDS)}",
        ]
        return self.c(forms)() + self.c([".", ".", ".", "!"])

    def jargon(self) -> str:
        forms = [
            lambda: f"Let's {self.c(['circle back', 'touch base', 'take this offline'])} on the {self.c(METRICS)} numbers next {self.c(['week', 'sprint', 'quarter'])}",
            lambda: f"This launch should {self.c(['move the needle', 'deliver actionable insights', 'unlock synergy'])} for {self.c(AUDIENCES)}",
            lambda: f"The {self.c(FEATURES)} rollout is {self.c(['low-hanging fruit', 'mission-critical', 'a value-add', 'our north star'])}",
            lambda: f"We did a deep dive into {self.c(METRICS)} and found {self.c(['quick wins', 'low-hanging fruit', 'a paradigm shift'])}",
            lambda: f"We don't have the bandwidth to boil the ocean, so we focused on {self.c(FEATURES)}",
            lambda: f"Our {self.c(JARGON)} approach to {self.c(METRICS)} is {self.c(['scalable', 'best of breed', 'a win-win'])}",
        ]
        return self.c(forms)() + "."

    def superlative(self) -> str:
        p = self.product()
        forms = [
            lambda: f"{p} is the {self.c(['best-in-class', 'world-class', 'industry-leading', 'award-winning'])} {self.c(PRODUCT_KINDS)} for {self.c(AUDIENCES)}",
            lambda: f"Results are guaranteed, or your money back",
            lambda: f"{p} is {self.c(['100% secure', 'risk-free', 'always on', 'unbeatable'])}",
            lambda: f"The #1 {self.c(PRODUCT_KINDS)} in {self.c(CITIES)}, rated by {self.c(AUDIENCES)}",
            lambda: f"Nobody else offers {self.c(FEATURES)} at this price. Ever",
            lambda: f"{p} never fails, so your {self.c(METRICS)} will always improve",
            lambda: f"The only {self.c(PRODUCT_KINDS)} you will ever need",
            lambda: f"We guarantee a {self.pct()} lift in {self.c(METRICS)} {self.c(TIMEFRAMES)}",
            lambda: f"Trusted by the world's most {self.c(['innovative', 'ambitious', 'demanding'])} {self.c(AUDIENCES)}",
        ]
        return self.c(forms)() + self.c([".", "!", "."])

    def passive(self) -> str:
        forms = [
            lambda: f"{self.product()} was {self.c(VERBS_PASSIVE)} by {self.c(AUDIENCES)} in {self.c(CITIES)}",
            lambda: f"Mistakes were made during the {self.c(FEATURES)} migration",
            lambda: f"Your data is encrypted at rest and is never shared with {self.c(['third parties', 'advertisers', 'anyone'])}",
            lambda: f"The report was {self.c(VERBS_PASSIVE)} by our {self.c(['legal', 'security', 'data'])} team last {self.c(['month', 'year', 'week'])}",
            lambda: f"Every invoice is checked before it is sent",
            lambda: f"The new {self.c(FEATURES)} feature has been {self.c(VERBS_PASSIVE)} by {self.r.randint(2, 900)} teams so far",
            lambda: f"It is believed that {self.c(METRICS)} will be reduced by {self.pct()}",
        ]
        return self.c(forms)() + "."

    def plain(self) -> str:
        p = self.product()
        aud = self.c(AUDIENCES)
        forms = [
            lambda: f"{p} connects to the tools your {aud} already use, including {self.c(FEATURES)} and {self.c(FEATURES)}",
            lambda: f"When {self.person()} joined {self.company()} as head of operations, the team tracked {self.c(METRICS)} in a shared spreadsheet",
            lambda: f"Most {aud} we interviewed told us the hardest part is {self.c(['getting started', 'keeping data clean', 'reporting to the board', 'training new hires', 'month-end'])}",
            lambda: f"Setup takes about {self.r.randint(5, 90)} minutes, and you can import your data from CSV",
            lambda: f"Pricing starts at {self.money()} per year for up to {self.r.randint(5, 500)} seats",
            lambda: f"{self.person()}, {self.c(['VP of Finance', 'CTO', 'Head of People', 'COO', 'Marketing Director'])} at {self.company()}, said the rollout took {self.r.randint(2, 12)} weeks",
            lambda: f"We opened a new office in {self.c(CITIES)} to support {aud} in the region",
            lambda: f"The {self.c(FEATURES)} release is available on every plan from {self.c(['Monday', 'today', 'next week', 'the 1st of June'])}",
            lambda: f"Here is what changed in {p} this {self.c(['month', 'quarter', 'spring', 'autumn'])}",
            lambda: f"You can export every report as CSV or PDF and share it with your {self.c(['auditor', 'board', 'manager', 'team'])}",
            lambda: f"Questions? Reach {self.person().split()[0]} at {self.email()} or call {self.phone()}",
            lambda: f"Our {self.c(['support', 'success', 'onboarding'])} team answers within {self.r.randint(1, 24)} hours on weekdays",
            lambda: f"{self.c(INSENSITIVE)}: in most {self.c(PRODUCT_KINDS)}s the real problem is the data nobody owns",
            lambda: f"There is a {self.maybe_hedge()}simple reason {aud} switch: {self.c(OUTCOMES)}",
            lambda: f"We asked {self.r.randint(12, 400)} {aud} what slows them down, and {self.c(METRICS)} came up first",
            lambda: f"The {self.c(FEATURES)} settings live under Admin, then {self.c(['Security', 'Billing', 'Integrations', 'Team'])}",
        ]
        return self.c(forms)() + "."

    def sentence(self) -> str:
        roll = self.r.random()
        if roll < 0.22:
            return self.claim()
        if roll < 0.36:
            return self.cliche()
        if roll < 0.44:
            return self.jargon()
        if roll < 0.54:
            return self.superlative()
        if roll < 0.64:
            return self.passive()
        return self.plain()

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(2, 6)))

    def title(self) -> str:
        forms = [
            lambda: f"How {self.company()} helped {self.c(AUDIENCES)} {self.c(OUTCOMES)}",
            lambda: f"{self.r.randint(3, 12)} ways to {self.c(OUTCOMES)} in {self.r.randint(2025, 2027)}",
            lambda: f"Introducing {self.product()}: {self.c(SUPERLATIVES)} {self.c(PRODUCT_KINDS)}",
            lambda: f"Why {self.c(AUDIENCES)} are switching to {self.product()}",
            lambda: f"What's new in {self.product()}",
            lambda: f"The {self.c(['complete', 'ultimate', 'practical', 'honest'])} guide to {self.c(METRICS)}",
            lambda: f"{self.cap(self.c(CLICHES))} with {self.product()}",
        ]
        return self.c(forms)()

    def heading(self) -> str:
        return self.c([
            "Why it matters", "How it works", "What our customers say", "Pricing", "Get started",
            "The problem", "The results", "Frequently asked questions", "Security and privacy",
            "What's next", "Key takeaways", "Under the hood", "Before and after",
            f"Meet {self.product()}", f"For {self.c(AUDIENCES)}", f"{self.cap(self.c(FEATURES))}",
            f"{self.cap(self.c(OUTCOMES))}",
        ])

    # blocks -----------------------------------------------------------------------------------
    def md_list(self) -> str:
        ordered = self.r.random() < 0.3
        items = []
        for i in range(self.r.randint(3, 7)):
            item = self.c([self.cap(self.c(FEATURES)), self.sentence(), f"**{self.c(FEATURES)}**: {self.sentence()}"])
            items.append(f"{i + 1}. {item}" if ordered else f"- {item}")
        return "\n".join(items)

    def md_table(self) -> str:
        rows = ["| Plan | Seats | Price | Includes |", "|---|---:|---:|---|"]
        for plan in self.r.sample(["Starter", "Team", "Business", "Scale", "Enterprise", "Nonprofit"], self.r.randint(2, 4)):
            rows.append(f"| {plan} | {self.r.randint(1, 500)} | {self.money()} | {self.c(FEATURES)}, {self.c(FEATURES)} |")
        return "\n".join(rows)

    def code(self) -> tuple[str, str]:
        lang, body = self.c([
            ("bash", f"curl -X POST {self.url()} \\\n  -H 'Authorization: Bearer $TOKEN' \\\n  -d '{{\"seats\": {self.r.randint(1, 99)}}}'"),
            ("json", f"{{\n  \"event\": \"{self.c(['signup', 'upgrade', 'churn'])}\",\n  \"plan\": \"{self.c(['team', 'scale'])}\",\n  \"best_in_class\": true,\n  \"amount\": {self.r.randint(10, 9999)}\n}}"),
            ("python", f"from {self.c(PRODUCTS).lower()} import Client\n\nclient = Client(api_key=\"sk_test_{self.r.randint(10**9, 10**10)}\")\nclient.sync(seamless=True)  # unlock growth"),
            ("yaml", f"channel: {self.c(CHANNELS)}\nguaranteed: true\nretries: {self.r.randint(1, 5)}"),
        ])
        return lang, body

    def quote(self) -> str:
        return f'"{self.sentence()} {self.sentence()}" — {self.person()}, {self.company()}'


# ---------------------------------------------------------------------------------------------
# Documents


def markdown(g: Gen, target: int, doc_id: int) -> str:
    r = g.r
    channel = g.c(CHANNELS)
    sponsored = r.random() < 0.25
    parts = [
        "---",
        f"title: \"{g.title()}\"",
        f"channel: {channel}",
        f"sponsored: {'true' if sponsored else 'false'}",
        f"locale: {g.c(LOCALES)}",
        f"author: {g.person()}",
        f"date: 2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        f"tags: [{', '.join(r.sample(TOPICS, r.randint(1, 3)))}]",
        f"id: post-{doc_id:05d}",
        "---",
        "",
        f"# {g.title()}",
        "",
    ]
    size = sum(len(p) + 1 for p in parts)
    social = channel in ("linkedin", "instagram")
    while size < target:
        roll = r.random()
        if roll < 0.12:
            block = f"## {g.heading()}"
        elif roll < 0.22:
            block = g.md_list()
        elif roll < 0.26:
            block = g.md_table()
        elif roll < 0.30:
            lang, body = g.code()
            block = f"```{lang}\n{body}\n```"
        elif roll < 0.35:
            block = f"> {g.quote()}"
        elif roll < 0.42:
            block = f"{g.paragraph()} [{g.c(CTAS)}]({g.url()})."
        elif roll < 0.45:
            block = f"![{g.c(FEATURES)} screenshot](/img/{g.c(PRODUCTS).lower()}-{r.randint(1, 99)}.png)"
        else:
            block = g.paragraph()
        parts.append(block)
        parts.append("")
        size += len(block) + 2
    if social:
        tags = " ".join(r.sample(HASHTAGS, r.randint(2, 6)))
        parts.append(f"{tags}{' #ad' if sponsored else ''}")
    elif sponsored:
        parts.append(g.c(["*Sponsored by " + g.company() + ".*", "#ad", "Paid partnership with " + g.company() + "."]))
    elif channel == "email":
        parts.append(f"You are receiving this because you signed up at {g.url()}. Unsubscribe any time.")
    parts.append("")
    return "\n".join(parts)


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html(g: Gen, target: int, doc_id: int) -> str:
    r = g.r
    title = g.title()
    head = [
        "<!doctype html>",
        f"<html lang=\"{g.c(LOCALES)}\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        f"<title>{html_escape(title)}</title>",
        f"<meta name=\"description\" content=\"{html_escape(g.sentence())}\">",
        "<style>",
        f".hero {{ color: #{r.randint(0, 0xFFFFFF):06x}; padding: {r.randint(4, 64)}px; }}",
        ".cta:hover { text-decoration: underline; } /* seamless best-in-class hover */",
        "</style>",
        "<script>",
        f"window.dataLayer = window.dataLayer || []; dataLayer.push({{page: 'lp-{doc_id}', variant: '{g.c(['a', 'b'])}'}});",
        "// unlock growth: track every click, guaranteed",
        "</script>",
        "</head>",
        "<body>",
        f"<header class=\"hero\"><h1>{html_escape(title)}</h1><a class=\"cta\" href=\"{g.url()}\">{g.c(CTAS)}</a></header>",
        "<main>",
    ]
    parts = list(head)
    size = sum(len(p) + 1 for p in parts)
    while size < target:
        roll = r.random()
        if roll < 0.12:
            block = f"<h2>{html_escape(g.heading())}</h2>"
        elif roll < 0.22:
            items = "\n".join(f"  <li>{html_escape(g.sentence())}</li>" for _ in range(r.randint(3, 6)))
            block = f"<ul>\n{items}\n</ul>"
        elif roll < 0.26:
            _, body = g.code()
            block = f"<pre><code>{html_escape(body)}</code></pre>"
        elif roll < 0.30:
            block = f"<blockquote><p>{html_escape(g.quote())}</p></blockquote>"
        elif roll < 0.34:
            block = f"<script>console.log('variant {r.randint(1, 9)}: {g.c(CLICHES)}');</script>"
        elif roll < 0.42:
            block = f"<p>{html_escape(g.paragraph())} <a href=\"{g.url()}\">{g.c(CTAS)}</a>.</p>"
        elif roll < 0.45:
            rows = "".join(f"<tr><td>{g.c(FEATURES)}</td><td>{g.c(['Yes', 'No', 'Add-on'])}</td></tr>" for _ in range(r.randint(2, 5)))
            block = f"<table><tr><th>Feature</th><th>Included</th></tr>{rows}</table>"
        else:
            block = f"<p>{html_escape(g.paragraph())}</p>"
        parts.append(block)
        size += len(block) + 1
    parts += [
        "</main>",
        f"<footer><p>&copy; 2026 {html_escape(g.company())}. Contact {g.email()}.</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def text(g: Gen, target: int, doc_id: int) -> str:
    r = g.r
    kind = g.c(["email", "script", "notes", "ad"])
    parts = []
    if kind == "email":
        parts += [f"Subject: {g.title()}", f"From: {g.person()} <{g.email()}>", "", f"Hi {g.c(FIRST_NAMES)},", ""]
    elif kind == "script":
        parts += [f"VIDEO SCRIPT {doc_id} — {g.title().upper()}", ""]
    elif kind == "ad":
        parts += [f"AD COPY / {g.c(CHANNELS).upper()} / variant {g.c('ABCD')}", ""]
    else:
        parts += [f"Notes from the call with {g.company()} ({g.person()})", ""]
    size = sum(len(p) + 1 for p in parts)
    while size < target:
        roll = r.random()
        if roll < 0.1:
            block = "\n".join(f"* {g.sentence()}" for _ in range(r.randint(2, 5)))
        elif roll < 0.14:
            block = f"Call {g.phone()} or write to {g.email()}. Card on file: 4111 1111 1111 {r.randint(1000, 9999)}."
        elif roll < 0.2:
            block = f"{g.c(CTAS)}: {g.url()}"
        else:
            block = g.paragraph()
        parts.append(block)
        parts.append("")
        size += len(block) + 2
    if kind == "email":
        parts += [f"Best,\n{g.person()}\n{g.company()} | {g.phone()}", ""]
    elif kind == "ad":
        parts += [" ".join(r.sample(HASHTAGS, 3)) + " #ad", ""]
    return "\n".join(parts)


KINDS = [("md", markdown, 0.5), ("html", html, 0.25), ("txt", text, 0.25)]


def small_size(r: random.Random) -> int:
    # 1-20 KiB, most between 2 and 8 KiB: a log-normal draw, clamped.
    return int(min(20 * 1024, max(1024, r.lognormvariate(8.1, 0.6))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--mb", type=float, default=12.0, help="total size in MiB (default 12)")
    ap.add_argument("--seed", type=int, default=7, help="PRNG seed (default 7)")
    args = ap.parse_args()
    if args.mb <= 0:
        ap.error("--mb must be positive")
    out = args.out_dir
    if os.path.exists(out) and os.listdir(out):
        print(f"corpus.py: {out} exists and is not empty", file=sys.stderr)
        return 2
    os.makedirs(out, exist_ok=True)

    total_target = int(args.mb * MIB)
    g = Gen(args.seed)
    r = g.r
    written = 0
    files = 0
    largest = ("", 0)

    def write(rel: str, body: str) -> None:
        nonlocal written, files, largest
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = body.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        written += len(data)
        files += 1
        if len(data) > largest[1]:
            largest = (rel, len(data))

    # A few large files first, so that the largest file's size does not depend on --mb
    # (unless the corpus is too small to hold them).
    scale = min(1.0, args.mb / 8.0)
    for name, fn, size in [("large/handbook.md", markdown, MIB), ("large/landing.html", html, MIB // 2),
                           ("large/transcripts.txt", text, MIB // 4)]:
        write(name, fn(g, int(size * scale), 90000 + files))

    weights = [w for _, _, w in KINDS]
    n = 0
    while written < total_target:
        ext, fn, _ = r.choices(KINDS, weights=weights)[0]
        size = min(small_size(r), max(1024, total_target - written))
        body = fn(g, size, n)
        if ext == "md":
            sub = body.split("channel: ", 1)[1].split("\n", 1)[0]
        elif ext == "html":
            sub = "web"
        else:
            sub = "text"
        # at most 500 files a folder
        write(f"{sub}/{n // 500:02d}/{n:05d}.{ext}", body)
        n += 1

    print(f"corpus.py: {files} files, {written} bytes ({written / MIB:.2f} MiB) in {out}; "
          f"largest {largest[0]} ({largest[1]} bytes); seed {args.seed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
