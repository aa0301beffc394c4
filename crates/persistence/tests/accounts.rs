//! Accounts on both backends: registration rules, argon2id passwords, bans, guests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use persistence::PersistenceError;
use time::OffsetDateTime;

on_both_backends!(register_and_verify, |test_db, db| {
    let accounts = db.accounts();
    let alice = accounts
        .register("Alice_1", "correct horse", Some("alice@example.org"))
        .await
        .unwrap();
    assert_eq!(alice.username, "Alice_1");
    assert_eq!(alice.email.as_deref(), Some("alice@example.org"));
    assert!(!alice.is_guest);
    assert!(alice.last_login_at.is_none());

    // The stored hash is argon2id, never the password.
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM players WHERE password_hash LIKE '$argon2id$%'"),
        1
    );
    assert_eq!(
        test_db
            .count("SELECT count(*) AS n FROM players WHERE password_hash LIKE '%correct horse%'"),
        0
    );

    let ok = accounts
        .verify_password("alice_1", "correct horse")
        .await
        .unwrap();
    assert_eq!(ok.id, alice.id);
    for (name, password) in [
        ("Alice_1", "wrong horse!"),
        ("nobody", "correct horse"),
        ("bad name!", "x"),
    ] {
        assert!(
            matches!(
                accounts.verify_password(name, password).await,
                Err(PersistenceError::InvalidCredentials)
            ),
            "{name}/{password}"
        );
    }

    assert_eq!(
        accounts.by_username("ALICE_1").await.unwrap().unwrap().id,
        alice.id
    );
    assert_eq!(accounts.by_id(alice.id).await.unwrap().unwrap(), alice);
    assert!(accounts.by_username("bob").await.unwrap().is_none());
});

on_both_backends!(registration_rules, |_test_db, db| {
    let accounts = db.accounts();
    accounts.register("taken", "password1", None).await.unwrap();
    assert!(matches!(
        accounts.register("TAKEN", "password1", None).await,
        Err(PersistenceError::UsernameTaken(n)) if n == "TAKEN"
    ));
    for bad in ["ab", "a-b-c", "spaces here", "émile", &"x".repeat(33), ""] {
        assert!(
            matches!(
                accounts.register(bad, "password1", None).await,
                Err(PersistenceError::InvalidUsername(_))
            ),
            "{bad:?}"
        );
    }
    assert!(
        accounts
            .register(&"x".repeat(32), "password1", None)
            .await
            .is_ok()
    );
    assert!(matches!(
        accounts.register("shortpw", "1234567", None).await,
        Err(PersistenceError::InvalidPassword(_))
    ));
    assert!(matches!(
        accounts.register("longpw", &"p".repeat(257), None).await,
        Err(PersistenceError::InvalidPassword(_))
    ));
    for email in ["no-at-sign", "a@b", "a b@c.d"] {
        assert!(
            matches!(
                accounts.register("mailer", "password1", Some(email)).await,
                Err(PersistenceError::InvalidEmail(_))
            ),
            "{email}"
        );
    }
    // An empty email is no email.
    assert!(
        accounts
            .register("mailer", "password1", Some(""))
            .await
            .unwrap()
            .email
            .is_none()
    );
});

on_both_backends!(login_touches_last_login, |_test_db, db| {
    let accounts = db.accounts();
    let before = OffsetDateTime::now_utc() - Duration::from_secs(1);
    let account = accounts
        .register("logger", "password1", None)
        .await
        .unwrap();
    let logged_in = accounts.login("logger", "password1").await.unwrap();
    let at = logged_in.last_login_at.unwrap();
    assert!(at >= before && at <= OffsetDateTime::now_utc());
    assert_eq!(
        accounts
            .by_id(account.id)
            .await
            .unwrap()
            .unwrap()
            .last_login_at,
        Some(at)
    );
});

on_both_backends!(bans, |_test_db, db| {
    let accounts = db.accounts();
    let account = accounts
        .register("griefer", "password1", None)
        .await
        .unwrap();
    let session = db
        .sessions()
        .create(account.id, Duration::from_secs(3600), None, None)
        .await
        .unwrap();

    accounts
        .ban(account.id, None, Some("griefing"))
        .await
        .unwrap();
    match accounts.login("griefer", "password1").await {
        Err(PersistenceError::Banned { until, reason }) => {
            assert_eq!(until.year(), 9999);
            assert_eq!(reason.as_deref(), Some("griefing"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        accounts.ensure_not_banned(account.id).await,
        Err(PersistenceError::Banned { .. })
    ));
    // A ban ends every session at once.
    assert!(
        db.sessions()
            .validate(&session.token)
            .await
            .unwrap()
            .is_none()
    );

    accounts.unban(account.id).await.unwrap();
    accounts.login("griefer", "password1").await.unwrap();

    // A ban that already ended does not count.
    let past = OffsetDateTime::now_utc() - Duration::from_secs(60);
    accounts.ban(account.id, Some(past), None).await.unwrap();
    accounts.ensure_not_banned(account.id).await.unwrap();
    let future = OffsetDateTime::now_utc() + Duration::from_secs(600);
    accounts
        .ban(account.id, Some(future), Some("cool down"))
        .await
        .unwrap();
    let banned = accounts.by_id(account.id).await.unwrap().unwrap();
    assert!(banned.is_banned_at(OffsetDateTime::now_utc()));
    assert!(!banned.is_banned_at(future + Duration::from_secs(1)));

    let ghost = persistence::AccountId(987_654);
    assert!(matches!(
        accounts.ban(ghost, None, None).await,
        Err(PersistenceError::NotFound { .. })
    ));
    assert!(matches!(
        accounts.unban(ghost).await,
        Err(PersistenceError::NotFound { .. })
    ));
    assert!(matches!(
        accounts.touch_last_login(ghost).await,
        Err(PersistenceError::NotFound { .. })
    ));
});

on_both_backends!(guests, |_test_db, db| {
    let accounts = db.accounts();
    let a = accounts.create_guest().await.unwrap();
    let b = accounts.create_guest().await.unwrap();
    assert!(a.is_guest && b.is_guest);
    assert_ne!(a.username, b.username);
    assert!(a.username.starts_with("guest_"));
    persistence::validate_username(&a.username).unwrap();
    // Guests have no password: nothing logs them in by name.
    assert!(matches!(
        accounts.verify_password(&a.username, "").await,
        Err(PersistenceError::InvalidCredentials)
    ));
});
