"""Typed views of the service's JSON, and the shapes of requests.

Responses are `Model` objects: a read-only view of the JSON the core decoded (and validated against
its typed model). Declared fields are typed attributes (nested objects become their model class);
any other field the service sends is still reachable as an attribute, as plain JSON values.
``to_dict()`` returns the JSON.

Requests are plain dicts; the ``TypedDict`` classes here describe them for type checkers. A model
object is accepted wherever a dict is.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypedDict, cast

__all__ = [
    "Attachment",
    "CeeDraftGraphRequest",
    "CeeDraftGraphResponse",
    "ClarifyBriefRequest",
    "ClarifyBriefResponse",
    "ClarifyingQuestion",
    "CritiqueGraphRequest",
    "CritiqueGraphResponse",
    "CritiqueIssue",
    "Diagnostics",
    "DraftGraphInput",
    "DraftGraphOutput",
    "Edge",
    "EvidencePackRequest",
    "ExplainDiffRequest",
    "ExplainDiffResponse",
    "Graph",
    "GraphMeta",
    "GraphPatch",
    "Health",
    "Layout",
    "Limits",
    "Model",
    "Node",
    "OptionSuggestion",
    "PatchAdds",
    "Position",
    "PreviousAnswer",
    "Quota",
    "Rationale",
    "RequestCounters",
    "Status",
    "SuggestOptionsRequest",
    "SuggestOptionsResponse",
]

_Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _as_dict(value: Any) -> dict[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _as_list(value: Any) -> list[Any] | None:
    # mypy calls the cast redundant; pyright needs it to know the items' type.
    return cast("list[Any]", value) if isinstance(value, list) else None  # type: ignore[redundant-cast]


def _converter(hint: Any) -> _Convert:
    """How to present a JSON value of a field annotated ``hint``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, Model):
        model: type[Model] = hint

        def to_model(value: Any) -> Any:
            data = _as_dict(value)
            return value if data is None else model(data)

        return to_model
    if origin is list and args:
        item = _converter(args[0])
        if item is _identity:
            return _identity

        def to_list(value: Any) -> Any:
            items = _as_list(value)
            return value if items is None else [item(x) for x in items]

        return to_list
    if origin is dict and len(args) == 2:
        entry = _converter(args[1])
        if entry is _identity:
            return _identity

        def to_dict(value: Any) -> Any:
            data = _as_dict(value)
            return value if data is None else {k: entry(x) for k, x in data.items()}

        return to_dict
    non_none = [a for a in args if a is not type(None)]
    if args and len(non_none) == 1:  # X | None
        return _converter(non_none[0])
    return _identity


class Model:
    """A read-only view of a JSON object; see the module docs."""

    __slots__ = ("_data",)
    _data: dict[str, Any]
    _aliases: ClassVar[Mapping[str, str]] = {}
    _fields_cache: ClassVar[dict[type, dict[str, _Convert]]] = {}

    def __init__(self, data: Mapping[str, Any] | None = None, /, **fields: Any) -> None:
        merged = dict(data or {})
        merged.update(fields)
        object.__setattr__(self, "_data", merged)

    @classmethod
    def _fields(cls) -> dict[str, _Convert]:
        fields = Model._fields_cache.get(cls)
        if fields is None:
            hints = typing.get_type_hints(cls)
            fields = {
                name: _converter(hint)
                for name, hint in hints.items()
                if not name.startswith("_") and typing.get_origin(hint) is not ClassVar
            }
            Model._fields_cache[cls] = fields
        return fields

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        key = self._aliases.get(name, name)
        convert = type(self)._fields().get(name)
        data: dict[str, Any] = self._data
        if key in data:
            value: Any = data[key]
            return value if convert is None else convert(value)
        if convert is not None:
            return None  # a declared optional field the service left out
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use to_dict() for a mutable copy")

    def __reduce__(self) -> tuple[type[Model], tuple[dict[str, Any]]]:
        return (type(self), (self._data,))

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *type(self)._fields(), *self._data})

    def to_dict(self) -> dict[str, Any]:
        """The JSON object (a deep copy)."""
        return copy.deepcopy(self._data)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._data == other._data)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = ", ".join(f"{key}={_short(value)}" for key, value in self._data.items())
        return f"{type(self).__name__}({items})"


def _short(value: Any, depth: int = 0) -> str:
    """A repr that stays on one screen: nested containers are summarised."""
    data = _as_dict(value)
    if data is not None:
        if depth >= 1 or len(data) > 6:
            return f"{{...{len(data)} keys}}"
        return "{" + ", ".join(f"{k!r}: {_short(v, depth + 1)}" for k, v in data.items()) + "}"
    items = _as_list(value)
    if items is not None:
        if depth >= 1 or len(items) > 3:
            return f"[...{len(items)} items]"
        return "[" + ", ".join(_short(v, depth + 1) for v in items) + "]"
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:57] + "...")
    return repr(value)


# ------------------------------------------------------------------------------------------------
# Graphs
# ------------------------------------------------------------------------------------------------


class Position(Model):
    x: float
    y: float


class GraphMeta(Model):
    roots: list[str]
    leaves: list[str]
    suggested_positions: dict[str, Position]
    source: str | None


class Node(Model):
    id: str
    kind: str
    """``goal``, ``decision``, ``option``, ``outcome``, ``risk``, ``action``, ``factor`` (or newer)."""
    label: str | None
    body: str | None
    data: dict[str, Any] | None


class Edge(Model):
    _aliases: ClassVar[Mapping[str, str]] = {"from_": "from"}
    id: str | None
    from_: str
    """The source node id (``"from"`` in JSON)."""
    to: str
    strength_mean: float | None
    strength_std: float | None
    belief_exists: float | None
    weight: float | None
    belief: float | None
    provenance: Any
    provenance_source: str | None
    effect_direction: str | None


class Graph(Model):
    version: str
    default_seed: float
    nodes: list[Node]
    edges: list[Edge]
    meta: GraphMeta | None


class PatchAdds(Model):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class GraphPatch(Model):
    adds: PatchAdds
    updates: list[Any]
    removes: list[Any]


class Rationale(Model):
    target: str
    why: str
    provenance_source: str | None


class Layout(Model):
    suggested_positions: dict[str, Position]


class Diagnostics(Model):
    resumes: int
    trims: int
    recovered_events: int
    correlation_id: str | None


# ------------------------------------------------------------------------------------------------
# Responses
# ------------------------------------------------------------------------------------------------


class DraftGraphOutput(Model):
    """``POST /assist/draft-graph`` (and the final event of a stream)."""

    graph: Graph
    patch: GraphPatch | None
    rationales: list[Rationale]
    issues: list[str] | None
    clarifier_status: str | None
    layout: Layout | None
    debug: Any
    confidence: float | None
    trace: dict[str, Any] | None
    diagnostics: Diagnostics | None


class OptionSuggestion(Model):
    id: str
    title: str
    pros: list[str]
    cons: list[str]
    evidence_to_gather: list[str]


class SuggestOptionsResponse(Model):
    """``POST /assist/suggest-options``."""

    options: list[OptionSuggestion]


class ClarifyingQuestion(Model):
    question: str
    choices: list[str] | None
    why_we_ask: str | None
    impacts_draft: str | None


class ClarifyBriefResponse(Model):
    """``POST /assist/clarify-brief``."""

    questions: list[ClarifyingQuestion]
    confidence: float | None
    should_continue: bool | None
    round: int | None


class CritiqueIssue(Model):
    level: str
    note: str
    target: str | None


class CritiqueGraphResponse(Model):
    """``POST /assist/critique-graph``."""

    issues: list[CritiqueIssue]
    suggested_fixes: list[str]
    overall_quality: str | None


class ExplainDiffResponse(Model):
    """``POST /assist/explain-diff``."""

    rationales: list[Rationale]


class CeeDraftGraphResponse(Model):
    """``POST /assist/v1/draft-graph``: the whole body (its shape depends on the schema version)."""

    trace: dict[str, Any] | None


class Quota(Model):
    capacity_rpm: float
    tokens: float
    refill_rate_per_sec: float
    retry_after_seconds: float


class Limits(Model):
    """``GET /v1/limits``."""

    schema: str
    key_id: str
    rate_limit_rpm: float
    sse_rate_limit_rpm: float
    quota_backend: str
    graph_max_nodes: int
    graph_max_edges: int
    max_nodes: int | None
    max_edges: int | None
    standard_quota: Quota
    sse_quota: Quota


class Health(Model):
    """``GET /healthz``."""

    ok: bool
    degraded: bool | None
    degraded_reasons: list[str] | None
    service: str | None
    version: str | None
    commit: str | None
    provider: str | None
    model: str | None
    limits_source: str | None
    feature_flags: dict[str, Any] | None
    auth: dict[str, Any] | None


class RequestCounters(Model):
    total: int
    client_errors_4xx: int
    server_errors_5xx: int
    error_rate_5xx: float


class Status(Model):
    """``GET /v1/status``."""

    service: str
    version: str
    uptime_seconds: int
    timestamp: str
    requests: RequestCounters | None
    llm: dict[str, Any] | None


# ------------------------------------------------------------------------------------------------
# Requests (plain dicts; these describe them for type checkers)
# ------------------------------------------------------------------------------------------------


class Attachment(TypedDict):
    id: str
    kind: str
    name: str


class _DraftGraphInputRequired(TypedDict):
    brief: str


class DraftGraphInput(_DraftGraphInputRequired, total=False):
    """``POST /assist/draft-graph`` and its stream; ``brief`` is 30..5000 characters."""

    attachments: list[Attachment]
    attachment_payloads: dict[str, Any]
    constraints: dict[str, Any]
    flags: dict[str, bool]
    include_debug: bool
    focus_areas: list[str]
    context: dict[str, Any]
    previous_graph: dict[str, Any]
    refinement_mode: str
    refinement_instructions: str
    preserve_nodes: list[str]
    clarification_rounds_completed: int
    clarifier_response: dict[str, Any]
    conversation_history: list[dict[str, Any]]
    max_clarifier_rounds: int
    raw_output: bool


CeeDraftGraphRequest = DraftGraphInput


class _SuggestOptionsRequired(TypedDict):
    goal: str


class SuggestOptionsRequest(_SuggestOptionsRequired, total=False):
    constraints: dict[str, Any]
    graph_summary: dict[str, Any]


class PreviousAnswer(TypedDict):
    question: str
    answer: str


class _ClarifyBriefRequired(TypedDict):
    brief: str


class ClarifyBriefRequest(_ClarifyBriefRequired, total=False):
    round: int
    previous_answers: list[PreviousAnswer]
    seed: int
    flags: dict[str, bool]


class _CritiqueGraphRequired(TypedDict):
    graph: dict[str, Any]


class CritiqueGraphRequest(_CritiqueGraphRequired, total=False):
    brief: str
    attachments: list[Attachment]
    attachment_payloads: dict[str, Any]
    flags: dict[str, bool]
    focus_areas: list[str]


class _ExplainDiffRequired(TypedDict):
    patch: dict[str, Any]


class ExplainDiffRequest(_ExplainDiffRequired, total=False):
    brief: str
    graph_summary: dict[str, Any]


class EvidencePackRequest(TypedDict, total=False):
    rationales: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    csv_stats: list[dict[str, Any]]
    graph: dict[str, Any]
    brief: str
    pii_guard_mode: str
    include_share_url: bool
