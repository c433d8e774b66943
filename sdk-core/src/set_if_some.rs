//! `builder.set_if_some(option, Builder::setter)`: one line per optional argument instead of an
//! `if let Some(..)` block each. The Python and Node bindings fill the core's builders from
//! optional arguments this way; any builder can use it.

/// Calls a builder's setter only when an optional argument was given (implemented for every
/// type).
pub trait SetIfSome: Sized {
    /// `set(self, value)` for `Some(value)`, else `self` unchanged.
    fn set_if_some<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }
}

impl<B> SetIfSome for B {}

#[cfg(test)]
mod tests {
    use super::SetIfSome;

    #[test]
    fn sets_only_what_was_given() {
        let push = |v: Vec<u8>, x: u8| [v, vec![x]].concat();
        assert_eq!(Vec::new().set_if_some(Some(1), push), vec![1]);
        assert_eq!(vec![1].set_if_some(None, push), vec![1]);
    }
}
