//! Input checks the service makes before it answers, with zod's messages as it sends them.

use serde_json::Value;

use crate::envelope::quote;

/// Checks a `DraftGraphInput`; `Err` holds zod's flattened error as JSON text, keys in zod's
/// order (`{"formErrors":[...],"fieldErrors":{...}}`).
pub(crate) fn check_draft_graph_input(body: Option<&Value>) -> Result<(), String> {
    let form = |msg: &str| format!(r#"{{"formErrors":[{}],"fieldErrors":{{}}}}"#, quote(msg));
    let field = |msg: &str| {
        format!(
            r#"{{"formErrors":[],"fieldErrors":{{"brief":[{}]}}}}"#,
            quote(msg)
        )
    };
    let Some(body) = body else {
        return Err(form("Required"));
    };
    let Some(object) = body.as_object() else {
        return Err(form(&format!(
            "Expected object, received {}",
            json_type(body)
        )));
    };
    match object.get("brief") {
        None | Some(Value::Null) => Err(field("Required")),
        Some(Value::String(brief)) => {
            let len = brief.encode_utf16().count();
            if len < 30 {
                Err(field("String must contain at least 30 character(s)"))
            } else if len > 5000 {
                Err(field("String must contain at most 5000 character(s)"))
            } else {
                Ok(())
            }
        }
        Some(other) => Err(field(&format!(
            "Expected string, received {}",
            json_type(other)
        ))),
    }
}

/// Checks that the body is an object holding each of `required` (zod's `Required` for each
/// missing field, in the order given); `Err` holds zod's flattened error as JSON text.
pub(crate) fn check_required_fields(
    body: Option<&Value>,
    required: &[String],
) -> Result<(), String> {
    let form = |msg: &str| format!(r#"{{"formErrors":[{}],"fieldErrors":{{}}}}"#, quote(msg));
    let Some(body) = body else {
        return Err(form("Required"));
    };
    let Some(object) = body.as_object() else {
        return Err(form(&format!(
            "Expected object, received {}",
            json_type(body)
        )));
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|name| matches!(object.get(name.as_str()), None | Some(Value::Null)))
        .map(|name| format!(r#"{}:["Required"]"#, quote(name)))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            r#"{{"formErrors":[],"fieldErrors":{{{}}}}}"#,
            missing.join(",")
        ))
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_named_in_zods_form() {
        let required = ["graph".to_owned(), "inference".to_owned()];
        let partial = serde_json::json!({"graph": {}, "inference": null});
        assert_eq!(
            check_required_fields(Some(&partial), &required).unwrap_err(),
            r#"{"formErrors":[],"fieldErrors":{"inference":["Required"]}}"#
        );
        assert_eq!(
            check_required_fields(Some(&serde_json::json!([])), &required).unwrap_err(),
            r#"{"formErrors":["Expected object, received array"],"fieldErrors":{}}"#
        );
        let full = serde_json::json!({"graph": {}, "inference": {}});
        assert!(check_required_fields(Some(&full), &required).is_ok());
    }

    #[test]
    fn brief_rules() {
        let short = serde_json::json!({"brief": "too short"});
        assert_eq!(
            check_draft_graph_input(Some(&short)).unwrap_err(),
            r#"{"formErrors":[],"fieldErrors":{"brief":["String must contain at least 30 character(s)"]}}"#
        );
        let ok = serde_json::json!({"brief": "x".repeat(30)});
        assert!(check_draft_graph_input(Some(&ok)).is_ok());
        let long = serde_json::json!({"brief": "x".repeat(5001)});
        assert!(check_draft_graph_input(Some(&long)).is_err());
        assert!(check_draft_graph_input(Some(&serde_json::json!({}))).is_err());
    }
}
