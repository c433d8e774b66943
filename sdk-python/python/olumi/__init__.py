"""Python SDK of the Olumi Assistants Service.

A thin binding over the Rust core (crate ``olumi``): signing, response-hash verification, retries,
streaming with resume and fallback, and error classification all happen there.

    import olumi

    with olumi.Client("http://127.0.0.1:8787", hmac_secret="test-hmac-secret") as client:
        draft = client.draft_graph({"brief": "Should we expand into the German market next year?"})
        print(len(draft.graph.nodes))
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from olumi._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CancelledError,
    ConfigError,
    DecodeError,
    IntegrityError,
    InternalError,
    InternalServerError,
    NetworkError,
    NotFoundError,
    OlumiError,
    RateLimitError,
    SignatureError,
    SignatureRejectedError,
    StreamError,
    TimeoutError,
)
from olumi._models import (
    CeeDraftGraphRequest,
    CeeDraftGraphResponse,
    ClarifyBriefRequest,
    ClarifyBriefResponse,
    CritiqueGraphRequest,
    CritiqueGraphResponse,
    DraftGraphInput,
    DraftGraphOutput,
    Edge,
    EvidencePackRequest,
    ExplainDiffRequest,
    ExplainDiffResponse,
    Graph,
    Health,
    Limits,
    Node,
    Rationale,
    Status,
    SuggestOptionsRequest,
    SuggestOptionsResponse,
)
from olumi._native import (
    AsyncClient,
    AsyncEventStream,
    Client,
    CompleteEvent,
    EventStream,
    HeartbeatEvent,
    OtherEvent,
    ResumeTokenEvent,
    SseComment,
    SseDecoder,
    SseEvent,
    SseFinish,
    SseRetry,
    SseSkipped,
    StageEvent,
    StreamSummary,
    canonical_json,
    generate_nonce,
    sign,
    verify_response_hash,
)

try:
    __version__ = version("olumi")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

StreamEvent = StageEvent | ResumeTokenEvent | HeartbeatEvent | OtherEvent | CompleteEvent
"""Any event of a ``draft_graph_stream``."""

SseItem = SseEvent | SseComment | SseRetry | SseSkipped
"""Anything ``SseDecoder.feed`` returns."""

__all__ = [
    "APIError",
    "AsyncClient",
    "AsyncEventStream",
    "AuthenticationError",
    "BadRequestError",
    "CancelledError",
    "CeeDraftGraphRequest",
    "CeeDraftGraphResponse",
    "ClarifyBriefRequest",
    "ClarifyBriefResponse",
    "Client",
    "CompleteEvent",
    "ConfigError",
    "CritiqueGraphRequest",
    "CritiqueGraphResponse",
    "DecodeError",
    "DraftGraphInput",
    "DraftGraphOutput",
    "Edge",
    "EventStream",
    "EvidencePackRequest",
    "ExplainDiffRequest",
    "ExplainDiffResponse",
    "Graph",
    "Health",
    "HeartbeatEvent",
    "IntegrityError",
    "InternalError",
    "InternalServerError",
    "Limits",
    "NetworkError",
    "Node",
    "NotFoundError",
    "OlumiError",
    "OtherEvent",
    "RateLimitError",
    "Rationale",
    "ResumeTokenEvent",
    "SignatureError",
    "SignatureRejectedError",
    "SseComment",
    "SseDecoder",
    "SseEvent",
    "SseFinish",
    "SseItem",
    "SseRetry",
    "SseSkipped",
    "StageEvent",
    "Status",
    "StreamError",
    "StreamEvent",
    "StreamSummary",
    "SuggestOptionsRequest",
    "SuggestOptionsResponse",
    "TimeoutError",
    "__version__",
    "canonical_json",
    "generate_nonce",
    "sign",
    "verify_response_hash",
]
