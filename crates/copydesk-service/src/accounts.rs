//! Signing in: passwords (argon2id), sessions kept in the database so any server process can
//! serve them, API tokens scoped to one brand and one role, and login rate limiting. Secrets
//! are random, shown once and stored only as SHA-256 hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use copydesk_core::account::{ApiToken, Session};
use copydesk_core::secret::Secret;
use copydesk_core::Role;
use copydesk_core::{SessionId, TokenId};
use copydesk_store::{NewApiToken, NewSession};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::access::{in_brand, require_workspace_admin, resolve, Actor, TokenScope};
use crate::audit::record;
use crate::{Result, Service, ServiceError};

/// How long a session lasts without use; each use extends it.
pub const SESSION_IDLE: Duration = Duration::hours(12);
/// Window over which failed sign-ins are counted.
pub const LOGIN_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins to one account, within the window, before it is paused.
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed sign-ins from one address, within the window, before it is paused.
pub const MAX_FAILURES_PER_IP: u32 = 20;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

const TOKEN_PREFIX: &str = "cdk_";
const SESSION_PREFIX: &str = "cds_";

/// A new session: the cookie value and the form token, both shown to the browser only.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: String,
    pub session_token: Secret,
    pub csrf_token: Secret,
    pub expires_at: DateTime<Utc>,
}

/// Who a session cookie belongs to.
#[derive(Debug, Clone)]
pub struct SessionActor {
    pub actor: Actor,
    pub session: SessionId,
    pub csrf_token: Secret,
}

/// A new API token and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: Secret,
}

/// A random secret with a readable prefix, e.g. `cdk_3q…`.
pub(crate) fn new_secret(prefix: &str) -> Secret {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::new(format!("{prefix}{}", hex::encode(bytes)))
}

/// What is stored in place of a secret.
pub(crate) fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| ServiceError::Invalid(format!("cannot make a password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Invalid(format!("cannot hash the password: {e}")))
}

/// Verified in place of a missing or unreadable stored hash, with the same parameters as
/// `Argon2::default()`, so an unknown user costs the same work as a wrong password and timing
/// does not tell which accounts exist. It never lets anyone in.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Vq2Zbq3Hf2pu7Yj8Jm8CEk1l1yJ0aO7wP6VvQ5q8f0Q";

fn password_matches(password: &str, stored: Option<&str>) -> bool {
    let real = stored.and_then(|s| PasswordHash::new(s).ok());
    let Ok(decoy) = PasswordHash::new(DECOY_HASH) else {
        return false;
    };
    let verified = Argon2::default()
        .verify_password(password.as_bytes(), real.as_ref().unwrap_or(&decoy))
        .is_ok();
    verified && real.is_some()
}

/// Checks a new password and hashes it.
pub(crate) fn hash_new_password(user: &str, password: &str) -> Result<String> {
    check_password_strength(user, password)?;
    hash_password(password)
}

fn check_password_strength(user: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ServiceError::Invalid(format!(
            "the password has {chars} characters; use at least {MIN_PASSWORD_CHARS}"
        )));
    }
    if password.eq_ignore_ascii_case(user) {
        return Err(ServiceError::Invalid(
            "the password is the user name; choose another".into(),
        ));
    }
    Ok(())
}

enum SignInOutcome {
    Ok(SignedIn),
    Wrong,
    Paused { account: bool },
}

impl Service {
    /// Sets a user's password: the user themselves or a workspace admin.
    pub fn password_set(
        &mut self,
        actor: impl Into<Actor>,
        user_name: &str,
        password: &str,
    ) -> Result<()> {
        let actor: Actor = actor.into();
        let hash = hash_new_password(user_name, password)?;
        self.write(|tx, ctx| {
            let acting = resolve(tx, &actor)?;
            if actor.scope().is_some() || acting.name != user_name {
                require_workspace_admin(&acting, "setting another user's password")?;
            }
            let user = tx
                .user_by_name(user_name)?
                .ok_or_else(|| ServiceError::NotFound(format!("no user named '{user_name}'")))?;
            tx.set_password_hash(user.id, &hash)?;
            // a new password ends every session, so a stolen one stops working
            tx.revoke_sessions_of(user.id, ctx.now)?;
            record(
                tx,
                ctx,
                actor.name(),
                None,
                "user.password_set",
                format!("user:{}", user.id),
                serde_json::json!({"name": user_name}),
            )
        })
    }

    /// Checks a user name and password and opens a session. Failures are counted per account
    /// and per address; past the limits, sign-in pauses for the rest of the window.
    pub fn sign_in(&mut self, user_name: &str, password: &str, ip: &str) -> Result<SignedIn> {
        let outcome = self.write(|tx, ctx| {
            let since = ctx.now - LOGIN_WINDOW;
            let (account_failures, ip_failures) = tx.failed_logins_since(user_name, ip, since)?;
            if account_failures >= MAX_FAILURES_PER_ACCOUNT || ip_failures >= MAX_FAILURES_PER_IP {
                return Ok(SignInOutcome::Paused {
                    account: account_failures >= MAX_FAILURES_PER_ACCOUNT,
                });
            }
            let user = tx.user_by_name(user_name)?;
            let stored = match &user {
                Some(u) => tx.password_hash(u.id)?,
                None => None,
            };
            let matches = password_matches(password, stored.as_deref());
            tx.record_login_attempt(user_name, ip, ctx.now, matches)?;
            let Some(user) = user.filter(|_| matches) else {
                return Ok(SignInOutcome::Wrong);
            };
            let session_token = new_secret(SESSION_PREFIX);
            let csrf_token = new_secret("");
            let expires_at = ctx.now + SESSION_IDLE;
            tx.insert_session(&NewSession {
                token_hash: &secret_hash(session_token.expose()),
                user: user.id,
                csrf_token: csrf_token.expose(),
                at: ctx.now,
                expires_at,
            })?;
            tx.prune_login_attempts(since)?;
            Ok(SignInOutcome::Ok(SignedIn {
                user: user.name,
                session_token,
                csrf_token,
                expires_at,
            }))
        })?;
        match outcome {
            SignInOutcome::Ok(signed_in) => Ok(signed_in),
            SignInOutcome::Wrong => Err(ServiceError::Unauthenticated(
                "wrong user name or password".into(),
            )),
            SignInOutcome::Paused { account } => Err(ServiceError::RateLimited {
                message: if account {
                    "too many failed sign-ins for this account; try again later".into()
                } else {
                    "too many failed sign-ins from this address; try again later".into()
                },
                retry_after: LOGIN_WINDOW.num_seconds() as u64,
            }),
        }
    }

    /// The person a session cookie belongs to, when the session is live. Each use extends
    /// it, at most once a minute, so most requests only read.
    pub fn session_actor(&mut self, session_token: &str) -> Result<Option<SessionActor>> {
        let hash = secret_hash(session_token);
        let found = self.read(|tx, ctx| {
            let Some(session) = tx.session_by_hash(&hash)? else {
                return Ok(None);
            };
            if !is_live(&session, ctx.now) {
                return Ok(None);
            }
            let Some(user) = tx.user_by_id(session.user)? else {
                return Ok(None);
            };
            let stale = ctx.now - session.last_seen_at > Duration::minutes(1);
            Ok(Some((
                SessionActor {
                    actor: Actor::user(user.name),
                    session: session.id,
                    csrf_token: session.csrf_token,
                },
                stale,
            )))
        })?;
        let Some((found, stale)) = found else {
            return Ok(None);
        };
        if stale {
            self.write(|tx, ctx| {
                Ok(tx.touch_session(found.session, ctx.now, ctx.now + SESSION_IDLE)?)
            })?;
        }
        Ok(Some(found))
    }

    /// Ends one session (sign out).
    pub fn sign_out(&mut self, session_token: &str) -> Result<()> {
        let hash = secret_hash(session_token);
        self.write(|tx, ctx| {
            if let Some(session) = tx.session_by_hash(&hash)? {
                if session.revoked_at.is_none() {
                    tx.revoke_session(session.id, ctx.now)?;
                }
            }
            Ok(())
        })
    }

    /// Ends every session of the actor (sign out everywhere); returns how many were open.
    pub fn sign_out_everywhere(&mut self, actor: impl Into<Actor>) -> Result<u64> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let user = resolve(tx, &actor)?;
            Ok(tx.revoke_sessions_of(user.id, ctx.now)?)
        })
    }

    /// Issues an API token for the actor in one brand with one role they hold (or, for brand
    /// and workspace admins, any role). The secret is returned once and stored hashed.
    pub fn token_create(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        role: Role,
        name: &str,
    ) -> Result<IssuedToken> {
        let actor: Actor = actor.into();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ServiceError::Invalid(
                "a token needs a name of 1 to 100 characters, saying what uses it".into(),
            ));
        }
        if actor.scope().is_some() {
            return Err(ServiceError::Forbidden(
                "an API token cannot issue tokens; sign in to issue one".into(),
            ));
        }
        let secret = new_secret(TOKEN_PREFIX);
        self.write(|tx, ctx| {
            let user = resolve(tx, &actor)?;
            let access = in_brand(tx, &actor, user, brand)?;
            if !access.roles.contains(&role) && !access.is_admin() {
                return Err(ServiceError::Forbidden(format!(
                    "{} does not hold the {role} role in {}; a token can carry only a role its owner holds",
                    access.user.name, access.brand.slug
                )));
            }
            let prefix: String = secret.expose().chars().take(TOKEN_PREFIX.len() + 6).collect();
            let id = tx.insert_api_token(&NewApiToken {
                token_hash: &secret_hash(secret.expose()),
                name,
                prefix: &prefix,
                user: access.user.id,
                brand: access.brand.id,
                role,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "token.created",
                format!("token:{id}"),
                serde_json::json!({"name": name, "role": role, "prefix": prefix}),
            )?;
            let token = tx
                .api_token(id)?
                .ok_or_else(|| ServiceError::NotFound(format!("token {id} vanished")))?;
            Ok(IssuedToken {
                token,
                secret: secret.clone(),
            })
        })
    }

    /// The brand's tokens (never their secrets): its admins see all, others their own.
    pub fn token_list(&mut self, actor: impl Into<Actor>, brand: &str) -> Result<Vec<ApiToken>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let user = resolve(tx, &actor)?;
            let access = in_brand(tx, &actor, user, brand)?;
            let all = access.is_admin();
            Ok(tx
                .api_tokens(access.brand.id)?
                .into_iter()
                .filter(|t| all || t.user == access.user.id)
                .collect())
        })
    }

    /// Revokes a token: its owner or an admin of its brand. Returns false if it already was.
    pub fn token_revoke(&mut self, actor: impl Into<Actor>, id: TokenId) -> Result<bool> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let missing = || format!("no token {id}");
            let token = tx
                .api_token(id)?
                .ok_or_else(|| ServiceError::NotFound(missing()))?;
            let access = crate::access::member(tx, &actor, token.brand, missing)?;
            if token.user != access.user.id {
                access.require_admin("revoking another person's token")?;
            }
            let revoked = tx.revoke_api_token(id, ctx.now)?;
            if revoked {
                record(
                    tx,
                    ctx,
                    actor.name(),
                    Some(&access.brand.slug),
                    "token.revoked",
                    format!("token:{id}"),
                    serde_json::json!({"name": token.name}),
                )?;
            }
            Ok(revoked)
        })
    }

    /// The actor an API token acts as, when it is valid; records its use (at most once a
    /// minute, so most requests only read).
    pub fn token_actor(&mut self, secret: &str) -> Result<Option<Actor>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = secret_hash(secret);
        let found = self.read(|tx, ctx| {
            let Some(token) = tx.api_token_by_hash(&hash)? else {
                return Ok(None);
            };
            if token.revoked_at.is_some() {
                return Ok(None);
            }
            let stale = token
                .last_used_at
                .is_none_or(|t| ctx.now - t > Duration::minutes(1));
            Ok(Some((token, stale)))
        })?;
        let Some((token, stale)) = found else {
            return Ok(None);
        };
        if stale {
            self.write(|tx, ctx| Ok(tx.touch_api_token(token.id, ctx.now)?))?;
        }
        Ok(Some(Actor::token(
            token.user_name,
            TokenScope {
                brand: token.brand,
                role: token.role,
            },
        )))
    }
}

fn is_live(session: &Session, now: DateTime<Utc>) -> bool {
    session.revoked_at.is_none() && session.expires_at > now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoy_is_a_real_hash_with_the_default_cost() {
        let decoy = PasswordHash::new(DECOY_HASH).expect("the decoy parses");
        let own = hash_password("a long enough password").expect("hash");
        let own = PasswordHash::new(&own).expect("parses");
        assert_eq!(decoy.algorithm, own.algorithm);
        assert_eq!(decoy.params, own.params, "same work as a real verification");
    }

    #[test]
    fn only_the_stored_password_matches() {
        let stored = hash_new_password("bob", "a long enough password").expect("hash");
        assert!(password_matches("a long enough password", Some(&stored)));
        assert!(!password_matches("a long enough passworD", Some(&stored)));
        assert!(!password_matches("a long enough password", None));
        assert!(!password_matches(
            "a long enough password",
            Some("not a hash")
        ));
    }

    #[test]
    fn short_passwords_and_the_user_name_are_refused() {
        let short = hash_new_password("bob", "short").expect_err("too short");
        assert!(short.to_string().contains("at least 10"), "{short}");
        assert!(hash_new_password("bobthebuilder", "BobTheBuilder").is_err());
    }
}
