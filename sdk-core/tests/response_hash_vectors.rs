//! Every case of `tests/vectors/response-hash.json` (produced by the service's own code), plus
//! properties of canonical JSON: idempotence, agreement with `serde_json` on plain documents,
//! and no panics on any bytes.

use olumi::canonical_json::canonical_json;
use olumi::response_hash::{
    HashForm, IntegrityError, raw_body_hash, response_hash, verify_response_hash,
};
use proptest::prelude::*;
use serde_json::Value;

fn load_cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/response-hash.json"
    );
    let text = std::fs::read_to_string(path).expect("read response-hash vectors");
    let doc: Value = serde_json::from_str(&text).expect("response-hash vectors are JSON");
    let cases = doc["cases"].as_array().expect("cases array").clone();
    assert!(
        cases.len() >= 15,
        "expected at least 15 response-hash cases, found {}",
        cases.len()
    );
    cases
}

fn field<'a>(case: &'a Value, name: &str) -> &'a str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("{}: missing {name}", case["name"]))
}

/// The same hash with its last character changed, still lowercase hex.
fn altered(hash: &str) -> String {
    let (head, last) = hash.split_at(hash.len() - 1);
    format!("{head}{}", if last == "0" { '1' } else { '0' })
}

#[test]
fn every_response_hash_vector() {
    for case in load_cases() {
        let name = field(&case, "name");
        let body = field(&case, "raw_body").as_bytes();
        let hash12 = field(&case, "hash12");
        let raw = field(&case, "raw_body_sha256");

        assert_eq!(
            canonical_json(body).as_deref(),
            Ok(field(&case, "canonical")),
            "{name}"
        );
        assert_eq!(response_hash(body).as_deref(), Ok(hash12), "{name}");
        assert_eq!(raw_body_hash(body), raw, "{name}");
        assert_eq!(
            verify_response_hash(body, hash12),
            Ok(HashForm::Canonical12),
            "{name}"
        );
        assert_eq!(
            verify_response_hash(body, raw),
            Ok(HashForm::RawSha256),
            "{name}"
        );
        for (hash, form) in [(hash12, HashForm::Canonical12), (raw, HashForm::RawSha256)] {
            let bad = altered(hash);
            assert_eq!(
                verify_response_hash(body, &bad),
                Err(IntegrityError::Mismatch {
                    form,
                    expected: bad.clone(),
                    computed: hash.to_owned()
                }),
                "{name}"
            );
        }
    }
}

/// A JSON document as a tree, rendered to text with the escapes and spacing chosen at generation.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    /// The literal text of a number.
    Num(String),
    Str(Vec<Piece>),
    Arr(Vec<Self>),
    Obj(Vec<(Vec<Piece>, Self)>),
}

/// One UTF-16 code point of a string and how it is spelled in the source.
#[derive(Debug, Clone)]
enum Piece {
    /// Raw when JSON allows it, else the short escape or `\u00XX`.
    Raw(char),
    /// Always `\uXXXX` (a surrogate pair above U+FFFF), upper or lower case hex.
    Escaped(char, bool),
    /// A lone surrogate, `\uXXXX`.
    Lone(u16),
}

fn render_str(pieces: &[Piece], out: &mut String) {
    out.push('"');
    for piece in pieces {
        match *piece {
            Piece::Raw('"') => out.push_str("\\\""),
            Piece::Raw('\\') => out.push_str("\\\\"),
            Piece::Raw('\n') => out.push_str("\\n"),
            Piece::Raw(c) if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            Piece::Raw(c) => out.push(c),
            Piece::Escaped(c, upper) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    if upper {
                        out.push_str(&format!("\\u{unit:04X}"));
                    } else {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
            }
            Piece::Lone(unit) => out.push_str(&format!("\\u{unit:04x}")),
        }
    }
    out.push('"');
}

impl Json {
    fn render(&self, spaced: bool, out: &mut String) {
        let gap = if spaced { " \n\t\r" } else { "" };
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Num(text) => out.push_str(text),
            Self::Str(pieces) => render_str(pieces, out),
            Self::Arr(items) => {
                out.push('[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push_str(gap);
                    item.render(spaced, out);
                }
                out.push_str(gap);
                out.push(']');
            }
            Self::Obj(members) => {
                out.push('{');
                for (n, (key, value)) in members.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    render_str(key, out);
                    out.push_str(gap);
                    out.push(':');
                    value.render(spaced, out);
                }
                out.push('}');
            }
        }
    }

    fn text(&self, spaced: bool) -> String {
        let mut out = String::new();
        self.render(spaced, &mut out);
        out
    }

    /// True when serde_json and JavaScript would build the same object: no lone surrogates,
    /// duplicate keys, array-index-like keys or `__proto__`.
    fn plain(&self) -> bool {
        fn plain_str(pieces: &[Piece]) -> bool {
            !pieces.iter().any(|p| matches!(p, Piece::Lone(_)))
        }
        match self {
            Self::Str(pieces) => plain_str(pieces),
            Self::Arr(items) => items.iter().all(Self::plain),
            Self::Obj(members) => {
                let mut seen = std::collections::HashSet::new();
                members.iter().all(|(key, value)| {
                    let text = decode(key);
                    plain_str(key)
                        && text != "__proto__"
                        && !text.starts_with(|c: char| c.is_ascii_digit())
                        && seen.insert(text)
                        && value.plain()
                })
            }
            Self::Null | Self::Bool(_) | Self::Num(_) => true,
        }
    }
}

fn decode(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match *p {
            Piece::Raw(c) | Piece::Escaped(c, _) => c,
            Piece::Lone(_) => char::REPLACEMENT_CHARACTER,
        })
        .collect()
}

/// Generators take `plain`: when set they make only what serde_json and JavaScript read alike
/// (no lone surrogates, duplicate keys, array-index-like keys or `__proto__`).
fn piece(plain: bool) -> impl Strategy<Value = Piece> {
    let lone_weight = if plain { 0 } else { 1 };
    prop_oneof![
        6 => prop::sample::select(vec!['a', 'b', 'z', 'A', '_', ' ', '0', '9', '/']).prop_map(Piece::Raw),
        2 => any::<char>().prop_map(Piece::Raw),
        1 => prop::sample::select(vec!['"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', '\u{2028}', 'é', '\u{ffff}', '\u{e000}', '🚀', '😀'])
            .prop_map(Piece::Raw),
        1 => (any::<char>(), any::<bool>()).prop_map(|(c, upper)| Piece::Escaped(c, upper)),
        lone_weight => (0xd800u16..0xe000).prop_map(Piece::Lone),
    ]
}

fn string(plain: bool) -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec(piece(plain), 0..12)
}

fn key(plain: bool) -> impl Strategy<Value = Vec<Piece>> {
    let fixed: &[&str] = if plain {
        &[
            "a", "b", "B", "é", "🚀", "\u{ffff}", "", "x0", "__proto", "_",
        ]
    } else {
        &[
            "a",
            "b",
            "B",
            "é",
            "🚀",
            "\u{ffff}",
            "",
            "0",
            "1",
            "10",
            "01",
            "-1",
            "4294967294",
            "4294967295",
            "__proto__",
        ]
    };
    prop_oneof![
        3 => prop::sample::select(fixed.to_vec()).prop_map(|k| k.chars().map(Piece::Raw).collect()),
        2 => string(plain),
    ]
}

fn number(plain: bool) -> impl Strategy<Value = String> {
    let exponent = if plain {
        "([eE][+-]?[0-9]{1,2})?"
    } else {
        "([eE][+-]?[0-9]{1,3})?"
    };
    prop_oneof![
        4 => prop::string::string_regex(&format!("-?(0|[1-9][0-9]{{0,24}})(\\.[0-9]{{1,20}})?{exponent}"))
            .expect("number regex"),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| format!("{f:e}")),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec!["-0", "-0.0", "1e300", "5e-324", "0.1", "1e21", "9007199254740993"])
            .prop_map(str::to_owned),
        u32::from(!plain) => Just("-1e400".to_owned()),
    ]
}

fn json(plain: bool) -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number(plain).prop_map(Json::Num),
        string(plain).prop_map(Json::Str),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Arr),
            prop::collection::vec((key(plain), inner), 0..8).prop_map(move |mut members| {
                if plain {
                    let mut seen = std::collections::HashSet::new();
                    members.retain(|(key, _)| {
                        let text = decode(key);
                        !text.starts_with(|c: char| c.is_ascii_digit()) && seen.insert(text)
                    });
                }
                Json::Obj(members)
            }),
        ]
    })
}

/// Equal as JSON data, numbers compared as doubles. serde_json (without `float_roundtrip`) may
/// parse a long decimal one unit in the last place off, so numbers get that much slack here;
/// `numbers_round_trip_exactly` checks them exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => {
                x == y || (x - y).abs() <= 2.0 * f64::EPSILON * x.abs().max(y.abs())
            }
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

proptest! {
    #[test]
    fn canonical_json_is_idempotent(doc in json(false), spaced in any::<bool>()) {
        let text = doc.text(spaced);
        let once = canonical_json(text.as_bytes());
        prop_assert!(once.is_ok(), "{text:?}: {once:?}");
        let once = once.unwrap();
        let twice = canonical_json(once.as_bytes());
        prop_assert_eq!(twice.as_deref(), Ok(once.as_str()), "{:?}", text);
    }

    #[test]
    fn canonical_json_agrees_with_serde_json_on_plain_documents(doc in json(true), spaced in any::<bool>()) {
        prop_assert!(doc.plain(), "the generator made a document JavaScript reads differently");
        let text = doc.text(spaced);
        let input: Value = serde_json::from_str(&text).expect("serde_json reads plain documents");
        let output = canonical_json(text.as_bytes()).expect("valid JSON");
        let reparsed: Value = serde_json::from_str(&output).expect("canonical JSON is JSON");
        prop_assert!(same(&input, &reparsed), "{text}\n{output}");
    }

    #[test]
    fn numbers_round_trip_exactly(text in number(false)) {
        let value: f64 = text.parse().expect("generated numbers are valid");
        let printed = canonical_json(text.as_bytes()).expect("valid JSON");
        if value.is_finite() {
            let reparsed: f64 = printed.parse().expect("canonical numbers parse");
            // -0 prints as 0, as in JavaScript.
            prop_assert!(reparsed == value && printed != "-0", "{text} -> {printed}");
        } else {
            prop_assert_eq!(printed, "null");
        }
    }

    #[test]
    fn canonical_json_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = canonical_json(&bytes);
    }

    #[test]
    fn canonical_json_never_panics_on_damaged_documents(
        doc in json(false),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[]\",:\\u0-e.\x00\xff\xed\xf0 ".to_vec()),
        cut in any::<bool>(),
    ) {
        let mut bytes = doc.text(false).into_bytes();
        let i = at.index(bytes.len());
        if cut { bytes.truncate(i) } else { bytes[i] = byte }
        let _ = canonical_json(&bytes);
    }
}
