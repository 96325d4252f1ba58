-- Experiments (issue 6): a hypothesis-first A/B test on an asset. Variants and the launch
-- plan are JSON: they change only while the experiment is designed and at its start, and the
-- audit log records every change. Imported results are appended, never rewritten; the
-- newest import is the current one.
CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    asset_id INTEGER NOT NULL REFERENCES assets(id),
    hypothesis TEXT NOT NULL,
    lever TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    inverse INTEGER NOT NULL,
    state TEXT NOT NULL,
    variants TEXT NOT NULL,
    plan TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    started_at TEXT,
    stopped_at TEXT
);
CREATE INDEX experiments_brand ON experiments (brand_id, id);

CREATE TABLE experiment_results (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id),
    source TEXT NOT NULL,
    rows TEXT NOT NULL,
    imported_by INTEGER NOT NULL REFERENCES users(id),
    imported_at TEXT NOT NULL
);
CREATE INDEX experiment_results_experiment ON experiment_results (experiment_id, id);

CREATE TRIGGER experiment_results_no_update BEFORE UPDATE ON experiment_results
BEGIN SELECT RAISE(ABORT, 'imported results are never rewritten'); END;
CREATE TRIGGER experiment_results_no_delete BEFORE DELETE ON experiment_results
BEGIN SELECT RAISE(ABORT, 'imported results are never deleted'); END;
