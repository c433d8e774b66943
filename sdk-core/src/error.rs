//! The one error type of the SDK (variants are added as modules land).

/// Cuts user-supplied text to a length that is safe to echo in an error message.
pub(crate) fn truncate_for_message(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &text[..end], text.len())
}
