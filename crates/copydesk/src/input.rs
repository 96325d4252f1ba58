//! Reading text a user hands us: files or standard input, as UTF-8, within the size limit.

use std::io::Read;
use std::path::Path;

use crate::failure::Failure;

/// Reads FILE (or standard input for `-`) as UTF-8 text of at most `limit` bytes.
pub fn read_text(path: &Path, limit: usize) -> Result<String, Failure> {
    read_capped(path, limit, |shown| {
        format!(
            "{shown}: larger than the limit of {limit} bytes (limits.max_text_bytes in copydesk.toml)"
        )
    })
}

/// How a path given on the command line is named in messages (`-` is standard input).
pub fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads FILE (or standard input for `-`) as UTF-8 text; more than `limit` bytes is the error
/// `too_big` words (it is given the name the file is shown by).
pub fn read_capped(
    path: &Path,
    limit: usize,
    too_big: impl FnOnce(&str) -> String,
) -> Result<String, Failure> {
    let shown = shown(path);
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // `take` hides the file's size from `read_to_end`, which would then grow the
            // buffer by doubling from a small probe: reserve what the file says it holds
            let size = f.metadata().map_or(0, |m| m.len()).min(limit as u64 + 1);
            bytes.reserve(usize::try_from(size).unwrap_or(0));
            f.take(limit as u64 + 1).read_to_end(&mut bytes)
        })
    };
    read.map_err(|e| Failure::input(format!("{shown}: cannot read: {e}")))?;
    if bytes.len() > limit {
        return Err(Failure::input(too_big(&shown)));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Failure::input(format!(
            "{shown}: line {line}, column {column}: not valid UTF-8 (byte offset {valid})"
        ))
    })
}
