-- The guardrail findings of each version, as the check reported them (JSON array).
ALTER TABLE versions ADD COLUMN guardrail_findings TEXT NOT NULL DEFAULT '[]';
