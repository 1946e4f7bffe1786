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

/// Connection settings every audit connection uses.
fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))
        .and_then(|_| conn.pragma_update(None, "foreign_keys", true))
        .and_then(|_| conn.pragma_update(None, "synchronous", "FULL"))
        .map_err(|e| Error::db(path, e))
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

/// Opens an existing audit file. Checks, before anything is written, that the file is an
/// SQLite database, that it is a Clausewise audit, that its schema is not newer than this build
/// and that it passes SQLite's quick check; then applies pending migrations in one transaction.
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
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    if check != "ok" {
        return Err(Error::Damaged {
            path: path.into(),
            detail: check,
        });
    }

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
