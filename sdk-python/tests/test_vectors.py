"""The shared vectors of tests/vectors, through the Python helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest

import olumi
from conftest import VECTORS


def cases(name: str) -> list[dict[str, Any]]:
    data = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data["cases"]  # type: ignore[no-any-return]


def body_of(case: dict[str, Any]) -> bytes:
    repeat = case.get("body_repeat")
    if repeat:
        text = repeat["prefix"] + repeat["char"] * repeat["count"] + repeat["suffix"]
        return str(text).encode()
    return str(case["body"]).encode()


SIGNING = cases("signing.json")
# The legacy form (no timestamp, no nonce) is what the service still accepts, never what an SDK
# sends: `olumi.sign` always signs the timestamped form.
TIMESTAMPED = [c for c in SIGNING if c["timestamp"] is not None]


def test_signing_vectors_are_all_read() -> None:
    assert len(SIGNING) == 8
    assert len(TIMESTAMPED) == 7


@pytest.mark.parametrize("case", TIMESTAMPED, ids=lambda c: c["name"])
@pytest.mark.parametrize(("mode", "expected"), [("unbound", "server_effective"), ("sha256", "body_bound")])
def test_signing(case: dict[str, Any], mode: str, expected: str) -> None:
    headers = olumi.sign(
        case["method"],
        case["path"],
        body_of(case),
        case["secret"],
        timestamp_ms=int(case["timestamp"]),
        nonce=case["nonce"],
        body_hash=mode,  # type: ignore[arg-type]
    )
    assert headers == {
        "X-Olumi-Signature": case[expected]["signature"],
        "X-Olumi-Timestamp": case["timestamp"],
        "X-Olumi-Nonce": case["nonce"],
    }


@pytest.mark.parametrize("case", TIMESTAMPED[:1], ids=lambda c: c["name"])
def test_signing_accepts_str_bodies(case: dict[str, Any]) -> None:
    as_bytes = olumi.sign("POST", "/x", body_of(case), "k", timestamp_ms=1, nonce="n", body_hash="sha256")
    as_str = olumi.sign(
        "POST", "/x", body_of(case).decode(), "k", timestamp_ms=1, nonce="n", body_hash="sha256"
    )
    assert as_bytes == as_str


HASHES = cases("response-hash.json")


@pytest.mark.parametrize("case", HASHES, ids=lambda c: c["name"])
def test_response_hash(case: dict[str, Any]) -> None:
    body = case["raw_body"].encode("utf-8", "surrogatepass")
    assert olumi.canonical_json(body) == case["canonical"]
    assert olumi.verify_response_hash(body, case["hash12"])
    assert olumi.verify_response_hash(body, case["raw_body_sha256"])
    wrong = "0" * 12 if case["hash12"] != "0" * 12 else "1" * 12
    assert not olumi.verify_response_hash(body, wrong)
    assert not olumi.verify_response_hash(body + b" ", case["raw_body_sha256"])
    assert not olumi.verify_response_hash(body, case["hash12"].upper())


def test_response_hash_vectors_are_all_read() -> None:
    assert len(HASHES) == 15


def test_canonical_json_rejects_invalid_json() -> None:
    with pytest.raises(olumi.DecodeError) as info:
        olumi.canonical_json(b'{"a":')
    assert info.value.code == "ERR_DECODE"


SSE = cases("sse.json")


def as_expected(items: list[olumi.SseItem]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        match item:
            case olumi.SseEvent(event, data, id):
                out.append({"kind": "event", "event": event, "data": data, "id": id})
            case olumi.SseComment(comment):
                out.append({"kind": "comment", "text": comment})
            case olumi.SseRetry(retry_ms):
                out.append({"kind": "retry", "ms": retry_ms})
            case _:
                raise AssertionError(f"unexpected item {item!r}")
    return out


@pytest.mark.parametrize("case", SSE, ids=lambda c: c["name"])
def test_sse_whole(case: dict[str, Any]) -> None:
    decoder = olumi.SseDecoder()
    assert as_expected(decoder.feed(case["input"].encode())) == case["expected"]


@pytest.mark.parametrize("case", SSE, ids=lambda c: c["name"])
def test_sse_byte_by_byte(case: dict[str, Any]) -> None:
    decoder = olumi.SseDecoder()
    data = case["input"].encode()
    items: list[olumi.SseItem] = []
    for i in range(len(data)):
        items.extend(decoder.feed(data[i : i + 1]))
    assert as_expected(items) == case["expected"]


def test_sse_vectors_are_all_read() -> None:
    assert len(SSE) == 20
