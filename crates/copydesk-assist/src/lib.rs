//! AI assistance without I/O: what is sent to a model and what the offline assistant makes
//! without one. Briefs, sources, kit files and texts come in; prompts, outlines, themes,
//! keyword clusters and variants go out.

pub mod outline;
pub mod privacy;
pub mod prompt;
pub(crate) mod rank;
pub mod repurpose;
pub mod research;
pub mod seo;
pub(crate) mod text;
pub mod variants;
