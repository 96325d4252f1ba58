//! Workspaces, brands, users and roles.

use copydesk_core::org::{valid_handle, Brand, User};
use copydesk_core::Role;
use serde::Serialize;

use crate::access::{
    in_brand, member_by_slug, memberships, require_workspace_admin, resolve, Access, Actor,
};
use crate::audit::record;
use crate::{Ctx, Result, Service, ServiceError};
use copydesk_store::Tx;

/// A user to add; `password` lets them sign in to the server.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub display_name: &'a str,
    pub admin: bool,
    pub brand: Option<&'a str>,
    pub roles: &'a [Role],
    pub password: Option<&'a str>,
}

/// What the actor may do in one brand, as pages offer it (the operations check again).
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub roles: Vec<Role>,
    /// The brand's admin role, or a workspace admin.
    pub admin: bool,
    pub workspace_admin: bool,
}

impl Standing {
    /// Whether role checks for `roles` pass: one of them held, or the brand's admin. Pages use
    /// it to offer only what the service would allow; the service still decides.
    pub fn holds_any(&self, roles: &[Role]) -> bool {
        self.admin || roles.iter().any(|r| self.roles.contains(r))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub user: User,
    pub roles: Vec<Role>,
}

/// Grants `roles` in the access's brand, recording each new one; returns those that were new.
fn grant_roles(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    access: &Access,
    user: &User,
    roles: &[Role],
) -> Result<Vec<Role>> {
    let mut granted = Vec::new();
    for role in roles {
        if tx.grant(user.id, access.brand.id, *role, ctx.now)? {
            granted.push(*role);
            record(
                tx,
                ctx,
                access.actor_name(),
                Some(&access.brand.slug),
                "role.granted",
                format!("user:{}", user.id),
                serde_json::json!({"user": user.name, "role": role}),
            )?;
        }
    }
    Ok(granted)
}

impl Service {
    /// Creates the first workspace admin. Safe to repeat: an existing admin of that name is
    /// returned unchanged; a workspace that already has users refuses a different one.
    pub fn bootstrap(&mut self, admin: &str) -> Result<User> {
        valid_handle("user name", admin).map_err(ServiceError::Invalid)?;
        self.write(|tx, ctx| {
            let users = tx.users()?;
            if let Some(existing) = users.iter().find(|u| u.name == admin && u.is_admin) {
                return Ok(existing.clone());
            }
            if !users.is_empty() {
                return Err(ServiceError::Forbidden(format!(
                    "this workspace already has users; ask an admin to add '{admin}'"
                )));
            }
            let id = tx.insert_user(admin, admin, true, ctx.now)?;
            record(
                tx,
                ctx,
                admin,
                None,
                "user.added",
                format!("user:{id}"),
                serde_json::json!({"name": admin, "admin": true, "bootstrap": true}),
            )?;
            tx.user_by_name(admin)?
                .ok_or_else(|| ServiceError::NotFound(format!("user '{admin}' vanished")))
        })
    }

    pub fn brand_add(
        &mut self,
        actor: impl Into<Actor>,
        slug: &str,
        name: &str,
        kit: &str,
    ) -> Result<Brand> {
        let actor: Actor = actor.into();
        valid_handle("brand", slug).map_err(ServiceError::Invalid)?;
        if kit.contains("..") || kit.starts_with('/') {
            return Err(ServiceError::Invalid(format!(
                "brand kit '{kit}' must be a folder inside the workspace"
            )));
        }
        self.write(|tx, ctx| {
            let user = resolve(tx, &actor)?;
            require_workspace_admin(&user, "adding a brand")?;
            if tx.brand_by_slug(slug)?.is_some() {
                return Err(ServiceError::Rule(
                    copydesk_core::review::RuleError::Conflict(format!(
                        "brand '{slug}' already exists"
                    )),
                ));
            }
            let id = tx.insert_brand(slug, name, kit, ctx.now)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(slug),
                "brand.added",
                format!("brand:{id}"),
                serde_json::json!({"name": name, "kit": kit}),
            )?;
            tx.brand(id)?
                .ok_or_else(|| ServiceError::NotFound(format!("brand '{slug}' vanished")))
        })
    }

    /// The brands the actor belongs to (all of them for workspace admins).
    pub fn brand_list(&mut self, actor: impl Into<Actor>) -> Result<Vec<Brand>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let user = resolve(tx, &actor)?;
            let mine: Vec<_> = memberships(tx, &actor, &user)?
                .into_iter()
                .map(|m| m.brand)
                .collect();
            Ok(tx
                .brands()?
                .into_iter()
                .filter(|b| user.is_admin || mine.contains(&b.id))
                .collect())
        })
    }

    /// The actor's own standing in a brand: their roles, and whether they administer it.
    pub fn standing(&mut self, actor: impl Into<Actor>, brand: &str) -> Result<Standing> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            Ok(Standing {
                admin: access.is_admin(),
                workspace_admin: access.user.is_admin,
                roles: access.roles,
            })
        })
    }

    /// Adds a user (workspace admins only), optionally with roles in one brand.
    pub fn user_add(
        &mut self,
        actor: impl Into<Actor>,
        name: &str,
        display_name: &str,
        admin: bool,
        brand: Option<&str>,
        roles: &[Role],
    ) -> Result<User> {
        self.user_create(
            actor,
            &NewUser {
                name,
                display_name,
                admin,
                brand,
                roles,
                password: None,
            },
        )
    }

    /// Adds a user, with roles and a password to sign in with, in one transaction.
    pub fn user_create(&mut self, actor: impl Into<Actor>, new: &NewUser<'_>) -> Result<User> {
        let actor: Actor = actor.into();
        let NewUser {
            name,
            display_name,
            admin,
            brand,
            roles,
            password,
        } = *new;
        valid_handle("user name", name).map_err(ServiceError::Invalid)?;
        if brand.is_none() && !roles.is_empty() {
            return Err(ServiceError::Invalid(
                "roles need a brand: name the brand to grant them in".into(),
            ));
        }
        let password_hash = password
            .map(|p| crate::accounts::hash_new_password(name, p))
            .transpose()?;
        self.write(|tx, ctx| {
            let acting = resolve(tx, &actor)?;
            require_workspace_admin(&acting, "adding a user")?;
            if tx.user_by_name(name)?.is_some() {
                return Err(ServiceError::Rule(
                    copydesk_core::review::RuleError::Conflict(format!(
                        "user '{name}' already exists: grant them roles instead"
                    )),
                ));
            }
            let display = if display_name.trim().is_empty() {
                name
            } else {
                display_name
            };
            let id = tx.insert_user(name, display, admin, ctx.now)?;
            if let Some(hash) = &password_hash {
                tx.set_password_hash(id, hash)?;
            }
            record(
                tx,
                ctx,
                actor.name(),
                None,
                "user.added",
                format!("user:{id}"),
                serde_json::json!({"name": name, "admin": admin}),
            )?;
            let user = tx
                .user_by_name(name)?
                .ok_or_else(|| ServiceError::NotFound(format!("user '{name}' vanished")))?;
            if let Some(slug) = brand {
                let access = in_brand(tx, &actor, acting, slug)?;
                grant_roles(tx, ctx, &access, &user, roles)?;
            }
            Ok(user)
        })
    }

    /// Grants roles in a brand: workspace admins, or the brand's own admins.
    pub fn user_grant(
        &mut self,
        actor: impl Into<Actor>,
        name: &str,
        brand: &str,
        roles: &[Role],
    ) -> Result<Vec<Role>> {
        let actor: Actor = actor.into();
        if roles.is_empty() {
            return Err(ServiceError::Invalid(
                "name at least one role to grant".into(),
            ));
        }
        self.write(|tx, ctx| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require_admin("granting roles")?;
            let user = tx
                .user_by_name(name)?
                .ok_or_else(|| ServiceError::NotFound(format!("no user named '{name}'")))?;
            grant_roles(tx, ctx, &access, &user, roles)
        })
    }

    /// The members of a brand with their roles, or every user (workspace admins, no brand).
    pub fn user_list(
        &mut self,
        actor: impl Into<Actor>,
        brand: Option<&str>,
    ) -> Result<Vec<MemberView>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let acting = resolve(tx, &actor)?;
            match brand {
                Some(slug) => {
                    let access = in_brand(tx, &actor, acting, slug)?;
                    let mut out: Vec<MemberView> = Vec::new();
                    for (user, role) in tx.members(access.brand.id)? {
                        match out.last_mut() {
                            Some(last) if last.user.id == user.id => last.roles.push(role),
                            _ => out.push(MemberView {
                                user,
                                roles: vec![role],
                            }),
                        }
                    }
                    Ok(out)
                }
                None => {
                    require_workspace_admin(&acting, "listing every user")?;
                    Ok(tx
                        .users()?
                        .into_iter()
                        .map(|user| MemberView {
                            user,
                            roles: vec![],
                        })
                        .collect())
                }
            }
        })
    }
}
