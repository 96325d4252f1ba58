-- The same schema as migrations/sqlite/0004_accounts.sql, in PostgreSQL types.
--
-- Accounts and webhooks (issue 5, `copydesk serve`): password hashes, browser sessions, API
-- tokens, login attempts for rate limiting, webhooks and their durable delivery queue.
-- Operational tables: sessions are touched and revoked, attempts pruned, deliveries retried,
-- so unlike versions, decisions and the audit log they carry no immutability triggers.
-- Sessions and tokens are stored only as hashes of the secret the client holds. Counts and
-- HTTP statuses are BIGINT like every other integer copydesk stores.

-- NULL: the user cannot sign in with a password.
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- the first characters of the token, shown to tell tokens apart
    prefix TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    role TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_brand ON api_tokens (brand_id, id);

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    url TEXT NOT NULL,
    -- signs deliveries, so it is kept readable
    secret TEXT NOT NULL,
    -- comma-separated event names (review.requested,asset.approved)
    events TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL,
    active BOOLEAN NOT NULL
);
CREATE INDEX webhooks_brand ON webhooks (brand_id, id);

CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    -- the exact JSON body sent (and signed)
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL,
    last_status BIGINT,
    last_error TEXT,
    delivered_at TIMESTAMPTZ,
    -- a worker's lease: while in the future, no other worker claims the delivery
    locked_until TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
