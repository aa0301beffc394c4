//! Every migration runs up, down and up again on both backends, and both backends carry the
//! same migrations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use persistence::{Database, migrations};

fn migration_dirs(backend: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            for file in ["up.sql", "down.sql"] {
                assert!(e.path().join(file).is_file(), "{:?} lacks {file}", e.path());
            }
            e.file_name().into_string().unwrap()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_dated_migrations() {
    let pg = migration_dirs("postgres");
    assert_eq!(pg, migration_dirs("sqlite"));
    assert!(pg.len() >= 4);
    for name in &pg {
        // YYYY-MM-DD-HHMMSS_name
        let (stamp, rest) = name.split_at(17);
        assert!(rest.starts_with('_') && rest.len() > 1, "{name}");
        let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits.len(), 14, "{name}");
        assert_eq!(&stamp[4..5], "-", "{name}");
    }
}

async fn up_down_up(test_db: &common::TestDb) {
    let expected = migration_dirs("postgres");
    let db = Database::open_unmigrated(&test_db.config()).await.unwrap();

    let status = migrations::status(&db).await.unwrap();
    assert!(status.applied.is_empty());
    assert_eq!(status.pending, expected);

    assert_eq!(migrations::run_pending(&db).await.unwrap(), expected);
    assert!(migrations::run_pending(&db).await.unwrap().is_empty());
    let status = migrations::status(&db).await.unwrap();
    assert_eq!(status.applied, expected);
    assert!(status.pending.is_empty());
    // The schema works: a real write and read through the repositories.
    let account = db.accounts().create_guest().await.unwrap();
    assert!(db.accounts().by_id(account.id).await.unwrap().is_some());

    // Down one, then all (asking for more than exist reverts what there is).
    let last = migrations::revert(&db, 1).await.unwrap();
    assert_eq!(last, vec![expected.last().unwrap().clone()]);
    assert_eq!(migrations::status(&db).await.unwrap().pending.len(), 1);
    let rest = migrations::revert(&db, 100).await.unwrap();
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(rest, reversed[1..].to_vec());
    let status = migrations::status(&db).await.unwrap();
    assert!(status.applied.is_empty());
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM __diesel_schema_migrations"),
        0
    );

    // Up again on the emptied database.
    assert_eq!(migrations::run_pending(&db).await.unwrap(), expected);
    let account = db
        .accounts()
        .register("again_after_down", "long enough", None)
        .await
        .unwrap();
    assert_eq!(account.username, "again_after_down");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_down_up_on_postgres() {
    up_down_up(&common::TestDb::postgres("migrations")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_down_up_on_sqlite() {
    up_down_up(&common::TestDb::sqlite("migrations")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_runs_pending_migrations_before_returning() {
    let test_db = common::TestDb::sqlite("connect_migrates");
    let db = test_db.connect().await;
    assert!(migrations::status(&db).await.unwrap().pending.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_lists_versions_applied_by_a_newer_build() {
    let test_db = common::TestDb::sqlite("newer_build");
    let db = test_db.connect().await;
    test_db.execute(
        "INSERT INTO __diesel_schema_migrations (version, run_on) VALUES ('29991231000000', CURRENT_TIMESTAMP)",
    );
    let status = migrations::status(&db).await.unwrap();
    assert_eq!(
        status.applied.last().map(String::as_str),
        Some("29991231000000")
    );
    assert!(status.pending.is_empty());
}
