"""The shape of the mock's journal entries (`MockServer.journal()`), for type checkers.

A refused request carries ``rejection``: which check failed, in plain words, and the canonical
string the mock expected, so a failing test can print what to diff against what the client signed::

    entry = server.journal()[-1]
    if entry["rejection"] is not None:
        print(entry["rejection"]["check"], entry["rejection"]["detail"])
        print(entry["rejection"]["expected_canonical"])
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from typing_extensions import NotRequired

__all__ = ["JournalEntry", "JournalRejection"]


class JournalRejection(TypedDict):
    """Why auth refused a request (or why its signature failed before an API key let it through)."""

    check: str
    """``missing_headers``, ``signature_mismatch``, ``skew``, ``malformed_timestamp``, ``nonce_replayed``,
    ``replay_floor``, ``nonce_too_long``, ``missing_api_key`` or ``invalid_api_key``."""
    detail: str
    expected_canonical: str | None
    """The canonical string the mock would accept a signature of, as received; ``None`` when none applies."""
    also_accepted: NotRequired[list[str]]
    skew_ms: NotRequired[int]
    first_seen_seq: NotRequired[int]
    first_seen_at_ms: NotRequired[int]


class JournalEntry(TypedDict):
    """One request the mock received (secrets redacted)."""

    seq: int
    received_at_ms: int
    since_start_ms: float
    method: str
    target: str
    headers: list[list[str]]
    body_len: int
    body_sha256: str
    verdict: dict[str, Any]
    hmac_rejection: str | None
    rejection: JournalRejection | None
    nonce: str | None
    request_id: str | None
    fixture: str | None
    near_miss: str | None
    fault: str | None
    status: int
    latency_ms: float
    source: Literal["mock", "fixture", "proxy"]
    """What answered: the mock itself, a fixture, or the proxied upstream (``--proxy-to``)."""
    body: str
    """The request body as UTF-8 (its first 64 KiB)."""
