-- Accounts and webhooks (issue 5, `copydesk serve`): password hashes, browser sessions, API
-- tokens, login attempts for rate limiting, webhooks and their durable delivery queue.
-- Operational tables: sessions are touched and revoked, attempts pruned, deliveries retried,
-- so unlike versions, decisions and the audit log they carry no immutability triggers.
-- Sessions and tokens are stored only as hashes of the secret the client holds. Times are
-- TEXT as rusqlite writes them ("2026-03-01 10:00:00.123456+00:00"), which sort as text in
-- time order, so the queries below compare them directly.

-- NULL: the user cannot sign in with a password.
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- the first characters of the token, shown to tell tokens apart
    prefix TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_brand ON api_tokens (brand_id, id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    succeeded INTEGER NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    url TEXT NOT NULL,
    -- signs deliveries, so it is kept readable
    secret TEXT NOT NULL,
    -- comma-separated event names (review.requested,asset.approved)
    events TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE INDEX webhooks_brand ON webhooks (brand_id, id);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    -- the exact JSON body sent (and signed)
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    state TEXT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    delivered_at TEXT,
    -- a worker's lease: while in the future, no other worker claims the delivery
    locked_until TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
