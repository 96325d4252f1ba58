//! The closed vocabularies of the domain: roles, kinds, states, reason codes. Each has one
//! spelling (snake_case) used on the command line, in files, in JSON and in the database.

use std::fmt;
use std::str::FromStr;

/// A name that is not in a vocabulary; the message lists what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{given}' (expected one of: {expected})")]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        // serde spells each variant exactly as `as_str` does
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| UnknownName {
                        what: $what,
                        given: s.to_string(),
                        expected: $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    })
            }
        }
    };
}

vocabulary!(
    /// What a person may do in one brand.
    Role, "role" {
        Strategist => "strategist",
        Editor => "editor",
        Compliance => "compliance",
        BrandLead => "brand_lead",
        PromptEngineer => "prompt_engineer",
        Admin => "admin",
    }
);

vocabulary!(
    /// How far an asset travels; the wider, the riskier.
    Reach, "reach" {
        Internal => "internal",
        Owned => "owned",
        Earned => "earned",
        Paid => "paid",
        National => "national",
        Global => "global",
    }
);

vocabulary!(
    /// Who leads the writing (PRODUCT.md, "AI assistance").
    CollaborationModel, "collaboration model" {
        Advisor => "advisor",
        Producer => "producer",
        Agent => "agent",
    }
);

vocabulary!(
    SourceKind, "source kind" {
        Interview => "interview",
        SalesObjection => "sales_objection",
        SupportTicket => "support_ticket",
        FounderOpinion => "founder_opinion",
        Research => "research",
        ProductData => "product_data",
        VoiceExample => "voice_example",
        Positioning => "positioning",
        EditorialStandard => "editorial_standard",
    }
);

vocabulary!(
    AssetKind, "asset kind" {
        Blog => "blog",
        SeoPage => "seo_page",
        Email => "email",
        SocialPost => "social_post",
        Ad => "ad",
        LandingPage => "landing_page",
        PressRelease => "press_release",
        VideoScript => "video_script",
        InfluencerPost => "influencer_post",
        ReleaseNotes => "release_notes",
        Report => "report",
    }
);

vocabulary!(
    /// Where an asset is in its review life.
    AssetState, "asset state" {
        Draft => "draft",
        InReview => "in_review",
        ChangesRequested => "changes_requested",
        Approved => "approved",
        Published => "published",
        Rejected => "rejected",
        Archived => "archived",
    }
);

vocabulary!(
    /// Why a reviewer decided as they did.
    ReasonCode, "reason code" {
        FactualError => "factual_error",
        UnsupportedClaim => "unsupported_claim",
        OffBrandTone => "off_brand_tone",
        Generic => "generic",
        Compliance => "compliance",
        Bias => "bias",
        Privacy => "privacy",
        Other => "other",
    }
);

vocabulary!(
    Decision, "decision" {
        Approve => "approve",
        RequestChanges => "request_changes",
        Reject => "reject",
    }
);

vocabulary!(
    /// How much review an asset gets, as its risk score picks it.
    Tier, "review tier" {
        SpotCheck => "spot_check",
        Single => "single",
        MultiStage => "multi_stage",
    }
);

vocabulary!(
    /// Guardrail finding severity, as the risk policy weighs it.
    Severity, "severity" {
        Error => "error",
        Warning => "warning",
        Info => "info",
    }
);

vocabulary!(
    /// The persuasion lever a variant pulls (PRODUCT.md, "Experiments").
    Lever, "lever" {
        Clarity => "clarity",
        Urgency => "urgency",
        EmotionalAppeal => "emotional_appeal",
        Proof => "proof",
        Relevance => "relevance",
        RiskReduction => "risk_reduction",
        ValueFraming => "value_framing",
    }
);

vocabulary!(
    /// What a model (or the offline assistant) is asked to write from a brief.
    DraftTask, "task" {
        Outline => "outline",
        Draft => "draft",
        Variants => "variants",
    }
);

vocabulary!(
    /// What a prompt template is for: one template per task.
    PromptTask, "prompt task" {
        Outline => "outline",
        Draft => "draft",
        Variants => "variants",
        Repurpose => "repurpose",
    }
);

impl From<DraftTask> for PromptTask {
    fn from(task: DraftTask) -> Self {
        match task {
            DraftTask::Outline => PromptTask::Outline,
            DraftTask::Draft => PromptTask::Draft,
            DraftTask::Variants => PromptTask::Variants,
        }
    }
}

vocabulary!(
    /// Where an existing asset is repurposed to.
    RepurposeTarget, "repurpose target" {
        Linkedin => "linkedin",
        XThread => "x_thread",
        Email => "email",
        ReleaseNotes => "release_notes",
        BlogOutline => "blog_outline",
    }
);

vocabulary!(
    /// What happens when a prompt bound for an external provider holds personal data.
    PiiAction, "personal-data action" {
        Block => "block",
        Redact => "redact",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_accept_dashes() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        assert_eq!("brand-lead".parse::<Role>(), Ok(Role::BrandLead));
        let err = "boss".parse::<Role>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown role 'boss' (expected one of: strategist, editor, compliance, brand_lead, prompt_engineer, admin)"
        );
    }
}
