-- Per-import tallies of the contacts, kept by the importer as it stores them, so that the
-- contact metrics are computed from a few thousand rows instead of every contact (and stay
-- exact for any setting: every dimension a setting can cut on is kept whole).
--   queue:    inbound voice contacts that queued — t outcome, a queue_seconds, b callback_offered
--   answer:   every contact — a answered, b agent id recorded, c survey_score, d escalated
--   outbound: outbound contacts — a local minute of day, b local second is 0, c consent,
--             d has a customer reference
--   day:      every contact — t channel, a UTC day (Unix days), b latest started_at that day,
--             c that contact's UTC offset (minutes)
CREATE TABLE contact_tally (
    import_id  INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    family     TEXT NOT NULL CHECK (family = 'queue' OR family = 'answer' OR family = 'outbound' OR family = 'day'),
    t          TEXT,
    a          INTEGER,
    b          INTEGER,
    c          INTEGER,
    d          INTEGER,
    n          INTEGER NOT NULL CHECK (n > 0)
);
CREATE INDEX contact_tally_import ON contact_tally (import_id);

-- contact_after_opt_out: opt-outs, and outbound contacts by customer.
CREATE INDEX contact_opt_out ON contact (customer_ref, opted_out_at) WHERE opted_out_at IS NOT NULL;
CREATE INDEX contact_outbound_customer ON contact (customer_ref, started_at)
    WHERE direction = 'outbound' AND customer_ref IS NOT NULL;

-- Backfill: tallies of the contacts imported before this migration (the same definitions in SQL).
INSERT INTO contact_tally (import_id, family, t, a, b, c, d, n)
SELECT import_id, 'queue', outcome, queue_seconds, callback_offered, NULL, NULL, count(*)
FROM contact
WHERE channel = 'voice' AND direction = 'inbound' AND queue_seconds IS NOT NULL
GROUP BY import_id, outcome, queue_seconds, callback_offered;

INSERT INTO contact_tally (import_id, family, t, a, b, c, d, n)
SELECT import_id, 'answer', NULL, outcome = 'answered',
       agent_id IS NOT NULL AND agent_id <> '', survey_score, escalated, count(*)
FROM contact
GROUP BY 1, 4, 5, 6, 7;

INSERT INTO contact_tally (import_id, family, t, a, b, c, d, n)
SELECT import_id, 'outbound', NULL, local / 60, local % 60 = 0, consent,
       customer_ref IS NOT NULL, count(*)
FROM (SELECT import_id, consent, customer_ref,
             ((started_at + utc_offset * 60) % 86400 + 86400) % 86400 AS local
      FROM contact WHERE direction = 'outbound')
GROUP BY 1, 4, 5, 6, 7;

INSERT INTO contact_tally (import_id, family, t, a, b, c, d, n)
SELECT import_id, 'day', channel, day, max(started_at), utc_offset, NULL, count(*)
FROM (SELECT import_id, channel, started_at, utc_offset,
             (started_at - ((started_at % 86400) + 86400) % 86400) / 86400 AS day
      FROM contact)
GROUP BY import_id, channel, day;
