-- The same schema as migrations/sqlite/0001_init.sql, in PostgreSQL types.
--
-- Version numbers and stages (u32 in Rust) are BIGINT so every u32 fits. JSON columns are TEXT,
-- holding exactly the bytes copydesk wrote: the audit chain hashes `details`, and JSONB would
-- rewrite numbers and key order. An asset without a due date has due = 9999-12-31, so it sorts
-- after every real deadline.

CREATE TABLE brands (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kit TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users(id),
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    role TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, brand_id, role)
);
CREATE INDEX memberships_brand ON memberships (brand_id);

CREATE TABLE briefs (
    id BIGSERIAL PRIMARY KEY,
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    current_version BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX briefs_brand ON briefs (brand_id, id);

CREATE TABLE brief_versions (
    brief_id BIGINT NOT NULL REFERENCES briefs(id),
    number BIGINT NOT NULL,
    content TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (brief_id, number)
);

CREATE TABLE sources (
    id BIGSERIAL PRIMARY KEY,
    brief_id BIGINT NOT NULL REFERENCES briefs(id),
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    body TEXT NOT NULL,
    added_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sources_brief ON sources (brief_id, id);

CREATE TABLE assets (
    id BIGSERIAL PRIMARY KEY,
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    brief_id BIGINT NOT NULL REFERENCES briefs(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL,
    personalised BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    current_version BIGINT NOT NULL DEFAULT 0,
    pending_role TEXT,
    -- who wrote the version under review (JSON user ids): they may not approve it
    review_authors TEXT NOT NULL DEFAULT '[]',
    due DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX assets_brand ON assets (brand_id, id);
CREATE INDEX assets_queue ON assets (brand_id, pending_role, due, id) WHERE pending_role IS NOT NULL;

CREATE TABLE versions (
    id BIGSERIAL PRIMARY KEY,
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    number BIGINT NOT NULL,
    parent BIGINT,
    body TEXT NOT NULL,
    chars BIGINT NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('user', 'model')),
    author_id BIGINT NOT NULL REFERENCES users(id),
    model_provider TEXT,
    model_name TEXT,
    template_id TEXT,
    template_version TEXT,
    note TEXT NOT NULL,
    brief_version BIGINT NOT NULL,
    findings TEXT NOT NULL,
    reverted_from BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (asset_id, number)
);

CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    version BIGINT NOT NULL,
    tier TEXT NOT NULL,
    score BIGINT NOT NULL,
    stages TEXT NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMPTZ NOT NULL,
    policy_digest TEXT NOT NULL
);
CREATE INDEX reviews_asset ON reviews (asset_id, id);

CREATE TABLE decisions (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    stage BIGINT NOT NULL,
    role TEXT NOT NULL,
    decision TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    reason TEXT,
    comment TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (review_id, stage)
);

CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    version BIGINT NOT NULL,
    range_start BIGINT,
    range_end BIGINT,
    quote TEXT NOT NULL,
    body TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_asset ON comments (asset_id, id);

CREATE TABLE spot_check_samples (
    review_id BIGINT PRIMARY KEY REFERENCES reviews(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    seed TEXT NOT NULL,
    draw DOUBLE PRECISION NOT NULL,
    rate DOUBLE PRECISION NOT NULL,
    sampled BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX samples_brand ON spot_check_samples (brand_id, review_id) WHERE sampled;

-- seq is assigned by the audit chain (AuditEntry::seq), not by a sequence.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
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
CREATE FUNCTION copydesk_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;

CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('versions are immutable');
CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('versions are immutable');
CREATE TRIGGER versions_no_truncate BEFORE TRUNCATE ON versions
    FOR EACH STATEMENT EXECUTE FUNCTION copydesk_refuse_change('versions are immutable');
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('decisions are immutable');
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('decisions are immutable');
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION copydesk_refuse_change('decisions are immutable');
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('the audit log is append-only');
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('the audit log is append-only');
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION copydesk_refuse_change('the audit log is append-only');
