-- Experiments (issue 6): a hypothesis-first A/B test on an asset. Variants and the launch
-- plan are JSON: they change only while the experiment is designed and at its start, and the
-- audit log records every change. Imported results are appended, never rewritten; the
-- newest import is the current one.
CREATE TABLE experiments (
    id BIGSERIAL PRIMARY KEY,
    brand_id BIGINT NOT NULL REFERENCES brands(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    hypothesis TEXT NOT NULL,
    lever TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    inverse BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    variants TEXT NOT NULL,
    plan TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    stopped_at TIMESTAMPTZ
);
CREATE INDEX experiments_brand ON experiments (brand_id, id);

CREATE TABLE experiment_results (
    id BIGSERIAL PRIMARY KEY,
    experiment_id BIGINT NOT NULL REFERENCES experiments(id),
    source TEXT NOT NULL,
    rows TEXT NOT NULL,
    imported_by BIGINT NOT NULL REFERENCES users(id),
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX experiment_results_experiment ON experiment_results (experiment_id, id);

CREATE TRIGGER experiment_results_no_update BEFORE UPDATE ON experiment_results
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('imported results are never rewritten');
CREATE TRIGGER experiment_results_no_delete BEFORE DELETE ON experiment_results
    FOR EACH ROW EXECUTE FUNCTION copydesk_refuse_change('imported results are never deleted');
CREATE TRIGGER experiment_results_no_truncate BEFORE TRUNCATE ON experiment_results
    FOR EACH STATEMENT EXECUTE FUNCTION copydesk_refuse_change('imported results are never deleted');
