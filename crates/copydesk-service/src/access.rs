//! Who may do what: every operation resolves its actor and checks role × brand here.
//! A brand the actor does not belong to is reported as not found, never as forbidden, so
//! its existence does not leak.

use copydesk_core::org::{Brand, User};
use copydesk_core::{BrandId, Role};
use copydesk_store::Tx;

use crate::{Result, ServiceError};

/// The acting user and their roles in the brand at hand.
pub(crate) struct Access {
    pub user: User,
    pub roles: Vec<Role>,
    pub brand: Brand,
}

pub(crate) fn actor(tx: &mut dyn Tx, name: &str) -> Result<User> {
    tx.user_by_name(name)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "no user named '{name}': act as an existing user, or ask a workspace admin to add this one"
        ))
    })
}

fn roles_in(tx: &mut dyn Tx, user: &User, brand: BrandId) -> Result<Vec<Role>> {
    Ok(tx
        .memberships(user.id)?
        .into_iter()
        .filter(|m| m.brand == brand)
        .map(|m| m.role)
        .collect())
}

/// Resolves the actor in a brand they must belong to (workspace admins belong everywhere);
/// `not_found` words the error for a brand they do not belong to, e.g. "no asset 12".
pub(crate) fn member(
    tx: &mut dyn Tx,
    actor_name: &str,
    brand: BrandId,
    not_found: impl Fn() -> String,
) -> Result<Access> {
    let user = actor(tx, actor_name)?;
    let brand = tx
        .brand(brand)?
        .ok_or_else(|| ServiceError::NotFound(not_found()))?;
    access_to(tx, user, brand, not_found)
}

/// Resolves the actor in the brand a slug names.
pub(crate) fn member_by_slug(tx: &mut dyn Tx, actor_name: &str, slug: &str) -> Result<Access> {
    let user = actor(tx, actor_name)?;
    in_brand(tx, user, slug)
}

/// An already resolved user in the brand a slug names.
pub(crate) fn in_brand(tx: &mut dyn Tx, user: User, slug: &str) -> Result<Access> {
    let missing = || format!("no brand '{slug}'");
    let brand = tx
        .brand_by_slug(slug)?
        .ok_or_else(|| ServiceError::NotFound(missing()))?;
    access_to(tx, user, brand, missing)
}

fn access_to(
    tx: &mut dyn Tx,
    user: User,
    brand: Brand,
    not_found: impl Fn() -> String,
) -> Result<Access> {
    let roles = roles_in(tx, &user, brand.id)?;
    if roles.is_empty() && !user.is_admin {
        return Err(ServiceError::NotFound(not_found()));
    }
    Ok(Access { user, roles, brand })
}

impl Access {
    /// Requires one of `allowed` (the brand's `admin` role and workspace admins always pass).
    pub fn require(&self, allowed: &[Role], doing: &str) -> Result<()> {
        if self.user.is_admin
            || self.roles.contains(&Role::Admin)
            || self.roles.iter().any(|r| allowed.contains(r))
        {
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
