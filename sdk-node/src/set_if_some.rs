//! `builder.set_if_some(option, Builder::setter)`: one line per optional argument instead of an
//! `if let Some(..)` block each.

/// Calls a builder's setter only when an optional argument was given.
pub(crate) trait SetIfSome: Sized {
    /// `set(self, value)` for `Some(value)`, else `self` unchanged.
    fn set_if_some<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }
}

impl<B> SetIfSome for B {}
