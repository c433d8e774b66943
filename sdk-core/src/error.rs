//! The one error type of the SDK (filled in as modules land).
