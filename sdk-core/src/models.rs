//! Typed request and response models for the Olumi Assistants Service.
//!
//! The models follow the **service's** schemas (`src/schemas/*.ts` as observed on the wire), not
//! the old TypeScript SDK's types, which disagree with the service in several places
//! (suggest-options, clarify-brief, explain-diff, graph node kinds).
//!
//! Three rules hold for every model:
//!
//! - **Nothing is lost.** Each struct has an `extra` map that collects the fields this SDK does
//!   not know yet and writes them back out, so a response parsed and serialized again keeps
//!   every field. Enums with known values (such as [`NodeKind`]) have an `Other(String)` variant
//!   that keeps an unknown value verbatim.
//! - **Missing optional fields are fine.** Optional fields are `Option`s (omitted when `None`),
//!   lists default to empty.
//! - **No client-side validation.** Bounds are documented (for example "30..5000 characters") but
//!   never checked here: the service answers `BAD_INPUT`, and duplicating its rules would only let
//!   the two drift apart.
//!
//! Numbers that JavaScript may send with a fraction are `f64`. They are written back the way
//! JavaScript's `JSON.stringify` writes them (`2.0` as `2`), so a round trip reproduces the
//! service's bytes for the number.
//!
//! Fields in a request's `extra` map must not repeat a typed field's name: both would be written,
//! and the JSON object would hold the key twice.
//!
//! ```
//! use olumi::models::{DraftGraphInput, DraftGraphOutput, NodeKind};
//!
//! let input = DraftGraphInput::new("Should we expand into the German market next year?");
//! assert_eq!(
//!     serde_json::to_string(&input).unwrap(),
//!     r#"{"brief":"Should we expand into the German market next year?"}"#
//! );
//!
//! let body = r#"{"graph":{"version":"1","default_seed":17,
//!     "nodes":[{"id":"g","kind":"goal"},{"id":"h","kind":"hypothesis"}],"edges":[]},
//!     "patch":{},"rationales":[],"new_field":true}"#;
//! let out: DraftGraphOutput = serde_json::from_str(body).unwrap();
//! assert_eq!(out.graph.nodes[0].kind, NodeKind::Goal);
//! assert_eq!(out.graph.nodes[1].kind, NodeKind::Other("hypothesis".into()));
//! assert_eq!(out.extra["new_field"], true);
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Defines a string enum whose unknown values round-trip.
///
/// Each known variant maps to one wire string; any other string becomes `Other(value)` and is
/// written back unchanged. Generates `as_str`, `From<&str>`, `From<String>`, `Display`,
/// `Serialize` and `Deserialize`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The string sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )+
                    _ => Self::Other(value),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // A visitor rather than `String::deserialize`: a known value read from a borrowed
                // string allocates nothing (every streamed `stage` event names its stage).
                struct Name;
                impl ::serde::de::Visitor<'_> for Name {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: String) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }
                deserializer.deserialize_str(Name)
            }
        }
    };
}

/// Adds a `with_extra` builder method to request models.
macro_rules! with_extra {
    ($($name:ident),+ $(,)?) => {$(
        impl $name {
            /// Adds a field the SDK does not model (yet). It must not repeat a typed field's name.
            #[must_use]
            pub fn with_extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }
    )+};
}

/// Serializers that write an `f64` as JavaScript's `JSON.stringify` does: integral values without
/// a fraction (`2`, not `2.0`), so numbers round-trip unchanged.
mod js_number {
    use std::collections::BTreeMap;

    use serde::{Serialize, Serializer};

    /// Integral doubles below 2^53 in magnitude are exact as `i64`.
    const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

    struct Js(f64);

    impl Serialize for Js {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let v = self.0;
            if v.fract() == 0.0 && v.abs() < MAX_SAFE {
                // Exact: |v| < 2^53 and integral. `-0.0` becomes `0`, as in JavaScript.
                serializer.serialize_i64(v as i64)
            } else {
                serializer.serialize_f64(v)
            }
        }
    }

    pub(super) fn num<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        Js(*value).serialize(serializer)
    }

    pub(super) fn opt<S: Serializer>(
        value: &Option<f64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&Js(*v)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn map<S: Serializer>(
        value: &BTreeMap<String, f64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(value.iter().map(|(k, v)| (k, Js(*v))))
    }
}

/// Decodes `json` as a `T` and lists the fields that landed in an `extra` map because this SDK
/// does not model them (their names, in decoding order; nested ones included).
///
/// Used by the tests that check the mock server's fixtures against the models, and useful to
/// see what a newer service sends that this SDK does not type yet.
///
/// ```
/// use olumi::models::{Health, decode_reporting_unknown};
///
/// let body = serde_json::json!({"ok": true, "brand_new": 1});
/// let (health, unknown) = decode_reporting_unknown::<Health>(body).unwrap();
/// assert!(health.ok);
/// assert_eq!(unknown, ["brand_new"]);
/// ```
pub fn decode_reporting_unknown<T: DeserializeOwned>(
    json: Value,
) -> Result<(T, Vec<String>), serde_json::Error> {
    unknown::collect(|| serde_json::from_value(json))
}

/// The `extra` maps' deserializer: it records the keys it keeps while a
/// [`decode_reporting_unknown`] is in progress on this thread (and costs one thread-local read
/// otherwise, only for a non-empty map).
mod unknown {
    use std::cell::RefCell;

    use serde::{Deserialize, Deserializer};
    use serde_json::{Map, Value};

    thread_local! {
        static SEEN: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
    }

    pub(super) fn record<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Map<String, Value>, D::Error> {
        let map = Map::deserialize(deserializer)?;
        note(&map);
        Ok(map)
    }

    /// Records the keys of `extra` (unknown fields read by a hand-written `Deserialize`).
    pub(super) fn note(extra: &Map<String, Value>) {
        if !extra.is_empty() {
            SEEN.with(|seen| {
                if let Some(seen) = seen.borrow_mut().as_mut() {
                    seen.extend(extra.keys().cloned());
                }
            });
        }
    }

    pub(super) fn collect<T, E>(
        decode: impl FnOnce() -> Result<T, E>,
    ) -> Result<(T, Vec<String>), E> {
        let previous = SEEN.with(|seen| seen.replace(Some(Vec::new())));
        let result = decode();
        let found = SEEN.with(|seen| seen.replace(previous)).unwrap_or_default();
        result.map(|value| (value, found))
    }
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

string_enum! {
    /// The kind of a graph node.
    pub enum NodeKind {
        /// `goal`
        Goal = "goal",
        /// `decision`
        Decision = "decision",
        /// `option`
        Option = "option",
        /// `outcome`
        Outcome = "outcome",
        /// `risk`
        Risk = "risk",
        /// `action`
        Action = "action",
        /// `factor`
        Factor = "factor",
    }
}

string_enum! {
    /// The file type of an attachment.
    pub enum AttachmentKind {
        /// `pdf`
        Pdf = "pdf",
        /// `csv`
        Csv = "csv",
        /// `txt`
        Txt = "txt",
        /// `md`
        Md = "md",
    }
}

string_enum! {
    /// Why the clarifier stopped asking questions.
    pub enum ClarifierStatus {
        /// `complete`
        Complete = "complete",
        /// `max_rounds`
        MaxRounds = "max_rounds",
        /// `confident`
        Confident = "confident",
    }
}

string_enum! {
    /// What a draft or critique should concentrate on.
    pub enum FocusArea {
        /// `structure`
        Structure = "structure",
        /// `completeness`
        Completeness = "completeness",
        /// `feasibility`
        Feasibility = "feasibility",
        /// `provenance`
        Provenance = "provenance",
    }
}

string_enum! {
    /// How a previous graph is refined.
    pub enum RefinementMode {
        /// `auto`
        Auto = "auto",
        /// `expand`
        Expand = "expand",
        /// `prune`
        Prune = "prune",
        /// `clarify`
        Clarify = "clarify",
    }
}

string_enum! {
    /// Where an edge's or rationale's evidence comes from.
    pub enum ProvenanceSource {
        /// `document`
        Document = "document",
        /// `metric`
        Metric = "metric",
        /// `hypothesis`
        Hypothesis = "hypothesis",
        /// `engine`
        Engine = "engine",
    }
}

string_enum! {
    /// Whether increasing an edge's source increases or decreases its target.
    pub enum EffectDirection {
        /// `positive`
        Positive = "positive",
        /// `negative`
        Negative = "negative",
    }
}

string_enum! {
    /// Who produced a graph (`meta.source`).
    pub enum GraphSource {
        /// `assistant`: drafted by the model.
        Assistant = "assistant",
        /// `fixtures`: the built-in fixture graph (preview events, fixtures provider).
        Fixtures = "fixtures",
    }
}

string_enum! {
    /// The stage named by an SSE `stage` event.
    pub enum Stage {
        /// `DRAFTING`: the draft is in progress (the payload, if any, is a preview).
        Drafting = "DRAFTING",
        /// `COMPLETE`: the final event; the payload is a result or an error envelope.
        Complete = "COMPLETE",
    }
}

string_enum! {
    /// The severity of a critique issue.
    pub enum IssueLevel {
        /// `BLOCKER`
        Blocker = "BLOCKER",
        /// `IMPROVEMENT`
        Improvement = "IMPROVEMENT",
        /// `OBSERVATION`
        Observation = "OBSERVATION",
    }
}

string_enum! {
    /// The overall grade of a critiqued graph.
    pub enum OverallQuality {
        /// `poor`
        Poor = "poor",
        /// `fair`
        Fair = "fair",
        /// `good`
        Good = "good",
        /// `excellent`
        Excellent = "excellent",
    }
}

string_enum! {
    /// How strictly an evidence pack is redacted.
    pub enum PiiGuardMode {
        /// `standard` (the service's default)
        Standard = "standard",
        /// `strict`
        Strict = "strict",
        /// `off`
        Off = "off",
    }
}

// ---------------------------------------------------------------------------------------------
// Graph
// ---------------------------------------------------------------------------------------------

fn default_version() -> String {
    "1".to_owned()
}

fn default_seed() -> f64 {
    17.0
}

/// A decision graph (graph v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    /// Graph schema version; `"1"` (the default when absent).
    #[serde(default = "default_version")]
    pub version: String,
    /// Seed for simulations; 17 when absent.
    #[serde(default = "default_seed", serialize_with = "js_number::num")]
    pub default_seed: f64,
    /// The nodes.
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// The edges.
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Roots, leaves and layout hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<GraphMeta>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Default for Graph {
    fn default() -> Self {
        Self::new(Vec::new(), Vec::new())
    }
}

impl Graph {
    /// A version `"1"` graph with seed 17 and no `meta`.
    pub fn new(nodes: Vec<Node>, edges: Vec<Edge>) -> Self {
        Self {
            version: default_version(),
            default_seed: default_seed(),
            nodes,
            edges,
            meta: None,
            extra: Map::new(),
        }
    }
}

/// A graph node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Node id (at least 1 character).
    pub id: String,
    /// The node's kind.
    pub kind: NodeKind,
    /// Short label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Longer description (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Quantitative data: [`FactorData`] on factors, [`OptionData`] on options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<NodeData>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Node {
    /// A node with only an id and a kind.
    pub fn new(id: impl Into<String>, kind: NodeKind) -> Self {
        Self {
            id: id.into(),
            kind,
            label: None,
            body: None,
            data: None,
            extra: Map::new(),
        }
    }

    /// Sets the label.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// A node's `data`: whichever shape it matches first, or the raw JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NodeData {
    /// Quantitative data of a factor node (has a numeric `value`).
    Factor(FactorData),
    /// Interventions of an option node (has `interventions`).
    Option(OptionData),
    /// Anything else, kept verbatim.
    Other(Value),
}

/// Quantitative data for a factor node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorData {
    /// Current or proposed value.
    #[serde(serialize_with = "js_number::num")]
    pub value: f64,
    /// Baseline value ("from X to Y": X).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub baseline: Option<f64>,
    /// Unit (`£`, `%`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Valid range for sensitivity analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<FactorRange>,
    /// How the value was extracted: `explicit`, `inferred` or `range` (`extractionType`).
    #[serde(
        default,
        rename = "extractionType",
        skip_serializing_if = "Option::is_none"
    )]
    pub extraction_type: Option<String>,
    /// Extraction confidence, 0..1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Lower bound of a range extraction (`rangeMin`).
    #[serde(
        default,
        rename = "rangeMin",
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub range_min: Option<f64>,
    /// Upper bound of a range extraction (`rangeMax`).
    #[serde(
        default,
        rename = "rangeMax",
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub range_max: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `range` of a [`FactorData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorRange {
    /// Minimum.
    #[serde(serialize_with = "js_number::num")]
    pub min: f64,
    /// Maximum.
    #[serde(serialize_with = "js_number::num")]
    pub max: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Interventions of an option node: factor id to intervention value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionData {
    /// Factor id to the value this option sets it to.
    #[serde(serialize_with = "js_number::map")]
    pub interventions: BTreeMap<String, f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A graph edge.
///
/// Deserializing accepts `from`/`to` or `source`/`target` (as the service does; `from`/`to` win
/// when both are present, and `source`/`target` are then dropped, as the service drops them).
/// Serializing always writes `from`/`to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EdgeWire")]
pub struct Edge {
    /// Edge id; the service assigns `"<from>::<to>::<n>"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Effect magnitude, -3..3; the sign is the direction.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub strength_mean: Option<f64>,
    /// Parametric uncertainty (> 0).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub strength_std: Option<f64>,
    /// Confidence that the relationship exists, 0..1.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub belief_exists: Option<f64>,
    /// Deprecated: use `strength_mean`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub weight: Option<f64>,
    /// Deprecated: use `belief_exists` (0..1).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub belief: Option<f64>,
    /// Evidence for the edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The kind of evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance_source: Option<ProvenanceSource>,
    /// Sign of the effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect_direction: Option<EffectDirection>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Edge {
    /// An edge with only its endpoints.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            id: None,
            from: from.into(),
            to: to.into(),
            strength_mean: None,
            strength_std: None,
            belief_exists: None,
            weight: None,
            belief: None,
            provenance: None,
            provenance_source: None,
            effect_direction: None,
            extra: Map::new(),
        }
    }
}

/// The input form of an [`Edge`]: either endpoint naming.
#[derive(Deserialize)]
struct EdgeWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    strength_mean: Option<f64>,
    #[serde(default)]
    strength_std: Option<f64>,
    #[serde(default)]
    belief_exists: Option<f64>,
    #[serde(default)]
    weight: Option<f64>,
    #[serde(default)]
    belief: Option<f64>,
    #[serde(default)]
    provenance: Option<Provenance>,
    #[serde(default)]
    provenance_source: Option<ProvenanceSource>,
    #[serde(default)]
    effect_direction: Option<EffectDirection>,
    #[serde(flatten, deserialize_with = "unknown::record")]
    extra: Map<String, Value>,
}

impl TryFrom<EdgeWire> for Edge {
    type Error = &'static str;

    fn try_from(wire: EdgeWire) -> Result<Self, Self::Error> {
        let (Some(from), Some(to)) = (wire.from.or(wire.source), wire.to.or(wire.target)) else {
            return Err("edge must have either from/to or source/target fields");
        };
        Ok(Self {
            id: wire.id,
            from,
            to,
            strength_mean: wire.strength_mean,
            strength_std: wire.strength_std,
            belief_exists: wire.belief_exists,
            weight: wire.weight,
            belief: wire.belief,
            provenance: wire.provenance,
            provenance_source: wire.provenance_source,
            effect_direction: wire.effect_direction,
            extra: wire.extra,
        })
    }
}

/// An edge's `provenance`: structured, a legacy string, or anything else verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Provenance {
    /// `{source, quote, location?}`.
    Structured(StructuredProvenance),
    /// Legacy free-text provenance (deprecated by the service).
    Text(String),
    /// Any other shape, kept verbatim.
    Other(Value),
}

/// Structured provenance of an edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructuredProvenance {
    /// File name, metric name, or `"hypothesis"`.
    pub source: String,
    /// Short citation (at most 100 characters).
    pub quote: String,
    /// Where in the source: `"page 3"`, `"row 42"`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A layout position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Horizontal coordinate.
    #[serde(serialize_with = "js_number::num")]
    pub x: f64,
    /// Vertical coordinate.
    #[serde(serialize_with = "js_number::num")]
    pub y: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A graph's `meta`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GraphMeta {
    /// Ids of nodes without incoming edges.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Ids of nodes without outgoing edges.
    #[serde(default)]
    pub leaves: Vec<String>,
    /// Suggested layout, by node id.
    #[serde(default)]
    pub suggested_positions: BTreeMap<String, Position>,
    /// Who produced the graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<GraphSource>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A graph patch: what to add, update and remove.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GraphPatch {
    /// Nodes and edges to add.
    #[serde(default)]
    pub adds: PatchAdds,
    /// Updates (objects merged by `id`).
    #[serde(default)]
    pub updates: Vec<Value>,
    /// Removals (by node or edge id, or `from`+`to`).
    #[serde(default)]
    pub removes: Vec<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `adds` of a [`GraphPatch`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PatchAdds {
    /// Nodes to add.
    #[serde(default)]
    pub nodes: Vec<Value>,
    /// Edges to add.
    #[serde(default)]
    pub edges: Vec<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Why a graph element is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rationale {
    /// The node or edge id explained.
    pub target: String,
    /// The explanation (at most 280 characters).
    pub why: String,
    /// The kind of evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance_source: Option<ProvenanceSource>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Draft graph
// ---------------------------------------------------------------------------------------------

/// Request body of `POST /assist/draft-graph` and `/assist/draft-graph/stream`.
///
/// The service drops unknown keys, except `fixtures` (bool), `seed` (string), `archetype_hint`
/// (string) and up to 10 `sim_*` primitives, which are passed through: send those in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DraftGraphInput {
    /// The decision to model, 30..5000 characters.
    pub brief: String,
    /// Attached files; their content goes in `attachment_payloads`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// Attachment id to content: a base64 string or `{data, encoding}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_payloads: Option<BTreeMap<String, Value>>,
    /// Free-form constraints (an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Map<String, Value>>,
    /// Per-request feature flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeMap<String, bool>>,
    /// Ask for a `debug` section in the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_debug: Option<bool>,
    /// What to concentrate on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_areas: Option<Vec<FocusArea>>,
    /// Structured context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<DraftContext>,
    /// A graph to refine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_graph: Option<Graph>,
    /// How to refine `previous_graph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refinement_mode: Option<RefinementMode>,
    /// Refinement instructions, 1..2000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refinement_instructions: Option<String>,
    /// Node ids to keep while refining (at most 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_nodes: Option<Vec<String>>,
    /// Clarification rounds already done, 0..3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarification_rounds_completed: Option<u32>,
    /// The answer to the clarifier's last question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifier_response: Option<ClarifierResponse>,
    /// Earlier clarifier questions and answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_history: Option<Vec<ConversationTurn>>,
    /// Maximum clarifier rounds, 0..10 (service default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_clarifier_rounds: Option<u32>,
    /// Skip the service's post-processing repairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_output: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl DraftGraphInput {
    /// A request with only a brief (30..5000 characters; not checked here).
    pub fn new(brief: impl Into<String>) -> Self {
        Self {
            brief: brief.into(),
            ..Self::default()
        }
    }

    /// Attaches a file: adds `attachment` and its content (base64 string or `{data, encoding}`)
    /// under the attachment's id.
    #[must_use]
    pub fn with_attachment(mut self, attachment: Attachment, payload: impl Into<Value>) -> Self {
        self.attachment_payloads
            .get_or_insert_with(BTreeMap::new)
            .insert(attachment.id.clone(), payload.into());
        self.attachments
            .get_or_insert_with(Vec::new)
            .push(attachment);
        self
    }

    /// Sets a per-request feature flag.
    #[must_use]
    pub fn with_flag(mut self, name: impl Into<String>, enabled: bool) -> Self {
        self.flags
            .get_or_insert_with(BTreeMap::new)
            .insert(name.into(), enabled);
        self
    }
}

/// The service's name for [`DraftGraphInput`] on the CEE route `POST /assist/v1/draft-graph`.
pub type CeeDraftGraphRequest = DraftGraphInput;

/// An attached file's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// Id; the key of its content in `attachment_payloads`.
    pub id: String,
    /// File type.
    pub kind: AttachmentKind,
    /// File name.
    pub name: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Attachment {
    /// An attachment description.
    pub fn new(id: impl Into<String>, kind: AttachmentKind, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind,
            name: name.into(),
            extra: Map::new(),
        }
    }
}

/// The `context` of a [`DraftGraphInput`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DraftContext {
    /// Stated goals: at most 5, each 5..200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The answer to one clarifier question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClarifierResponse {
    /// The question's id.
    pub question_id: String,
    /// The answer.
    pub answer: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One earlier clarifier exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationTurn {
    /// The question's id.
    pub question_id: String,
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/draft-graph`, and the payload of `stage` events. It has no `schema`
/// field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DraftGraphOutput {
    /// The drafted graph.
    pub graph: Graph,
    /// Changes relative to `previous_graph`.
    pub patch: GraphPatch,
    /// Why elements are there.
    #[serde(default)]
    pub rationales: Vec<Rationale>,
    /// Validation notes (for example `"validate_unreachable"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<String>>,
    /// Why the clarifier stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifier_status: Option<ClarifierStatus>,
    /// Layout hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// Debug data (with `include_debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug: Option<Value>,
    /// The model's confidence, 0..1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Pipeline trace (corrections, repairs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Value>,
    /// Stream diagnostics, added by the draft routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Diagnostics>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `layout` of a [`DraftGraphOutput`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Layout {
    /// Suggested positions by node id.
    #[serde(default)]
    pub suggested_positions: BTreeMap<String, Position>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Stream diagnostics added to draft results (and to error payloads on the stream).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Diagnostics {
    /// How many times the stream was resumed.
    #[serde(default)]
    pub resumes: u64,
    /// Whether (1) or not (0) the buffered events were trimmed.
    #[serde(default)]
    pub trims: u64,
    /// Events recovered by a resume.
    #[serde(default)]
    pub recovered_events: u64,
    /// Equals the `X-Correlation-ID` header (not the request id); always sent.
    pub correlation_id: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Stream events
// ---------------------------------------------------------------------------------------------

/// Data of an SSE `stage` event: `{"stage":"DRAFTING"}` or `{"stage":…,"payload":…}`. The
/// stream session decodes every `stage` event into this type and hands it on in
/// [`StreamEvent::Stage`](crate::StreamEvent::Stage).
///
/// The payload stays the JSON text it arrived as, checked once to be valid JSON: reading the
/// stage costs no parse of the payload. [`raw_payload`](Self::raw_payload) gives the text;
/// [`payload`](Self::payload) and [`payload_as`](Self::payload_as) parse it on demand.
///
/// Two events are equal when their stages, payload texts (byte for byte) and unknown fields are.
#[derive(Debug, Clone, Serialize)]
pub struct StageEvent {
    /// The stage.
    pub stage: Stage,
    /// A preview (`DRAFTING`) or the result or error envelope (`COMPLETE`), as sent; `None` when
    /// absent or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<Box<RawValue>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StageEvent {
    /// A stage event with this payload text (see [`RawValue::from_string`] to make one).
    #[must_use]
    pub fn new(stage: Stage, payload: Option<Box<RawValue>>) -> Self {
        Self {
            stage,
            payload,
            extra: Map::new(),
        }
    }

    /// Whether this is the final (`COMPLETE`) event.
    pub fn is_complete(&self) -> bool {
        self.stage == Stage::Complete
    }

    /// The payload's JSON text as sent (valid JSON), if there is one.
    pub fn raw_payload(&self) -> Option<&RawValue> {
        self.payload.as_deref()
    }

    /// The payload's JSON text, taken out of the event.
    pub fn into_raw_payload(self) -> Option<Box<RawValue>> {
        self.payload
    }

    /// The payload parsed into a [`Value`], if there is one.
    ///
    /// # Errors
    ///
    /// Only a payload nested deeper than `serde_json`'s recursion limit (128) fails: the text is
    /// known to be valid JSON.
    pub fn payload(&self) -> Result<Option<Value>, serde_json::Error> {
        self.payload_as()
    }

    /// The payload parsed into a `T`, if there is one.
    ///
    /// # Errors
    ///
    /// The payload is not a valid `T`.
    pub fn payload_as<T: DeserializeOwned>(&self) -> Result<Option<T>, serde_json::Error> {
        self.payload
            .as_deref()
            .map(|raw| serde_json::from_str(raw.get()))
            .transpose()
    }

    /// Parses the payload, if there is one; see [`DraftPayload::from_value`].
    pub fn into_draft_payload(self) -> Option<Result<DraftPayload, serde_json::Error>> {
        self.payload
            .map(|raw| serde_json::from_str(raw.get()).and_then(DraftPayload::from_value))
    }
}

impl PartialEq for StageEvent {
    fn eq(&self, other: &Self) -> bool {
        self.stage == other.stage
            && self.raw_payload().map(RawValue::get) == other.raw_payload().map(RawValue::get)
            && self.extra == other.extra
    }
}

impl StageEvent {
    /// Reads a streamed `stage` event's data as the stream session does: like its
    /// [`Deserialize`], except that unknown fields are skipped, not kept in `extra` (keeping one
    /// costs allocations on every event, and the service sends none).
    pub(crate) fn from_stream_data(data: &str) -> Result<Self, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let event = deserializer.deserialize_map(StageFields {
            keep_unknown: false,
        })?;
        deserializer.end()?;
        Ok(event)
    }
}

/// Hand-written rather than derived: `#[serde(flatten)]` (for `extra`) would buffer every event,
/// payload included, into an intermediate map before reading it. This reads each field once, in
/// place; the payload is copied as text.
impl<'de> Deserialize<'de> for StageEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(StageFields { keep_unknown: true })
    }
}

/// The visitor of a [`StageEvent`]: unknown fields go to `extra`, or are skipped.
struct StageFields {
    keep_unknown: bool,
}

impl<'de> Visitor<'de> for StageFields {
    type Value = StageEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a stage event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StageEvent, A::Error> {
        let mut stage = None;
        let mut payload = None;
        let mut extra = Map::new();
        while let Some(FieldName(key)) = map.next_key()? {
            match &*key {
                "stage" if stage.is_some() => return Err(A::Error::duplicate_field("stage")),
                "stage" => stage = Some(map.next_value()?),
                "payload" if payload.is_some() => return Err(A::Error::duplicate_field("payload")),
                "payload" => payload = Some(map.next_value::<Option<Box<RawValue>>>()?),
                _ if self.keep_unknown => {
                    extra.insert(key.into_owned(), map.next_value()?);
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        unknown::note(&extra);
        Ok(StageEvent {
            stage: stage.ok_or_else(|| A::Error::missing_field("stage"))?,
            payload: payload.flatten(),
            extra,
        })
    }
}

/// Data of an SSE `resume` event. The stream session decodes every `resume` event into this
/// type and hands its token on in [`StreamEvent::ResumeToken`](crate::StreamEvent::ResumeToken).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResumeEvent {
    /// The opaque resume token, for the `X-Resume-Token` header.
    pub token: String,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Hand-written for the reason [`StageEvent`]'s is.
impl<'de> Deserialize<'de> for ResumeEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = ResumeEvent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resume event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResumeEvent, A::Error> {
                let mut token = None;
                let mut extra = Map::new();
                while let Some(FieldName(key)) = map.next_key()? {
                    match &*key {
                        "token" if token.is_some() => {
                            return Err(A::Error::duplicate_field("token"));
                        }
                        "token" => token = Some(map.next_value()?),
                        _ => {
                            extra.insert(key.into_owned(), map.next_value()?);
                        }
                    }
                }
                unknown::note(&extra);
                Ok(ResumeEvent {
                    token: token.ok_or_else(|| A::Error::missing_field("token"))?,
                    extra,
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// An object key, borrowed from the input when it can be (no allocation for a known field).
struct FieldName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;
        impl<'de> Visitor<'de> for Key {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Key)
    }
}

/// A parsed stage payload (or the bare payload of a resume's `complete` event).
#[derive(Debug, Clone, PartialEq)]
pub enum DraftPayload {
    /// A draft result.
    Output(Box<DraftGraphOutput>),
    /// An error envelope (`error.v1` or `cee.error.v1`, possibly with `diagnostics`), verbatim.
    Error(Value),
}

impl DraftPayload {
    /// Classifies a payload: an error envelope (see [`is_error_envelope`]) stays a [`Value`];
    /// anything else must parse as a [`DraftGraphOutput`].
    ///
    /// # Errors
    ///
    /// The payload is neither an error envelope nor a valid [`DraftGraphOutput`].
    pub fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        if is_error_envelope(&value) {
            Ok(Self::Error(value))
        } else {
            serde_json::from_value(value).map(|out| Self::Output(Box::new(out)))
        }
    }
}

/// Whether `value` is an error envelope rather than a result.
///
/// True for `schema` `"error.v1"` or `"cee.error.v1"`, and for any object with string `code` and
/// `message` and no `graph`.
pub fn is_error_envelope(value: &Value) -> bool {
    let Some(obj) = value.as_object() else {
        return false;
    };
    if matches!(
        obj.get("schema").and_then(Value::as_str),
        Some("error.v1" | "cee.error.v1")
    ) {
        return true;
    }
    obj.get("code").is_some_and(Value::is_string)
        && obj.get("message").is_some_and(Value::is_string)
        && !obj.contains_key("graph")
}

// ---------------------------------------------------------------------------------------------
// Other assist routes
// ---------------------------------------------------------------------------------------------

/// Request body of `POST /assist/suggest-options`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SuggestOptionsRequest {
    /// The goal (at least 5 characters).
    pub goal: String,
    /// Free-form constraints (an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Map<String, Value>>,
    /// `{decision, existing_options: [string]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_summary: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl SuggestOptionsRequest {
    /// A request for options towards `goal`.
    pub fn new(goal: impl Into<String>) -> Self {
        Self {
            goal: goal.into(),
            ..Self::default()
        }
    }
}

/// Response of `POST /assist/suggest-options` (3..5 options).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SuggestOptionsResponse {
    /// The suggested options.
    #[serde(default)]
    pub options: Vec<OptionSuggestion>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One suggested option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionSuggestion {
    /// Option id.
    pub id: String,
    /// Title (at least 3 characters).
    pub title: String,
    /// Advantages (2..3).
    #[serde(default)]
    pub pros: Vec<String>,
    /// Drawbacks (2..3).
    #[serde(default)]
    pub cons: Vec<String>,
    /// Evidence worth gathering (2..3).
    #[serde(default)]
    pub evidence_to_gather: Vec<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/clarify-brief`. The service's schema is strict: unknown fields
/// (in `extra`) are rejected with `BAD_INPUT`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClarifyBriefRequest {
    /// The brief, 30..5000 characters.
    pub brief: String,
    /// Clarification round, 0..2 (service default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// Answers from earlier rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_answers: Option<Vec<PreviousAnswer>>,
    /// Seed (an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Per-request feature flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeMap<String, bool>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ClarifyBriefRequest {
    /// A first-round request for `brief`.
    pub fn new(brief: impl Into<String>) -> Self {
        Self {
            brief: brief.into(),
            ..Self::default()
        }
    }
}

/// An answer to a question of an earlier clarification round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviousAnswer {
    /// The question asked.
    pub question: String,
    /// The answer given.
    pub answer: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl PreviousAnswer {
    /// A question and its answer.
    pub fn new(question: impl Into<String>, answer: impl Into<String>) -> Self {
        Self {
            question: question.into(),
            answer: answer.into(),
            extra: Map::new(),
        }
    }
}

/// Response of `POST /assist/clarify-brief`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClarifyBriefResponse {
    /// The questions (1..5).
    #[serde(default)]
    pub questions: Vec<ClarifyingQuestion>,
    /// How confident the service is in the brief, 0..1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Whether another round is worthwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_continue: Option<bool>,
    /// This round, 0..2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// Fields this SDK does not model (for example `readiness`).
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One clarifying question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClarifyingQuestion {
    /// The question.
    pub question: String,
    /// Suggested answers, for multiple choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    /// Why it is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_we_ask: Option<String>,
    /// How the answer changes the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impacts_draft: Option<String>,
    /// Fields this SDK does not model (for example `targets_factor`).
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/critique-graph`. Strict on the service: unknown fields are
/// rejected.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CritiqueGraphRequest {
    /// The graph to critique.
    pub graph: Graph,
    /// The brief behind it, 30..5000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// Attached files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// Attachment id to content: a base64 string or `{data, encoding}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_payloads: Option<BTreeMap<String, Value>>,
    /// Per-request feature flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeMap<String, bool>>,
    /// What to concentrate on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_areas: Option<Vec<FocusArea>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl CritiqueGraphRequest {
    /// A request to critique `graph`.
    pub fn new(graph: Graph) -> Self {
        Self {
            graph,
            ..Self::default()
        }
    }
}

/// Response of `POST /assist/critique-graph`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CritiqueGraphResponse {
    /// The issues found.
    #[serde(default)]
    pub issues: Vec<CritiqueIssue>,
    /// Suggested fixes (at most 5).
    #[serde(default)]
    pub suggested_fixes: Vec<String>,
    /// Overall grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_quality: Option<OverallQuality>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One critique issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CritiqueIssue {
    /// Severity.
    pub level: IssueLevel,
    /// The note (10..280 characters).
    pub note: String,
    /// The node or edge id concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/explain-diff`. Strict on the service: unknown fields are
/// rejected.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ExplainDiffRequest {
    /// The patch to explain.
    pub patch: GraphPatch,
    /// The brief, 30..5000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// `{node_count, edge_count}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_summary: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ExplainDiffRequest {
    /// A request to explain `patch`.
    pub fn new(patch: GraphPatch) -> Self {
        Self {
            patch,
            ..Self::default()
        }
    }
}

/// Response of `POST /assist/explain-diff`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ExplainDiffResponse {
    /// One rationale per changed element (at least one).
    #[serde(default)]
    pub rationales: Vec<Rationale>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/evidence-pack`. The response is a ZIP archive (bytes), and the
/// route answers 404 unless the service enables it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvidencePackRequest {
    /// Rationales (objects) to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationales: Option<Vec<Value>>,
    /// Document citations (objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<Vec<Value>>,
    /// CSV statistics (objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_stats: Option<Vec<Value>>,
    /// The graph, for a share URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<Graph>,
    /// The brief, for a share URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// Redaction mode (service default `standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pii_guard_mode: Option<PiiGuardMode>,
    /// Ask for a 7-day share URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_share_url: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

with_extra!(
    DraftGraphInput,
    SuggestOptionsRequest,
    ClarifyBriefRequest,
    CritiqueGraphRequest,
    ExplainDiffRequest,
    EvidencePackRequest,
);

// ---------------------------------------------------------------------------------------------
// Service information
// ---------------------------------------------------------------------------------------------

/// Response of `GET /v1/limits` (`limits.v1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// `"limits.v1"`.
    pub schema: String,
    /// Id (hash) of the calling key.
    pub key_id: String,
    /// Standard requests per minute.
    #[serde(serialize_with = "js_number::num")]
    pub rate_limit_rpm: f64,
    /// Streaming requests per minute.
    #[serde(serialize_with = "js_number::num")]
    pub sse_rate_limit_rpm: f64,
    /// `"memory"` or `"redis"`.
    pub quota_backend: String,
    /// Maximum nodes per graph.
    pub graph_max_nodes: u64,
    /// Maximum edges per graph.
    pub graph_max_edges: u64,
    /// Same as `graph_max_nodes` (older name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_nodes: Option<u64>,
    /// Same as `graph_max_edges` (older name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_edges: Option<u64>,
    /// The standard bucket.
    pub standard_quota: Quota,
    /// The streaming bucket.
    pub sse_quota: Quota,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One token bucket of [`Limits`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    /// Bucket capacity (requests per minute).
    #[serde(serialize_with = "js_number::num")]
    pub capacity_rpm: f64,
    /// Tokens left (fractional).
    #[serde(serialize_with = "js_number::num")]
    pub tokens: f64,
    /// Refill rate, tokens per second.
    #[serde(serialize_with = "js_number::num")]
    pub refill_rate_per_sec: f64,
    /// Seconds until a token is available (0 when one is).
    #[serde(serialize_with = "js_number::num")]
    pub retry_after_seconds: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Health {
    /// Whether the service is up.
    pub ok: bool,
    /// Whether it runs degraded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded: Option<bool>,
    /// Why it is degraded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded_reasons: Option<Vec<String>>,
    /// Service name (`"assistants"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Service version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Short commit hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// LLM provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// LLM model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `"config"` or `"engine"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits_source: Option<String>,
    /// `{grounding, critique, clarifier}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_flags: Option<Value>,
    /// `{keys_configured, hmac_configured}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Value>,
    /// Full commit hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_full: Option<String>,
    /// `{provider, key_configured}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<Value>,
    /// `{diagnostics_enabled, config, timeouts}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cee: Option<Value>,
    /// The inference service's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isl: Option<Value>,
    /// The prompt store's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Status {
    /// Service name.
    pub service: String,
    /// Service version.
    pub version: String,
    /// Seconds since the service started.
    pub uptime_seconds: u64,
    /// Server time (ISO 8601).
    pub timestamp: String,
    /// Request counters since start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<RequestCounters>,
    /// `{provider, model, cache_enabled, failover_enabled, ...}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<Value>,
    /// Share-link counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Value>,
    /// Feature flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_flags: Option<Value>,
    /// Latency figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `requests` of a [`Status`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RequestCounters {
    /// All requests.
    #[serde(default)]
    pub total: u64,
    /// Requests answered 4xx.
    #[serde(default)]
    pub client_errors_4xx: u64,
    /// Requests answered 5xx.
    #[serde(default)]
    pub server_errors_5xx: u64,
    /// Share of 5xx answers, in percent with 2 decimals.
    #[serde(default, serialize_with = "js_number::num")]
    pub error_rate_5xx: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// CEE
// ---------------------------------------------------------------------------------------------

mod cee;
mod cee_draft;
mod cee_extra;
mod share;

pub use cee::*;
pub use cee_draft::*;
pub use cee_extra::*;
pub use share::*;
