//! Typed identifiers, so an asset id can never be passed where a brief id is expected.

use std::fmt;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_type!(BrandId, UserId, BriefId, SourceId, AssetId, VersionId, ReviewId, CommentId);
id_type!(SessionId, TokenId, WebhookId, DeliveryId, ExperimentId);
