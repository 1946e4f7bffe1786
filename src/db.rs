//! The audit file as an SQLite database: the one place that opens it, sets its PRAGMAs and
//! applies the embedded migrations.

use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use include_dir::{include_dir, Dir};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;

use crate::error::{Error, Result};

/// `PRAGMA application_id` of every audit file: "CCAU".
pub const APPLICATION_ID: i32 = 0x4343_4155;

/// The page size of new audit files. Imports write a page at a time (to the WAL, then to the
/// file when it is checkpointed): 16 KiB pages make a quarter of the writes of SQLite's default
/// 4 KiB, for an empty audit of about 350 KB instead of 150 KB. Files made with other page
/// sizes keep theirs.
pub const PAGE_SIZE: i64 = 16384;

static MIGRATIONS_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).expect("embedded migrations are well formed")
});

/// The embedded migrations, in order.
pub fn migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

/// The schema version this build writes: the number of embedded migrations.
pub fn schema_version() -> i64 {
    MIGRATIONS_DIR.dirs().count() as i64
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Length of the SQLite file header, and where it keeps `user_version` and `application_id`
/// (big-endian 32-bit integers; see sqlite.org/fileformat.html).
const HEADER_LEN: usize = 100;
const USER_VERSION_OFFSET: usize = 60;
const APPLICATION_ID_OFFSET: usize = 68;

fn not_ours(path: &Path) -> Error {
    Error::NotAnAudit {
        path: path.into(),
        reason: "an SQLite database written by another program".into(),
    }
}

/// Connection settings every audit connection uses. An audit file may come from anyone, so
/// the connection is defensive: no writing to the schema behind SQLite's back, and functions
/// with side effects never run from a view or trigger the file carries.
fn configure(conn: &Connection, path: &Path) -> Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .and_then(|_| conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false))
        .and_then(|_| conn.busy_timeout(Duration::from_secs(5)))
        .and_then(|_| conn.pragma_update(None, "foreign_keys", true))
        .and_then(|_| conn.pragma_update(None, "synchronous", "FULL"))
        .map_err(|e| Error::db(path, e))
}

/// The schema objects (type, name, table, SQL) that `version` migrations create, read from a
/// database built in memory by the same migrations.
fn expected_schema(version: i64) -> std::result::Result<Vec<SchemaObject>, String> {
    let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    if version > 0 {
        migrations()
            .to_version(&mut conn, version as usize)
            .map_err(|e| e.to_string())?;
    }
    schema_objects(&conn).map_err(|e| e.to_string())
}

/// type, name, table and SQL of one schema object.
type SchemaObject = (String, String, String, String);

fn schema_objects(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// Refuses a file whose schema is not exactly what this build's migrations made for its
/// version: a table changed behind SQLite's back, or a trigger, view, index or table that
/// Clausewise never creates, is a file crafted or damaged by something else.
fn check_schema(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let found = schema_objects(conn).map_err(|e| damaged(path, e))?;
    let expected = expected_schema(version).map_err(|detail| Error::Migration {
        path: path.into(),
        detail,
    })?;
    if found == expected {
        return Ok(());
    }
    let extra = found.iter().find(|o| !expected.contains(o));
    let missing = expected.iter().find(|o| !found.contains(o));
    let reason = match (extra, missing) {
        (Some((kind, name, ..)), _) if !expected.iter().any(|e| &e.1 == name) => {
            format!("it holds a {kind} '{name}' that Clausewise does not create")
        }
        (Some((kind, name, ..)), _) => {
            format!("its {kind} '{name}' differs from the one Clausewise creates")
        }
        (None, Some((kind, name, ..))) => format!("its {kind} '{name}' is missing"),
        (None, None) => "its schema is not in the expected order".into(),
    };
    Err(Error::NotAnAudit {
        path: path.into(),
        reason,
    })
}

fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match e.sqlite_error_code() {
        Some(NotADatabase) | Some(DatabaseCorrupt) => Error::Damaged {
            path: path.into(),
            detail: e.to_string(),
        },
        _ => Error::db(path, e),
    }
}

/// Files up to this size get SQLite's quick check over every table when opened.
const CHECK_WHOLE_FILE: u64 = 64 << 20;

/// The tables of imported records and attached files' bytes: written once, in their import's
/// (or attachment's) transaction, and only read or deleted afterwards. In a large file they are
/// left out of the quick check on open (it would read every page of a million-record audit each
/// time); SQLite still reports damage in them when a page is read.
const RECORD_TABLES: [&str; 6] = [
    "attachment_data",
    "contact",
    "contact_qa",
    "complaint",
    "import_error",
    "sample_contact",
];

/// SQLite's quick check of the whole file, or in a large file of every table but the record
/// tables (the audit, its grades, findings, settings and the import log).
fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let checks: Vec<String> = if size <= CHECK_WHOLE_FILE {
        vec!["PRAGMA quick_check(1)".into()]
    } else {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .map_err(|e| damaged(path, e))?;
        let tables = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| damaged(path, e))?;
        tables
            .into_iter()
            .filter(|t| !RECORD_TABLES.contains(&t.as_str()))
            .map(|t| format!("PRAGMA quick_check(\"{}\")", t.replace('"', "\"\"")))
            .collect()
    };
    for sql in checks {
        let check: String = conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| damaged(path, e))?;
        if check != "ok" {
            return Err(Error::Damaged {
                path: path.into(),
                detail: check,
            });
        }
    }
    Ok(())
}

/// Opens an existing audit file. Checks, before anything is written, that the file is an
/// SQLite database, that it is a Clausewise audit, that its schema is not newer than this build
/// and that it passes SQLite's quick check (see [`quick_check`]); then applies pending
/// migrations in one transaction.
pub fn open_existing(path: &Path) -> Result<Connection> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    std::fs::File::open(path)
        .and_then(|f| f.take(HEADER_LEN as u64).read_to_end(&mut header))
        .map_err(|e| Error::io(path, e))?;
    if !header.starts_with(SQLITE_MAGIC) {
        return Err(Error::NotAnAudit {
            path: path.into(),
            reason: if header.is_empty() {
                "the file is empty".into()
            } else {
                "not an SQLite database".into()
            },
        });
    }
    // Read the ids from the file's own header first: SQLite must not open another program's
    // database (or a newer audit) at all, since closing the connection would checkpoint a
    // leftover -wal file into it and delete the -wal, changing a file we refuse. The same checks
    // are repeated through SQLite below for values that only a -wal file holds.
    if header.len() == HEADER_LEN {
        let field = |at: usize| i32::from_be_bytes(header[at..at + 4].try_into().unwrap());
        if field(APPLICATION_ID_OFFSET) != APPLICATION_ID {
            return Err(not_ours(path));
        }
        let found = i64::from(field(USER_VERSION_OFFSET));
        if found > schema_version() {
            return Err(Error::NewerSchema {
                path: path.into(),
                found,
                supported: schema_version(),
            });
        }
    }

    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| damaged(path, e))?;
    configure(&conn, path)?;

    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    if app_id != APPLICATION_ID {
        return Err(not_ours(path));
    }
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    let supported = schema_version();
    if found > supported {
        return Err(Error::NewerSchema {
            path: path.into(),
            found,
            supported,
        });
    }
    check_schema(&conn, path, found)?;
    quick_check(&conn, path)?;

    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| Error::db(path, e))?;
    if found < supported {
        migrate(&mut conn, path)?;
    }
    Ok(conn)
}

/// Applies the pending migrations, all in one transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| Error::Migration {
        path: path.into(),
        detail: e.to_string(),
    })
}

/// Deletes the rows of `table` where `condition` holds (SQL on its columns, with `param` as
/// `?1`) and, first, every row that refers to them through a foreign key declared `ON DELETE
/// CASCADE`, found in the schema: what SQLite does when it enforces foreign keys, for a
/// connection that does not at the moment (an import's transaction). A row referring to them
/// through any other foreign key is an error, as it would be with enforcement.
pub(crate) fn delete_cascading(
    conn: &Connection,
    table: &str,
    condition: &str,
    param: i64,
) -> rusqlite::Result<usize> {
    delete_cascading_from(conn, table, condition, param, 0)
}

fn delete_cascading_from(
    conn: &Connection,
    table: &str,
    condition: &str,
    param: i64,
    depth: usize,
) -> rusqlite::Result<usize> {
    let failure = |message: String| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(message),
        )
    };
    if depth > 8 {
        return Err(failure(format!(
            "foreign keys to {table} nest too deep to delete"
        )));
    }
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    // Every foreign key to `table`: (child table, key id, child column, parent column, action).
    let mut keys: Vec<(String, i64, String, Option<String>, String)> = conn
        .prepare(
            "SELECT m.name, f.id, f.\"from\", f.\"to\", f.on_delete
             FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = ?1 ORDER BY m.name, f.id, f.seq",
        )?
        .query_map([table], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    keys.dedup_by(|b, a| {
        // One key over several columns: its columns joined.
        if a.0 == b.0 && a.1 == b.1 {
            a.2 = format!("{}, {}", a.2, b.2);
            a.3 = Some(format!(
                "{}, {}",
                a.3.as_deref().unwrap_or("rowid"),
                b.3.as_deref().unwrap_or("rowid")
            ));
            true
        } else {
            false
        }
    });
    for (child, _, from, to, action) in keys {
        let from = from.split(", ").map(quote).collect::<Vec<_>>().join(", ");
        let to = match to {
            Some(to) => to.split(", ").map(quote).collect::<Vec<_>>().join(", "),
            None => "rowid".to_string(),
        };
        let referring = format!(
            "({from}) IN (SELECT {to} FROM {} WHERE {condition})",
            quote(table)
        );
        if action.eq_ignore_ascii_case("CASCADE") {
            delete_cascading_from(conn, &child, &referring, param, depth + 1)?;
        } else {
            let refers: bool = conn.query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM {} WHERE {referring})",
                    quote(&child)
                ),
                [param],
                |r| r.get(0),
            )?;
            if refers {
                return Err(failure(format!(
                    "rows of {child} refer to the rows of {table} to delete"
                )));
            }
        }
    }
    conn.execute(
        &format!("DELETE FROM {} WHERE {condition}", quote(table)),
        [param],
    )
}

/// Removes a database file and its `-wal` / `-shm` side files, ignoring what is not there.
pub(crate) fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Creates a new, empty audit database at `path`, which must not exist yet.
pub fn create_new(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| Error::db(path, e))?;
    configure(&conn, path)?;
    // The page size is fixed when the first page is written (the application id's).
    conn.pragma_update(None, "page_size", PAGE_SIZE)
        .and_then(|_| conn.pragma_update(None, "application_id", APPLICATION_ID))
        .and_then(|_| conn.pragma_update(None, "journal_mode", "WAL"))
        .map_err(|e| Error::db(path, e))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use rusqlite::types::Value;

    use super::*;

    /// Three imports' records, with evaluations, a sample, row errors and tallies, in a
    /// database made by the migrations, foreign keys enforced.
    fn records() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute_batch(
            "INSERT INTO import (id, kind, file_name, file_size, sha256, preset, encoding,
                 delimiter, line_ends, utc_offset, imported_at)
             VALUES (1, 'calls', 'a.csv', 1, 'x', 'p', 'utf-8', ',', 'lf', '+00:00', 't'),
                    (2, 'calls', 'b.csv', 1, 'y', 'p', 'utf-8', ',', 'lf', '+00:00', 't'),
                    (3, 'complaints', 'c.csv', 1, 'z', 'p', 'utf-8', ',', 'lf', '+00:00', 't');
             INSERT INTO contact (id, import_id, line, call_id, started_at, utc_offset, channel,
                 direction, outcome)
             VALUES (10, 1, 2, 'c1', 0, 0, 'voice', 'inbound', 'answered'),
                    (11, 1, 3, 'c2', 0, 0, 'voice', 'inbound', 'answered'),
                    (20, 2, 2, 'c1', 0, 0, 'voice', 'inbound', 'answered');
             INSERT INTO contact_qa VALUES (10, 'qa_greeting', 1), (11, 'qa_hold', 0),
                 (20, 'qa_greeting', 0);
             INSERT INTO sample (id, seed, size, population, method, created_at)
             VALUES (1, 7, 2, 3, 'all', 't');
             INSERT INTO sample_contact VALUES (1, 11, 'c2', 'all'), (1, 20, 'c1', 'all');
             INSERT INTO complaint (import_id, line, complaint_id, received_at, utc_offset)
             VALUES (3, 2, 'k1', 0, 0);
             INSERT INTO import_error (import_id, line, \"column\", reason)
             VALUES (1, 4, 'outcome', 'missing'), (2, 5, 'outcome', 'missing'),
                    (3, 3, 'received_at', 'missing');
             INSERT INTO contact_tally (import_id, family, n)
             VALUES (1, 'answer', 2), (2, 'answer', 1);
             INSERT INTO clause (id, section_id, position, weight, mandatory)
             VALUES ('4.1', '4', 1, 1.0, 1), ('4.2', '4', 2, 1.0, 1);
             INSERT INTO assessment (clause_id, grade, updated_at) VALUES ('4.1', 'minor', 't');",
        )
        .unwrap();
        conn
    }

    /// Every row of every table but the random key, as text.
    fn contents(conn: &Connection) -> Vec<String> {
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'secret'
                 ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut out = Vec::new();
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get::<_, Value>(i).map(|v| format!("{v:?}")))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap();
            for row in rows {
                out.push(format!("{table}: {}", row.unwrap().join(", ")));
            }
        }
        out
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn deleting_with_cascades_deletes_what_enforced_foreign_keys_delete() {
        for (table, condition, param) in [
            ("import", "id = ?1", 1),
            ("import", "id = ?1", 3),
            ("contact", "import_id = ?1", 2),
            ("contact", "id = ?1", 11),
        ] {
            let enforced = records();
            let by_sqlite = enforced
                .execute(&format!("DELETE FROM {table} WHERE {condition}"), [param])
                .unwrap();
            let unenforced = records();
            unenforced
                .pragma_update(None, "foreign_keys", false)
                .unwrap();
            let deleted = delete_cascading(&unenforced, table, condition, param).unwrap();
            assert_eq!(deleted, by_sqlite, "{table} {condition} {param}");
            assert_eq!(
                contents(&unenforced),
                contents(&enforced),
                "{table} {condition} {param}"
            );
        }

        // Import 1, by hand: its two contacts, their three evaluations and sampled contact, its
        // row error and its tally go; import 2's stay.
        let conn = records();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        assert_eq!(delete_cascading(&conn, "import", "id = ?1", 1).unwrap(), 1);
        let left = |sql| count(&conn, sql);
        assert_eq!(left("SELECT count(*) FROM import WHERE id IN (2, 3)"), 2);
        assert_eq!(left("SELECT count(*) FROM import"), 2);
        assert_eq!(left("SELECT count(*) FROM contact"), 1);
        assert_eq!(left("SELECT id FROM contact"), 20);
        assert_eq!(left("SELECT count(*) FROM contact_qa"), 1);
        assert_eq!(left("SELECT contact_id FROM contact_qa"), 20);
        assert_eq!(left("SELECT count(*) FROM sample_contact"), 1);
        assert_eq!(left("SELECT contact_id FROM sample_contact"), 20);
        assert_eq!(left("SELECT count(*) FROM sample"), 1);
        assert_eq!(left("SELECT count(*) FROM import_error"), 2);
        assert_eq!(
            left("SELECT count(*) FROM import_error WHERE import_id = 1"),
            0
        );
        assert_eq!(left("SELECT count(*) FROM contact_tally"), 1);
        assert_eq!(left("SELECT count(*) FROM complaint"), 1);
    }

    /// A row that refers to a deleted one without a cascade stops the deletion, as enforced
    /// foreign keys do.
    #[test]
    fn deleting_a_row_referred_to_without_a_cascade_fails() {
        let enforced = records();
        assert!(enforced
            .execute("DELETE FROM clause WHERE position = ?1", [1])
            .is_err());
        let conn = records();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        let before = contents(&conn);
        let err = delete_cascading(&conn, "clause", "position = ?1", 1).unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation)
        );
        assert_eq!(contents(&conn), before);
        // The clause nothing refers to goes.
        assert_eq!(
            delete_cascading(&conn, "clause", "position = ?1", 2).unwrap(),
            1
        );
        assert_eq!(count(&conn, "SELECT count(*) FROM clause"), 1);
    }
}
