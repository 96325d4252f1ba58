CREATE TABLE brands (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kit TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users(id),
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    role TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, brand_id, role)
);
CREATE INDEX memberships_brand ON memberships (brand_id);

CREATE TABLE briefs (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    current_version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX briefs_brand ON briefs (brand_id, id);

CREATE TABLE brief_versions (
    brief_id INTEGER NOT NULL REFERENCES briefs(id),
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (brief_id, number)
);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    brief_id INTEGER NOT NULL REFERENCES briefs(id),
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    body TEXT NOT NULL,
    added_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX sources_brief ON sources (brief_id, id);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    brief_id INTEGER NOT NULL REFERENCES briefs(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL,
    personalised INTEGER NOT NULL,
    state TEXT NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 0,
    pending_role TEXT,
    -- who wrote the version under review (JSON user ids): they may not approve it
    review_authors TEXT NOT NULL DEFAULT '[]',
    due TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX assets_brand ON assets (brand_id, id);
CREATE INDEX assets_queue ON assets (brand_id, pending_role, due, id) WHERE pending_role IS NOT NULL;

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    asset_id INTEGER NOT NULL REFERENCES assets(id),
    number INTEGER NOT NULL,
    parent INTEGER,
    body TEXT NOT NULL,
    chars INTEGER NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('user', 'model')),
    author_id INTEGER NOT NULL REFERENCES users(id),
    model_provider TEXT,
    model_name TEXT,
    template_id TEXT,
    template_version TEXT,
    note TEXT NOT NULL,
    brief_version INTEGER NOT NULL,
    findings TEXT NOT NULL,
    reverted_from INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (asset_id, number)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    asset_id INTEGER NOT NULL REFERENCES assets(id),
    version INTEGER NOT NULL,
    tier TEXT NOT NULL,
    score INTEGER NOT NULL,
    stages TEXT NOT NULL,
    submitted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    policy_digest TEXT NOT NULL
);
CREATE INDEX reviews_asset ON reviews (asset_id, id);

CREATE TABLE decisions (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    stage INTEGER NOT NULL,
    role TEXT NOT NULL,
    decision TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT,
    comment TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (review_id, stage)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    asset_id INTEGER NOT NULL REFERENCES assets(id),
    version INTEGER NOT NULL,
    range_start INTEGER,
    range_end INTEGER,
    quote TEXT NOT NULL,
    body TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX comments_asset ON comments (asset_id, id);

CREATE TABLE spot_check_samples (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id),
    asset_id INTEGER NOT NULL REFERENCES assets(id),
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    seed TEXT NOT NULL,
    draw REAL NOT NULL,
    rate REAL NOT NULL,
    sampled INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX samples_brand ON spot_check_samples (brand_id, review_id) WHERE sampled = 1;

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    brand TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_subject ON audit_log (subject, seq);
CREATE INDEX audit_brand ON audit_log (brand, seq);

-- History is never rewritten: versions, decisions and the audit log only grow.
CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
