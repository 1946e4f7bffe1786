-- One row: the audit this file holds.
CREATE TABLE audit (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    organisation       TEXT NOT NULL CHECK (length(trim(organisation)) > 0),
    site               TEXT,
    scope              TEXT,
    channels           TEXT NOT NULL DEFAULT '[]',   -- JSON array of channel names
    audit_type         TEXT NOT NULL
                       CHECK (audit_type IN ('stage1', 'stage2', 'surveillance', 'self-assessment')),
    auditors           TEXT NOT NULL DEFAULT '[]',   -- JSON array of names
    start_date         TEXT,                         -- YYYY-MM-DD
    end_date           TEXT,
    created_at         TEXT NOT NULL,                -- RFC 3339
    checklist_id       TEXT NOT NULL,
    checklist_version  TEXT NOT NULL,
    checklist_sha256   TEXT NOT NULL,
    checklist_source   TEXT NOT NULL                 -- the checklist file exactly as loaded
);

-- The clauses of the checklist the audit was created with, in checklist order.
CREATE TABLE clause (
    id          TEXT PRIMARY KEY,
    section_id  TEXT NOT NULL,
    position    INTEGER NOT NULL UNIQUE,
    weight      REAL NOT NULL CHECK (weight > 0),
    mandatory   INTEGER NOT NULL CHECK (mandatory IN (0, 1))
) WITHOUT ROWID;

-- The auditor's current grade and note per clause (no row = not assessed, no note).
CREATE TABLE assessment (
    clause_id   TEXT PRIMARY KEY REFERENCES clause (id),
    grade       TEXT NOT NULL
                CHECK (grade IN ('conforming', 'observation', 'ofi', 'minor', 'major', 'na', 'not-assessed')),
    note        TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Every change of a grade or note, oldest first: the audit trail.
CREATE TABLE assessment_history (
    id          INTEGER PRIMARY KEY,
    clause_id   TEXT NOT NULL REFERENCES clause (id),
    grade       TEXT NOT NULL,
    note        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX assessment_history_clause ON assessment_history (clause_id, id);
