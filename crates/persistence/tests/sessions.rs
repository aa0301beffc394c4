//! Sessions on both backends: tokens stored only as hashes, expiry, revocation, purging.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use persistence::{AccountId, PersistenceError, hash_token};
use time::OffsetDateTime;

const HOUR: Duration = Duration::from_secs(3600);

on_both_backends!(create_and_validate, |test_db, db| {
    let account = db
        .accounts()
        .register("sessioner", "password1", None)
        .await
        .unwrap();
    let sessions = db.sessions();
    let new = sessions
        .create(
            account.id,
            HOUR,
            Some("203.0.113.7"),
            Some(&"UA".repeat(1000)),
        )
        .await
        .unwrap();
    assert_eq!(new.token.len(), 64);
    assert_eq!(new.session.account_id, account.id);
    assert_eq!(new.session.ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(new.session.user_agent.as_ref().unwrap().len(), 512);
    let lifetime = new.session.expires_at - new.session.created_at;
    assert_eq!(lifetime.whole_seconds(), 3600);

    // Only the SHA-256 of the token is stored.
    assert_eq!(
        test_db.count(&format!(
            "SELECT count(*) AS n FROM sessions WHERE token_hash = '{}'",
            hash_token(&new.token)
        )),
        1
    );
    assert_eq!(
        test_db.count(&format!(
            "SELECT count(*) AS n FROM sessions WHERE token_hash = '{0}' OR id = '{0}'",
            new.token
        )),
        0
    );

    let (session, who) = sessions.validate(&new.token).await.unwrap().unwrap();
    assert_eq!(session, new.session);
    assert_eq!(who.id, account.id);
    assert!(session.is_active_at(OffsetDateTime::now_utc()));
    let (by_id, _) = sessions.validate_id(new.session.id).await.unwrap().unwrap();
    assert_eq!(by_id, new.session);

    // Wrong, malformed and foreign tokens find nothing.
    let mut wrong = new.token.clone();
    wrong.replace_range(0..1, if wrong.starts_with('a') { "b" } else { "a" });
    for token in [
        wrong.as_str(),
        "",
        "not hex at all",
        &new.token[..63],
        &"Z".repeat(64),
    ] {
        assert!(sessions.validate(token).await.unwrap().is_none(), "{token}");
    }
    assert!(
        sessions
            .validate_id(uuid::Uuid::new_v4())
            .await
            .unwrap()
            .is_none()
    );

    // Sessions for an account that does not exist are refused.
    assert!(matches!(
        sessions.create(AccountId(424_242), HOUR, None, None).await,
        Err(PersistenceError::NotFound { .. })
    ));
});

on_both_backends!(expiry_and_extension, |_test_db, db| {
    let account = db.accounts().create_guest().await.unwrap();
    let sessions = db.sessions();
    let expired = sessions
        .create(account.id, Duration::ZERO, None, None)
        .await
        .unwrap();
    assert!(sessions.validate(&expired.token).await.unwrap().is_none());
    assert!(!sessions.extend(expired.session.id, HOUR).await.unwrap());

    let live = sessions
        .create(account.id, Duration::from_secs(60), None, None)
        .await
        .unwrap();
    assert!(sessions.extend(live.session.id, 2 * HOUR).await.unwrap());
    let (s, _) = sessions.validate(&live.token).await.unwrap().unwrap();
    assert!(s.expires_at > OffsetDateTime::now_utc() + HOUR);

    // An absurd lifetime saturates instead of overflowing.
    let forever = sessions
        .create(account.id, Duration::MAX, None, None)
        .await
        .unwrap();
    assert_eq!(forever.session.expires_at.year(), 9999);
    assert!(sessions.validate(&forever.token).await.unwrap().is_some());
});

on_both_backends!(revoke_and_purge, |test_db, db| {
    let a = db
        .accounts()
        .register("revoker", "password1", None)
        .await
        .unwrap();
    let b = db
        .accounts()
        .register("bystander", "password1", None)
        .await
        .unwrap();
    let sessions = db.sessions();
    let one = sessions.create(a.id, HOUR, None, None).await.unwrap();
    let two = sessions.create(a.id, HOUR, None, None).await.unwrap();
    let three = sessions.create(a.id, HOUR, None, None).await.unwrap();
    let other = sessions.create(b.id, HOUR, None, None).await.unwrap();
    let _expired = sessions
        .create(b.id, Duration::ZERO, None, None)
        .await
        .unwrap();

    assert!(sessions.revoke(one.session.id).await.unwrap());
    assert!(!sessions.revoke(one.session.id).await.unwrap());
    assert!(sessions.validate(&one.token).await.unwrap().is_none());

    assert!(sessions.revoke_token(&two.token).await.unwrap());
    assert!(!sessions.revoke_token(&two.token).await.unwrap());
    assert!(!sessions.revoke_token("garbage").await.unwrap());
    assert!(sessions.validate(&two.token).await.unwrap().is_none());

    assert_eq!(sessions.revoke_all(a.id).await.unwrap(), 1);
    assert!(sessions.validate(&three.token).await.unwrap().is_none());
    assert!(sessions.validate(&other.token).await.unwrap().is_some());
    assert_eq!(sessions.list(a.id).await.unwrap().len(), 3);

    // Three revoked + one expired go; the live one stays.
    assert_eq!(sessions.purge_expired().await.unwrap(), 4);
    assert_eq!(test_db.count("SELECT count(*) AS n FROM sessions"), 1);
    assert!(sessions.validate(&other.token).await.unwrap().is_some());
});
