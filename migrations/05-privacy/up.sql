-- Personal-data events: when customer pseudonyms and stored copies of rejected rows were purged.
CREATE TABLE privacy_event (
    id      INTEGER PRIMARY KEY,
    what    TEXT NOT NULL CHECK (what = 'purge'),
    detail  TEXT NOT NULL,
    at      TEXT NOT NULL
);
