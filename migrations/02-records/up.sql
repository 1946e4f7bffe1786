-- The per-audit key that pseudonymises customer identifiers before they are stored.
CREATE TABLE secret (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pseudonym_key  BLOB NOT NULL CHECK (length(pseudonym_key) = 32)
);
INSERT INTO secret (id, pseudonym_key) VALUES (1, randomblob(32));

-- One row per import: which file, how it was read, and what became of its rows.
CREATE TABLE import (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind = 'calls' OR kind = 'complaints'),
    file_name    TEXT NOT NULL,
    file_size    INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    preset       TEXT NOT NULL,
    mapping      TEXT,                 -- the mapping file's text when one was given
    encoding     TEXT NOT NULL,
    delimiter    TEXT NOT NULL,
    line_ends    TEXT NOT NULL,
    utc_offset   TEXT NOT NULL,
    header       TEXT,                 -- JSON array of the file's column names
    rows_read    INTEGER NOT NULL DEFAULT 0,
    accepted     INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    records      INTEGER NOT NULL DEFAULT 0,
    imported_at  TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_sha256 ON import (kind, sha256);

-- Every rejected row: where, which column, why, and the row itself for the centre to fix.
CREATE TABLE import_error (
    import_id  INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    "column"   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    raw        TEXT
);
CREATE INDEX import_error_import ON import_error (import_id, line);

-- Canonical contacts (spec/records.md). Value checks are written as OR chains: an IN list
-- would build a temporary index for every inserted row. Times are Unix seconds with the source's UTC offset
-- in minutes; booleans 0/1, NULL = unknown.
CREATE TABLE contact (
    id                  INTEGER PRIMARY KEY,
    import_id           INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    line                INTEGER NOT NULL,
    call_id             TEXT NOT NULL,
    started_at          INTEGER NOT NULL,
    utc_offset          INTEGER NOT NULL,
    channel             TEXT NOT NULL CHECK (channel = 'voice' OR channel = 'chat' OR channel = 'email' OR channel = 'social'),
    direction           TEXT NOT NULL CHECK (direction = 'inbound' OR direction = 'outbound'),
    queue               TEXT,
    ivr_seconds         INTEGER CHECK (ivr_seconds >= 0),
    queue_seconds       INTEGER CHECK (queue_seconds >= 0),
    outcome             TEXT NOT NULL
                        CHECK (outcome = 'answered' OR outcome = 'abandoned' OR outcome = 'callback' OR outcome = 'voicemail' OR outcome = 'failed'),
    callback_offered    INTEGER,
    callback_requested  INTEGER,
    talk_seconds        INTEGER CHECK (talk_seconds >= 0),
    hold_seconds        INTEGER CHECK (hold_seconds >= 0),
    agent_id            TEXT,
    transferred         INTEGER,
    escalated           INTEGER,
    survey_score        INTEGER CHECK (survey_score BETWEEN 1 AND 5),
    customer_ref        TEXT,          -- pseudonym, never the identifier itself
    complaint_ref       TEXT,
    consent             INTEGER,
    opted_out_at        INTEGER,
    UNIQUE (import_id, call_id)
);

-- QA evaluations of sampled contacts: one row per qa_* column filled in.
CREATE TABLE contact_qa (
    contact_id  INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed = 0 OR passed = 1),
    PRIMARY KEY (contact_id, name)
) WITHOUT ROWID;

CREATE TABLE complaint (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    line             INTEGER NOT NULL,
    complaint_id     TEXT NOT NULL,
    received_at      INTEGER NOT NULL,
    utc_offset       INTEGER NOT NULL,
    channel          TEXT CHECK (channel = 'voice' OR channel = 'email' OR channel = 'chat' OR channel = 'social' OR channel = 'letter' OR channel = 'web' OR channel = 'other'),
    category         TEXT,
    acknowledged_at  INTEGER,
    reference_given  INTEGER,
    eta_given        INTEGER,
    resolved_at      INTEGER,
    outcome          TEXT CHECK (outcome = 'upheld' OR outcome = 'partially_upheld' OR outcome = 'rejected' OR outcome = 'withdrawn' OR outcome = 'open'),
    escalated        INTEGER,
    satisfied        INTEGER,
    UNIQUE (import_id, complaint_id)
);
