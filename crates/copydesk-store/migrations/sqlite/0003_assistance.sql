-- AI assistance (issue 4): how each version was made, advisor notes on briefs, and which
-- prompt template version is active per brand and task. All insert-only.
ALTER TABLE versions ADD COLUMN provenance TEXT;

CREATE TABLE brief_notes (
    id INTEGER PRIMARY KEY,
    brief_id INTEGER NOT NULL REFERENCES briefs(id),
    brief_version INTEGER NOT NULL,
    body TEXT NOT NULL,
    provenance TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX brief_notes_brief ON brief_notes (brief_id, id);

CREATE TABLE prompt_activations (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    task TEXT NOT NULL,
    version TEXT NOT NULL,
    digest TEXT NOT NULL,
    origin TEXT NOT NULL,
    activated_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX prompt_activations_current ON prompt_activations (brand_id, task, id);

CREATE TRIGGER brief_notes_no_update BEFORE UPDATE ON brief_notes
BEGIN SELECT RAISE(ABORT, 'brief notes are immutable'); END;
CREATE TRIGGER brief_notes_no_delete BEFORE DELETE ON brief_notes
BEGIN SELECT RAISE(ABORT, 'brief notes are immutable'); END;
CREATE TRIGGER prompt_activations_no_update BEFORE UPDATE ON prompt_activations
BEGIN SELECT RAISE(ABORT, 'prompt activations are a history'); END;
CREATE TRIGGER prompt_activations_no_delete BEFORE DELETE ON prompt_activations
BEGIN SELECT RAISE(ABORT, 'prompt activations are a history'); END;
