//! The one list of the service's product routes.
//!
//! [`ROUTES`] names every route the [`Client`](crate::Client) has a typed method for: the method's
//! name (`name`, snake_case; the Python binding uses the same name, the Node binding its
//! camelCase), the HTTP method, the path (path parameters in braces, such as `{token}`) and what
//! the response is ([`RouteKind`]). The bindings' tests read this list and fail when a route has
//! no method in their language, so a route added here must be added everywhere.
//!
//! A route the service adds before this list knows it stays usable through the generic calls:
//! [`Client::request_json`](crate::Client::request_json) and
//! [`Client::request_stream`](crate::Client::request_stream) take any [`Method`] and any path.
//!
//! ```
//! use olumi::routes::{self, Method, RouteKind};
//!
//! let revoke = routes::find("revoke_share").unwrap();
//! assert_eq!((revoke.method, revoke.path), (Method::Delete, "/assist/share/{token}"));
//! assert_eq!(revoke.kind, RouteKind::Json);
//! assert_eq!(routes::ROUTES.len(), 40);
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// An HTTP method the client can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Every method, in declaration order.
    pub const ALL: [Self; 5] = [Self::Get, Self::Post, Self::Put, Self::Patch, Self::Delete];

    /// The method as it goes on the wire (and into the signature): `GET`, `POST`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = Error;

    /// Parses a method name, in any case (`get`, `Delete`, ...).
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::config(format!(
                    "unsupported HTTP method {s:?}: use GET, POST, PUT, PATCH or DELETE"
                ))
            })
    }
}

impl From<Method> for reqwest::Method {
    fn from(method: Method) -> Self {
        match method {
            Method::Get => Self::GET,
            Method::Post => Self::POST,
            Method::Put => Self::PUT,
            Method::Patch => Self::PATCH,
            Method::Delete => Self::DELETE,
        }
    }
}

/// What a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// A JSON body (the typed method returns a model).
    Json,
    /// A Server-Sent Events stream (the typed method returns a resilient event stream).
    Stream,
    /// Raw bytes (the evidence pack's ZIP archive).
    Bytes,
}

impl RouteKind {
    /// `"json"`, `"stream"` or `"bytes"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Stream => "stream",
            Self::Bytes => "bytes",
        }
    }
}

/// One product route of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// The typed method's name, snake_case (`bias_check`). Node uses its camelCase (`biasCheck`).
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path; path parameters in braces (`/assist/share/{token}`).
    pub path: &'static str,
    /// What the route answers.
    pub kind: RouteKind,
}

impl Route {
    /// The method's name in camelCase, as the Node binding spells it (`bias_check` ->
    /// `biasCheck`).
    pub fn camel_case_name(&self) -> String {
        camel_case(self.name)
    }
}

/// `snake_case` -> `camelCase`.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

const fn route(name: &'static str, method: Method, path: &'static str, kind: RouteKind) -> Route {
    Route {
        name,
        method,
        path,
        kind,
    }
}

/// Every product route of the service (v1.11.1), one typed [`Client`](crate::Client) method each.
///
/// Not listed: the prompt-management `/admin/**` routes (their own `X-Admin-Key` auth, not a
/// product API) and `/assist/v1/decision-review/enhanced` (in the service's source, not
/// registered).
pub const ROUTES: &[Route] = {
    use Method::{Delete, Get, Post};
    use RouteKind::{Bytes, Json, Stream};
    &[
        // Service information.
        route("health", Get, "/healthz", Json),
        route("status", Get, "/v1/status", Json),
        route("limits", Get, "/v1/limits", Json),
        route("diagnostics", Get, "/diagnostics", Json),
        // Drafting.
        route("draft_graph", Post, "/assist/draft-graph", Json),
        route(
            "draft_graph_stream",
            Post,
            "/assist/draft-graph/stream",
            Stream,
        ),
        route("resume", Post, "/assist/draft-graph/resume", Stream),
        // Assistants.
        route("suggest_options", Post, "/assist/suggest-options", Json),
        route("clarify_brief", Post, "/assist/clarify-brief", Json),
        route("critique_graph", Post, "/assist/critique-graph", Json),
        route("explain_diff", Post, "/assist/explain-diff", Json),
        route("evidence_pack", Post, "/assist/evidence-pack", Bytes),
        // Share links.
        route("create_share", Post, "/assist/share", Json),
        route("get_share", Get, "/assist/share/{token}", Json),
        route("revoke_share", Delete, "/assist/share/{token}", Json),
        // CEE v1.
        route("cee_draft_graph", Post, "/assist/v1/draft-graph", Json),
        route(
            "cee_draft_graph_stream",
            Post,
            "/assist/v1/draft-graph/stream",
            Stream,
        ),
        route("options", Post, "/assist/v1/options", Json),
        route("bias_check", Post, "/assist/v1/bias-check", Json),
        route("explain_graph", Post, "/assist/v1/explain-graph", Json),
        route("evidence_helper", Post, "/assist/v1/evidence-helper", Json),
        route(
            "sensitivity_coach",
            Post,
            "/assist/v1/sensitivity-coach",
            Json,
        ),
        route(
            "team_perspectives",
            Post,
            "/assist/v1/team-perspectives",
            Json,
        ),
        route("graph_readiness", Post, "/assist/v1/graph-readiness", Json),
        route("key_insight", Post, "/assist/v1/key-insight", Json),
        route("elicit_belief", Post, "/assist/v1/elicit-belief", Json),
        route(
            "suggest_utility_weights",
            Post,
            "/assist/v1/suggest-utility-weights",
            Json,
        ),
        route(
            "elicit_risk_tolerance",
            Post,
            "/assist/v1/elicit-risk-tolerance",
            Json,
        ),
        route(
            "suggest_edge_function",
            Post,
            "/assist/v1/suggest-edge-function",
            Json,
        ),
        route(
            "generate_recommendation",
            Post,
            "/assist/v1/generate-recommendation",
            Json,
        ),
        route(
            "narrate_conditions",
            Post,
            "/assist/v1/narrate-conditions",
            Json,
        ),
        route("explain_policy", Post, "/assist/v1/explain-policy", Json),
        route(
            "elicit_preferences",
            Post,
            "/assist/v1/elicit/preferences",
            Json,
        ),
        route(
            "elicit_preferences_answer",
            Post,
            "/assist/v1/elicit/preferences/answer",
            Json,
        ),
        route(
            "explain_tradeoff",
            Post,
            "/assist/v1/explain/tradeoff",
            Json,
        ),
        route("isl_synthesis", Post, "/assist/v1/isl-synthesis", Json),
        route("ask", Post, "/assist/v1/ask", Json),
        route("review", Post, "/assist/v1/review", Json),
        route("cee_health", Get, "/assist/v1/health", Json),
        route(
            "decision_review_example",
            Get,
            "/assist/v1/decision-review/example",
            Json,
        ),
    ]
};

/// The route whose method is called `name` (snake_case).
pub fn find(name: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.name == name)
}

/// Fills a path's `{param}` placeholders, percent-encoding each value as one path segment (so a
/// value cannot add segments or a query).
///
/// ```
/// assert_eq!(
///     olumi::routes::fill_path("/assist/share/{token}", &[("token", "a b/c")]).unwrap(),
///     "/assist/share/a%20b%2Fc"
/// );
/// ```
pub fn fill_path(template: &str, params: &[(&str, &str)]) -> Result<String, Error> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|i| open + i).ok_or_else(|| {
            Error::config(format!("path template {template:?} has an unclosed '{{'"))
        })?;
        let name = &rest[open + 1..close];
        let (_, value) = params
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Error::config(format!("path parameter {name:?} is missing")))?;
        if value.is_empty() || *value == "." || *value == ".." {
            // `.` and `..` survive encoding and would be resolved away as dot-segments.
            return Err(Error::config(format!(
                "path parameter {name:?} must not be empty, \".\" or \"..\""
            )));
        }
        out.extend(percent_encoding::utf8_percent_encode(value, SEGMENT));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Everything but RFC 3986 unreserved characters is encoded in a path parameter.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_paths_are_absolute() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(seen.insert(r.name), "duplicate route name {}", r.name);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
                "{}",
                r.name
            );
            assert!(r.path.starts_with('/'), "{}", r.path);
        }
        let pairs: std::collections::HashSet<_> =
            ROUTES.iter().map(|r| (r.method, r.path)).collect();
        assert_eq!(pairs.len(), ROUTES.len(), "a method and path listed twice");
    }

    #[test]
    fn methods_parse_in_any_case_and_unknown_ones_are_named() {
        assert_eq!("delete".parse::<Method>().unwrap(), Method::Delete);
        assert_eq!("PATCH".parse::<Method>().unwrap(), Method::Patch);
        let err = "TRACE".parse::<Method>().unwrap_err().to_string();
        assert!(err.contains("\"TRACE\""), "{err}");
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(
            camel_case("elicit_preferences_answer"),
            "elicitPreferencesAnswer"
        );
        assert_eq!(find("ask").unwrap().camel_case_name(), "ask");
    }

    #[test]
    fn path_parameters_are_filled_and_encoded() {
        assert_eq!(
            fill_path("/assist/share/{token}", &[("token", "abc")]).unwrap(),
            "/assist/share/abc"
        );
        assert_eq!(
            fill_path("/assist/share/{token}", &[("token", "../x?y=1")]).unwrap(),
            "/assist/share/..%2Fx%3Fy%3D1"
        );
        assert!(fill_path("/assist/share/{token}", &[]).is_err());
        assert!(fill_path("/assist/share/{token}", &[("token", "")]).is_err());
        assert!(fill_path("/assist/share/{token}", &[("token", "..")]).is_err());
    }
}
