//! Personal data in an audit file: customer identifiers are pseudonymised on import with the
//! audit's own key (see `import`); purging removes the pseudonyms, the stored copies of rejected
//! rows and the key itself, so nothing left in the file links a record to a customer.

use chrono::{SecondsFormat, Utc};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};

/// What a purge removed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PurgeReport {
    /// Contacts whose customer pseudonym was removed.
    #[ts(type = "number")]
    pub pseudonyms: u64,
    /// Rejected rows whose stored copy was removed (their line, column and reason stay).
    #[ts(type = "number")]
    pub rejected_rows: u64,
    pub at: String,
}

impl Audit {
    /// Removes the personal data the audit holds, in one transaction: every customer pseudonym,
    /// every stored copy of a rejected row, and the pseudonymisation key (replaced by a new
    /// random one, so later imports cannot be linked to earlier ones); then rewrites the file so
    /// the removed values linger neither in free pages nor in the write-ahead log. Metrics that need the
    /// customer (`contact_after_opt_out`) become not assessable for the records imported so far.
    pub fn purge_personal_data(&mut self) -> Result<PurgeReport> {
        let path = self.path().to_path_buf();
        let db = |e: rusqlite::Error| Error::db(&path, e);
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        // Overwrite what is deleted, so the old values do not linger in free pages.
        self.conn()
            .pragma_update(None, "secure_delete", true)
            .map_err(db)?;
        let tx = self.conn_mut().transaction().map_err(db)?;
        let pseudonyms = tx
            .execute(
                "UPDATE contact SET customer_ref = NULL WHERE customer_ref IS NOT NULL",
                [],
            )
            .map_err(db)? as u64;
        let rejected_rows = tx
            .execute(
                "UPDATE import_error SET raw = NULL WHERE raw IS NOT NULL",
                [],
            )
            .map_err(db)? as u64;
        tx.execute(
            "UPDATE contact_tally SET d = 0 WHERE family = 'outbound'",
            [],
        )
        .and_then(|_| {
            tx.execute(
                "UPDATE secret SET pseudonym_key = randomblob(32) WHERE id = 1",
                [],
            )
        })
        .and_then(|_| {
            tx.execute(
                "INSERT INTO privacy_event (what, detail, at) VALUES ('purge', ?1, ?2)",
                params![
                    format!("{pseudonyms} pseudonyms, {rejected_rows} rejected-row copies"),
                    at
                ],
            )
        })
        .and_then(|_| tx.commit())
        .map_err(db)?;
        // Rewrite the file without the old pages and empty the write-ahead log, which still
        // holds the pages as they were before the purge.
        self.conn()
            .execute_batch(
                "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .and_then(|_| self.conn().pragma_update(None, "secure_delete", false))
            .map_err(db)?;
        Ok(PurgeReport {
            pseudonyms,
            rejected_rows,
            at,
        })
    }
}
