//! The spot-check draw: whether an auto-approved asset is sampled into the audit queue.
//! The draw is a hash of the policy's seed and the asset, so anyone can recompute it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AssetId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    pub seed: String,
    /// Uniform in [0, 1).
    pub value: f64,
    pub rate: f64,
    pub sampled: bool,
}

pub fn draw(seed: &str, asset: AssetId, version: u32, rate: f64) -> Draw {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update(b"\0");
    hasher.update(asset.0.to_be_bytes());
    hasher.update(version.to_be_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // 53 bits: exactly representable in an f64
    let value = (u64::from_be_bytes(first) >> 11) as f64 / (1u64 << 53) as f64;
    Draw {
        seed: seed.to_string(),
        value,
        rate,
        sampled: value < rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draw() {
        let a = draw("seed-1", AssetId(42), 3, 0.05);
        let b = draw("seed-1", AssetId(42), 3, 0.05);
        assert_eq!(a, b);
        assert_ne!(a.value, draw("seed-2", AssetId(42), 3, 0.05).value);
    }

    #[test]
    fn the_rate_is_honoured_over_many_assets() {
        let n = 20_000;
        let sampled = (0..n)
            .filter(|i| draw("copydesk", AssetId(*i), 1, 0.05).sampled)
            .count();
        let share = sampled as f64 / n as f64;
        // binomial sd at n=20000, p=0.05 is 0.0015; allow 4 sd
        assert!((share - 0.05).abs() < 0.006, "share {share}");
        assert_eq!(
            (0..100)
                .filter(|i| draw("x", AssetId(*i), 1, 0.0).sampled)
                .count(),
            0
        );
        assert_eq!(
            (0..100)
                .filter(|i| draw("x", AssetId(*i), 1, 1.0).sampled)
                .count(),
            100
        );
    }
}
