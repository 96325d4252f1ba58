//! Byte offsets to 1-based lines and columns counted in Unicode characters.

use std::ops::Range;

pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// (line, column), both 1-based; the column counts characters from the line's start.
    pub fn position(&self, text: &str, byte: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..byte).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The positions of both ends of `range`: the end's column counts on from the start's
    /// when both are on one line, instead of from the line's start again.
    pub fn span(&self, text: &str, range: &Range<usize>) -> ((usize, usize), (usize, usize)) {
        let start = self.position(text, range.start);
        let (line, column) = start;
        let next_line = self.starts.get(line).copied().unwrap_or(usize::MAX);
        match text.get(range.clone()) {
            Some(s) if range.end < next_line => (start, (line, column + s.chars().count())),
            _ => (start, self.position(text, range.end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let t = "héllo\nwörld ok";
        let idx = LineIndex::new(t);
        assert_eq!(idx.position(t, 0), (1, 1));
        let ok = t.find("ok").unwrap_or(0);
        assert_eq!(idx.position(t, ok), (2, 7));
        let l = t.find('l').unwrap_or(0);
        assert_eq!(idx.position(t, l), (1, 3));
        for start in 0..=t.len() {
            for end in start..=t.len() {
                if t.is_char_boundary(start) && t.is_char_boundary(end) {
                    let both = (idx.position(t, start), idx.position(t, end));
                    assert_eq!(idx.span(t, &(start..end)), both, "{start}..{end}");
                }
            }
        }
    }
}
