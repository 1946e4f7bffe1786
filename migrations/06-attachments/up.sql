-- Evidence on a clause: files the auditor attached (documents, photos, screenshots) stored
-- inside the audit file with their SHA-256, and interview notes (text written in the app).
CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    clause_id   TEXT NOT NULL REFERENCES clause (id),
    kind        TEXT NOT NULL CHECK (kind IN ('file', 'interview')),
    -- The file's name as the auditor's machine had it (no folder), or the interview's title.
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    added_at    TEXT NOT NULL
);
CREATE INDEX attachment_clause ON attachment (clause_id, id);

-- The bytes, apart from the description above, so that changing the description never copies
-- them (a copy would leave the old bytes in free pages).
CREATE TABLE attachment_data (
    attachment_id  INTEGER PRIMARY KEY REFERENCES attachment (id) ON DELETE CASCADE,
    data           BLOB NOT NULL
);

-- Every attachment added or removed, oldest first (the attachment's bytes are not kept here).
CREATE TABLE attachment_history (
    id             INTEGER PRIMARY KEY,
    attachment_id  INTEGER NOT NULL,
    clause_id      TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('added', 'removed')),
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    at             TEXT NOT NULL
);
