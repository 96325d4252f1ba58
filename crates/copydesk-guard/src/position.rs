//! Byte offsets to 1-based lines and columns counted in Unicode characters.

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
    }
}
