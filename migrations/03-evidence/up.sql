-- Audit settings that the metrics use (spec/metrics.md): T, D, the short-abandon cut-off, the
-- calling-hours window, the opt-out grace, the corrective-action due days and per-metric targets.
-- A missing key takes the checklist's default. Values are JSON.
CREATE TABLE setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- The grade the evidence suggested when the auditor graded the clause; kept beside the grade.
ALTER TABLE assessment ADD COLUMN suggested TEXT;
ALTER TABLE assessment_history ADD COLUMN suggested TEXT;

-- Every nonconformity becomes a finding with a corrective action (spec/grading.md).
CREATE TABLE finding (
    id           INTEGER PRIMARY KEY,
    clause_id    TEXT NOT NULL REFERENCES clause (id),
    grade        TEXT NOT NULL CHECK (grade = 'minor' OR grade = 'major'),
    statement    TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    requirement  TEXT NOT NULL DEFAULT '',
    cause        TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    due_date     TEXT,                                     -- YYYY-MM-DD
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status = 'open' OR status = 'in_progress' OR status = 'done' OR status = 'verified'),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX finding_clause ON finding (clause_id);

-- QA listening samples: how each was drawn, so that anyone can redraw it.
CREATE TABLE sample (
    id           INTEGER PRIMARY KEY,
    seed         INTEGER NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    population   INTEGER NOT NULL CHECK (population >= 0),
    method       TEXT NOT NULL,                            -- how the size was chosen, in words
    strata       TEXT NOT NULL DEFAULT '[]',               -- JSON array of stratum fields
    allocation   TEXT NOT NULL DEFAULT '{}',               -- JSON object: stratum -> [population, drawn]
    created_at   TEXT NOT NULL
);

-- The contacts a sample drew (by call id, so a later re-import of the filled-in sheet can be
-- matched to them).
CREATE TABLE sample_contact (
    sample_id   INTEGER NOT NULL REFERENCES sample (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    call_id     TEXT NOT NULL,
    stratum     TEXT NOT NULL,
    PRIMARY KEY (sample_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX sample_contact_call ON sample_contact (call_id);

-- 'qa' marks an import of a filled-in QA sheet: its evaluations were attached to the sampled
-- contacts they name instead of adding the contacts a second time.
ALTER TABLE import ADD COLUMN role TEXT NOT NULL DEFAULT 'records' CHECK (role = 'records' OR role = 'qa');
