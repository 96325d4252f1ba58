//! What surrounds every page: who is signed in, the brand switcher, the navigation and the
//! sign-out form.

use copydesk_core::org::Brand;
use copydesk_service::{Service, Standing};
use maud::{html, Markup, DOCTYPE};

use crate::auth::{Caller, Credential};
use crate::error::ApiError;

/// The signed-in person, their brands and the one being worked in.
#[derive(Debug, Clone)]
pub struct Frame {
    pub user: String,
    pub brands: Vec<Brand>,
    /// The chosen brand: the one asked for, else the first.
    pub brand: Option<Brand>,
    pub standing: Option<Standing>,
    /// The session's CSRF token, for forms (empty for API tokens, which need none).
    pub csrf: String,
}

impl Frame {
    pub fn gather(
        svc: &mut Service,
        caller: &Caller,
        wanted: Option<String>,
    ) -> Result<Frame, ApiError> {
        let brands = svc.brand_list(&caller.actor)?;
        let brand = match wanted.filter(|w| !w.is_empty()) {
            Some(slug) => Some(
                brands
                    .iter()
                    .find(|b| b.slug == slug)
                    .cloned()
                    .ok_or_else(|| ApiError::not_found(format!("no brand '{slug}'")))?,
            ),
            None => brands.first().cloned(),
        };
        let standing = match &brand {
            Some(b) => Some(svc.standing(&caller.actor, &b.slug)?),
            None => None,
        };
        let csrf = match &caller.credential {
            Credential::Session { csrf, .. } => csrf.expose().to_string(),
            Credential::Token => String::new(),
        };
        Ok(Frame {
            user: caller.actor.name().to_string(),
            brands,
            brand,
            standing,
            csrf,
        })
    }

    /// The chosen brand's slug ("" when the person belongs to none).
    pub fn slug(&self) -> &str {
        self.brand.as_ref().map_or("", |b| b.slug.as_str())
    }

    pub fn is_admin(&self) -> bool {
        self.standing.as_ref().is_some_and(|s| s.admin)
    }

    /// A hidden field carrying the form token; every state-changing form has one.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }

    /// What `list` finds in the chosen brand; nothing for a person who belongs to no brand
    /// (the page then says so instead of failing).
    pub fn in_brand<T>(
        &self,
        list: impl FnOnce(&str) -> Result<Vec<T>, copydesk_service::ServiceError>,
    ) -> Result<Vec<T>, ApiError> {
        match self.slug() {
            "" => Ok(Vec::new()),
            slug => Ok(list(slug)?),
        }
    }

    /// A link within the chosen brand.
    pub fn href(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}brand={}", self.slug())
    }
}

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Queue,
    Briefs,
    Assets,
    Experiments,
    Audit,
    Admin,
}

/// A whole page for a signed-in person.
pub fn page(frame: &Frame, nav: Nav, title: &str, body: Markup) -> Markup {
    let entries = [
        (Nav::Queue, "/queue", "My queue"),
        (Nav::Briefs, "/briefs", "Briefs"),
        (Nav::Assets, "/assets", "Assets"),
        (Nav::Experiments, "/experiments", "Experiments"),
        (Nav::Audit, "/audit", "Audit trail"),
    ];
    let header = html! {
        header.top {
            a.brand-mark href="/queue" { "copydesk" }
            nav aria-label="Main" {
                ul {
                    @for (entry, path, label) in entries {
                        li { a href=(frame.href(path)) aria-current=[(entry == nav).then_some("page")] { (label) } }
                    }
                    @if frame.is_admin() {
                        li { a href=(frame.href("/admin/users")) aria-current=[(nav == Nav::Admin).then_some("page")] { "Admin" } }
                    }
                }
            }
            @if frame.brands.len() > 1 {
                form.switcher method="get" action="" {
                    label for="brand-switch" { "Brand" }
                    select id="brand-switch" name="brand" {
                        @for b in &frame.brands {
                            option value=(b.slug) selected[Some(&b.slug) == frame.brand.as_ref().map(|c| &c.slug)] { (b.name) }
                        }
                    }
                    button type="submit" { "Switch" }
                }
            } @else if let Some(b) = &frame.brand {
                span.current-brand { (b.name) }
            }
            form.signout method="post" action="/signout" {
                (frame.csrf_field())
                span.who { "Signed in as " strong { (frame.user) } }
                button type="submit" { "Sign out" }
                button.secondary type="submit" name="everywhere" value="1" title="End every session of yours, on every device" { "Sign out everywhere" }
            }
        }
    };
    document(
        title,
        html! {
            (header)
            main id="main" tabindex="-1" { (body) }
        },
    )
}

/// A page without the signed-in frame: sign-in and errors.
pub fn bare(title: &str, body: Markup) -> Markup {
    document(
        title,
        html! {
            header.top { a.brand-mark href="/queue" { "copydesk" } }
            main id="main" tabindex="-1" { (body) }
        },
    )
}

fn document(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · copydesk" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                (body)
            }
        }
    }
}
