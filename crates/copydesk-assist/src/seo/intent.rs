//! Guessing what a searcher wants from the words of a keyword.
//!
//! Signal words are the ones SEO practice reads intent from: "how" and "guide" seek
//! information, "best" and "vs" compare before buying, "price" and "buy" are ready to act,
//! a brand name or "login" looks for one site. The guess carries the word it rests on, so a
//! strategist can overrule it knowingly.
//!
//! When a keyword has signals of several kinds the strongest wins, in this order: an account
//! word ("login"), a transaction word, a comparison word, a question or learning word, the
//! brand (or "download"), a product-category noun ("software", "tool"). A keyword with no
//! signal at all is taken as informational.

use serde::Serialize;

/// What a searcher most likely wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// To learn or understand something.
    Informational,
    /// To compare options before deciding.
    Commercial,
    /// To buy, sign up or see what it costs.
    Transactional,
    /// To reach a particular site or page.
    Navigational,
}

impl Intent {
    /// The name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Informational => "informational",
            Intent::Commercial => "commercial",
            Intent::Transactional => "transactional",
            Intent::Navigational => "navigational",
        }
    }
}

/// An intent and the signal word it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Guess {
    pub intent: Intent,
    /// The word or phrase of the keyword that decided, if any.
    pub signal: Option<String>,
    /// How strong the signal is: 0 for an account word, up to 6 for a category noun and 7 for
    /// no signal, so a group can speak with its strongest member's word.
    pub tier: u8,
    /// Why, in a sentence.
    pub reason: String,
}

/// Signal phrases (lower case, one to three words) in order of strength.
const ACCOUNT: &[&str] = &[
    "login",
    "log in",
    "logon",
    "sign in",
    "signin",
    "account",
    "portal",
    "dashboard",
];
const TRANSACTIONAL: &[&str] = &[
    "buy",
    "purchase",
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "discount",
    "coupon",
    "promo",
    "promo code",
    "deal",
    "deals",
    "free trial",
    "trial",
    "order",
    "cheap",
    "subscription",
    "subscribe",
    "quote",
    "hire",
    "rates",
    "for sale",
    "sign up",
    "plans",
];
const COMMERCIAL: &[&str] = &[
    "best",
    "top",
    "vs",
    "versus",
    "review",
    "reviews",
    "alternative",
    "alternatives",
    "compare",
    "comparison",
    "compared",
    "rating",
    "ratings",
    "recommended",
    "cheapest",
];
const INFORMATIONAL: &[&str] = &[
    "how",
    "what",
    "why",
    "when",
    "where",
    "who",
    "which",
    "guide",
    "tutorial",
    "examples",
    "example",
    "ideas",
    "tips",
    "definition",
    "meaning",
    "learn",
    "steps",
    "template",
    "templates",
    "checklist",
    "explained",
    "does",
    "can",
    "is",
    "are",
    "should",
];
const SITE: &[&str] = &["download", "official", "website"];
const CATEGORY: &[&str] = &[
    "software",
    "tool",
    "tools",
    "platform",
    "platforms",
    "app",
    "apps",
    "service",
    "services",
    "provider",
    "providers",
    "company",
    "companies",
    "solution",
    "solutions",
    "system",
    "systems",
    "agency",
    "agencies",
    "vendor",
    "vendors",
];

/// Whether a lower-cased word is an intent signal (not a topic word), so that keyword
/// clustering can compare topics without "best" or "pricing" in the way. Category nouns are
/// topic words ("payroll software" is about software) and are not counted.
pub(super) fn is_signal_word(word: &str) -> bool {
    [ACCOUNT, TRANSACTIONAL, COMMERCIAL, INFORMATIONAL, SITE]
        .iter()
        .any(|list| list.contains(&word))
}

/// The intent of a keyword given as lower-cased words, with `brand` (lower-cased words, may be
/// empty) counted as a navigational signal.
pub(super) fn guess(words: &[String], brand: &[String]) -> Guess {
    let find = |list: &[&str]| -> Option<String> {
        (0..words.len()).find_map(|i| {
            (1..=3).rev().find_map(|len| {
                let phrase = words.get(i..i + len)?.join(" ");
                list.contains(&phrase.as_str()).then_some(phrase)
            })
        })
    };
    let brand_found = !brand.is_empty() && words.windows(brand.len()).any(|w| w == brand);
    let brand_name = brand.join(" ");

    if let Some(s) = find(ACCOUNT) {
        let why = "looks for an account or sign-in page";
        return with(0, Intent::Navigational, s, why);
    }
    if let Some(s) = find(TRANSACTIONAL) {
        let why = "is ready to buy or wants the cost";
        return with(1, Intent::Transactional, s, why);
    }
    if let Some(s) = find(COMMERCIAL) {
        let why = "compares options before deciding";
        return with(2, Intent::Commercial, s, why);
    }
    if let Some(s) = find(INFORMATIONAL) {
        let why = "asks a question or wants to learn";
        return with(3, Intent::Informational, s, why);
    }
    if brand_found {
        let why = "names the brand, so looks for its site";
        return with(4, Intent::Navigational, brand_name, why);
    }
    if let Some(s) = find(SITE) {
        let why = "looks for a particular site or file";
        return with(5, Intent::Navigational, s, why);
    }
    if let Some(s) = find(CATEGORY) {
        let why = "names a kind of product, so is shopping around";
        return with(6, Intent::Commercial, s, why);
    }
    Guess {
        intent: Intent::Informational,
        signal: None,
        tier: 7,
        reason: "no signal word; a bare topic usually seeks information".to_owned(),
    }
}

fn with(tier: u8, intent: Intent, signal: String, why: &str) -> Guess {
    Guess {
        intent,
        reason: format!("\"{signal}\": the searcher {why}"),
        signal: Some(signal),
        tier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn names_match_the_json_spelling() {
        for intent in [
            Intent::Informational,
            Intent::Commercial,
            Intent::Transactional,
            Intent::Navigational,
        ] {
            assert_eq!(
                serde_json::to_value(intent).ok(),
                Some(intent.as_str().into())
            );
        }
    }

    #[test]
    fn strongest_signal_wins() {
        let brand = words("acme");
        let g = |k: &str| guess(&words(k), &brand);
        assert_eq!(g("acme payroll login").intent, Intent::Navigational);
        assert_eq!(g("acme payroll pricing").intent, Intent::Transactional);
        assert_eq!(g("acme vs gusto").intent, Intent::Commercial);
        assert_eq!(g("how to log in to acme").intent, Intent::Navigational);
        assert_eq!(g("how to run payroll").intent, Intent::Informational);
        assert_eq!(g("acme payroll app").intent, Intent::Navigational);
        assert_eq!(g("payroll software").intent, Intent::Commercial);
        assert_eq!(g("payroll").intent, Intent::Informational);
        assert_eq!(
            g("payroll free trial").signal.as_deref(),
            Some("free trial")
        );
    }
}
