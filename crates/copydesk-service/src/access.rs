//! Who may do what: every operation resolves its actor and checks role × brand here.
//! A brand the actor does not belong to is reported as not found, never as forbidden, so
//! its existence does not leak.

use copydesk_core::org::{Brand, Membership, User};
use copydesk_core::{BrandId, Role};
use copydesk_store::Tx;

use crate::{Result, ServiceError};

/// Who is acting: a person by their user name, or an API token acting for its owner within
/// one brand and one role. Every operation takes one, so the same checks cover the CLI, the
/// web pages and automation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    scope: Option<TokenScope>,
}

/// What an API token may reach: one brand, one role (and never workspace administration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenScope {
    pub brand: BrandId,
    pub role: Role,
}

impl Actor {
    /// A person acting with every role they hold.
    pub fn user(name: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            scope: None,
        }
    }

    /// A token acting for its owner, limited to `scope`.
    pub fn token(owner: impl Into<String>, scope: TokenScope) -> Actor {
        Actor {
            name: owner.into(),
            scope: Some(scope),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn scope(&self) -> Option<TokenScope> {
        self.scope
    }
}

impl From<&str> for Actor {
    fn from(name: &str) -> Actor {
        Actor::user(name)
    }
}

impl From<&Actor> for Actor {
    fn from(actor: &Actor) -> Actor {
        actor.clone()
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// The acting user and their roles in the brand at hand.
pub(crate) struct Access {
    pub user: User,
    pub roles: Vec<Role>,
    pub brand: Brand,
}

/// The user behind an actor. A token never carries its owner's workspace-admin power: it is
/// scoped to one brand and one role.
pub(crate) fn resolve(tx: &mut dyn Tx, actor: &Actor) -> Result<User> {
    let name = actor.name();
    let mut user = tx.user_by_name(name)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "no user named '{name}': act as an existing user, or ask a workspace admin to add this one"
        ))
    })?;
    if actor.scope.is_some() {
        user.is_admin = false;
    }
    Ok(user)
}

/// The memberships `user` acts with: all of them for a person, and for a token only its own
/// brand and role, and that only while the owner still holds the role.
pub(crate) fn memberships(tx: &mut dyn Tx, actor: &Actor, user: &User) -> Result<Vec<Membership>> {
    Ok(tx
        .memberships(user.id)?
        .into_iter()
        .filter(|m| {
            actor
                .scope
                .is_none_or(|s| s.brand == m.brand && s.role == m.role)
        })
        .collect())
}

fn roles_in(tx: &mut dyn Tx, actor: &Actor, user: &User, brand: BrandId) -> Result<Vec<Role>> {
    Ok(memberships(tx, actor, user)?
        .into_iter()
        .filter(|m| m.brand == brand)
        .map(|m| m.role)
        .collect())
}

/// Resolves the actor in a brand they must belong to (workspace admins belong everywhere);
/// `not_found` words the error for a brand they do not belong to, e.g. "no asset 12".
pub(crate) fn member(
    tx: &mut dyn Tx,
    actor: &Actor,
    brand: BrandId,
    not_found: impl Fn() -> String,
) -> Result<Access> {
    let user = resolve(tx, actor)?;
    let brand = tx
        .brand(brand)?
        .ok_or_else(|| ServiceError::NotFound(not_found()))?;
    access_to(tx, actor, user, brand, not_found)
}

/// Resolves the actor in the brand a slug names.
pub(crate) fn member_by_slug(tx: &mut dyn Tx, actor: &Actor, slug: &str) -> Result<Access> {
    let user = resolve(tx, actor)?;
    in_brand(tx, actor, user, slug)
}

/// An already resolved user in the brand a slug names.
pub(crate) fn in_brand(tx: &mut dyn Tx, actor: &Actor, user: User, slug: &str) -> Result<Access> {
    let missing = || format!("no brand '{slug}'");
    let brand = tx
        .brand_by_slug(slug)?
        .ok_or_else(|| ServiceError::NotFound(missing()))?;
    access_to(tx, actor, user, brand, missing)
}

fn access_to(
    tx: &mut dyn Tx,
    actor: &Actor,
    user: User,
    brand: Brand,
    not_found: impl Fn() -> String,
) -> Result<Access> {
    let roles = roles_in(tx, actor, &user, brand.id)?;
    if roles.is_empty() && !user.is_admin {
        return Err(ServiceError::NotFound(not_found()));
    }
    Ok(Access { user, roles, brand })
}

impl Access {
    /// Whether the actor administers the brand: its admin role, or a workspace admin.
    pub fn is_admin(&self) -> bool {
        self.user.is_admin || self.roles.contains(&Role::Admin)
    }

    /// Requires the brand's admin role (workspace admins pass).
    pub fn require_admin(&self, doing: &str) -> Result<()> {
        if self.is_admin() {
            return Ok(());
        }
        Err(ServiceError::Forbidden(format!(
            "{} is not an admin of {}; {doing} needs the brand's admin role (a workspace admin can grant it)",
            self.user.name, self.brand.slug
        )))
    }

    /// Requires one of `allowed` (the brand's `admin` role and workspace admins always pass).
    pub fn require(&self, allowed: &[Role], doing: &str) -> Result<()> {
        if self.is_admin() || self.roles.iter().any(|r| allowed.contains(r)) {
            return Ok(());
        }
        let has = if self.roles.is_empty() {
            "no role".to_string()
        } else {
            self.roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let needs = allowed
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        Err(ServiceError::Forbidden(format!(
            "{} has {has} in {}; {doing} needs {needs}",
            self.user.name, self.brand.slug
        )))
    }

    pub fn actor_name(&self) -> &str {
        &self.user.name
    }
}

pub(crate) fn require_workspace_admin(user: &User, doing: &str) -> Result<()> {
    if user.is_admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "{} is not a workspace admin; {doing} needs one",
            user.name
        )))
    }
}
