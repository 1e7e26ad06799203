use std::fmt;

/// A half-open byte range `start..end` into a document's text.
///
/// Spans that reach a [`Document`](crate::Document) have been checked to lie
/// on `char` boundaries; a span built with [`Span::new`] has not, and is
/// checked when it is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Why a span cannot be used with a given text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanError {
    /// `start` is after `end`.
    Reversed { start: usize, end: usize },
    /// `end` lies past the end of the text.
    OutOfBounds { end: usize, len: usize },
    /// An offset falls inside a multi-byte character.
    NotCharBoundary { offset: usize },
}

impl fmt::Display for SpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpanError::Reversed { start, end } => {
                write!(f, "span {start}..{end} starts after it ends")
            }
            SpanError::OutOfBounds { end, len } => {
                write!(f, "span end {end} lies past the end of the text ({len} bytes)")
            }
            SpanError::NotCharBoundary { offset } => {
                write!(f, "span offset {offset} is not on a character boundary")
            }
        }
    }
}

impl std::error::Error for SpanError {}

impl Span {
    /// A span from raw offsets, not yet checked against any text.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// A span checked to be a valid slice of `text`.
    pub fn checked(text: &str, start: usize, end: usize) -> Result<Self, SpanError> {
        Span::new(start, end).check(text).map(|()| Span::new(start, end))
    }

    /// Checks that `self` is a valid slice of `text`.
    pub fn check(&self, text: &str) -> Result<(), SpanError> {
        if self.start > self.end {
            return Err(SpanError::Reversed { start: self.start, end: self.end });
        }
        if self.end > text.len() {
            return Err(SpanError::OutOfBounds { end: self.end, len: text.len() });
        }
        for offset in [self.start, self.end] {
            if !text.is_char_boundary(offset) {
                return Err(SpanError::NotCharBoundary { offset });
            }
        }
        Ok(())
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text under the span, or `""` when the span does not fit `text`
    /// (never a panic: a span from an untrusted source cannot crash a run).
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    pub const fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub const fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_accepts_char_boundaries_only() {
        let text = "Zürich é";
        assert_eq!(Span::checked(text, 0, 3), Ok(Span::new(0, 3)));
        assert_eq!(Span::checked(text, 0, 2), Err(SpanError::NotCharBoundary { offset: 2 }));
        assert_eq!(Span::checked(text, 4, 2), Err(SpanError::Reversed { start: 4, end: 2 }));
        assert_eq!(
            Span::checked(text, 0, 99),
            Err(SpanError::OutOfBounds { end: 99, len: text.len() })
        );
        assert_eq!(Span::new(0, 7).slice(text), "Zürich");
        assert_eq!(Span::new(0, 2).slice(text), "");
    }

    #[test]
    fn error_messages_are_readable() {
        assert_eq!(
            SpanError::NotCharBoundary { offset: 2 }.to_string(),
            "span offset 2 is not on a character boundary"
        );
    }

    #[test]
    fn containment_and_overlap() {
        let outer = Span::new(2, 10);
        assert!(outer.contains(&Span::new(2, 10)));
        assert!(outer.contains(&Span::new(3, 4)));
        assert!(!outer.contains(&Span::new(1, 4)));
        assert!(outer.overlaps(&Span::new(9, 12)));
        assert!(!outer.overlaps(&Span::new(10, 12)));
    }
}
