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
