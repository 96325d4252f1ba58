//! SEO briefs without a model: keyword groups with their likely search intent, FAQ candidates
//! from the source material, and title and meta-description candidates within search-result
//! lengths. A strategist reads and decides; nothing here is published as is.
//!
//! Keywords are grouped by topic and intent (`cluster`, intent from signal words in
//! `intent`); questions are pulled from the sources and ranked by their overlap with the
//! keywords (`faq`); titles and descriptions are assembled from templates (`copy`).

mod cluster;
mod copy;
mod error;
mod faq;
mod intent;
mod parse;

use serde::Serialize;

pub use cluster::{ClusterKeyword, KeywordCluster};
pub use copy::{META_MAX, META_MIN, TITLE_MAX};
pub use error::SeoError;
pub use faq::FaqCandidate;
pub use intent::Intent;
pub use parse::{parse_keywords, Keyword};

use crate::text::{lower_words, Stemmer};

/// A source text attached to a brief (an interview, a ticket export, a sales call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceText {
    pub id: String,
    pub text: String,
}

/// What the brief says about the piece, as far as SEO needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeoTopic {
    /// The working title.
    pub title: String,
    /// Who it is for ("finance leads at small companies").
    pub audience: String,
    /// What the reader should understand afterwards, as a phrase or sentence.
    pub desired_understanding: String,
    /// The brand's name, which marks navigational searches.
    pub brand: String,
}

/// The SEO brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeoBrief {
    /// The working title it was made for.
    pub topic: String,
    /// The head of the main keyword group, the keyword to target first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_keyword: Option<String>,
    /// Keyword groups, largest total volume first.
    pub clusters: Vec<KeywordCluster>,
    /// Questions from the sources, best first.
    pub faq: Vec<FaqCandidate>,
    /// Title candidates of at most [`TITLE_MAX`] characters.
    pub titles: Vec<String>,
    /// Meta-description candidates of [`META_MIN`] to [`META_MAX`] characters.
    pub meta_descriptions: Vec<String>,
}

/// Builds the SEO brief for `topic` from its keywords and source texts.
pub fn seo_brief(keywords: &[Keyword], sources: &[SourceText], topic: &SeoTopic) -> SeoBrief {
    let stemmer = Stemmer::english();
    let brand = lower_words(&topic.brand);
    let prepared = cluster::prepare(keywords, &brand, &stemmer);
    let clusters = cluster::cluster(&prepared);
    let faq = faq::candidates(sources, &prepared, &clusters, &stemmer);
    // the main group is the one with most volume; without volumes, the one with most keywords
    // that is not merely navigational (a page is rarely built around "acme login")
    let primary = clusters
        .iter()
        .find(|c| c.intent != Intent::Navigational)
        .or(clusters.first());
    let material = copy::Material {
        primary: primary.map(|c| (c.head.as_str(), c.intent)),
        secondary: clusters
            .iter()
            .filter(|c| Some(*c) != primary && c.intent != Intent::Navigational)
            .map(|c| c.head.as_str())
            .collect(),
        topic,
    };
    SeoBrief {
        topic: topic.title.clone(),
        primary_keyword: primary.map(|c| c.head.clone()),
        titles: copy::titles(&material),
        meta_descriptions: copy::meta_descriptions(&material),
        clusters,
        faq,
    }
}
