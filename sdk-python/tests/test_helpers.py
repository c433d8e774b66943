"""The sans-IO helpers beyond the vectors: defaults, validation, the SSE decoder's edges."""

from __future__ import annotations

import re
import time

import pytest

import olumi

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_sign_defaults_to_now_and_a_fresh_nonce() -> None:
    before = int(time.time() * 1000)
    first = olumi.sign("POST", "/assist/draft-graph", b"{}", "secret")
    second = olumi.sign("POST", "/assist/draft-graph", b"{}", "secret")
    after = int(time.time() * 1000)
    assert set(first) == {"X-Olumi-Signature", "X-Olumi-Timestamp", "X-Olumi-Nonce"}
    assert before <= int(first["X-Olumi-Timestamp"]) <= after
    assert UUID4.match(first["X-Olumi-Nonce"])
    assert first["X-Olumi-Nonce"] != second["X-Olumi-Nonce"]
    assert re.fullmatch(r"[0-9a-f]{64}", first["X-Olumi-Signature"])


def test_sign_body_hash_modes_differ_only_with_a_body() -> None:
    args = {"timestamp_ms": 1, "nonce": "n"}
    assert olumi.sign("GET", "/v1/limits", b"", "k", **args) == olumi.sign(  # type: ignore[arg-type]
        "GET",
        "/v1/limits",
        b"",
        "k",
        body_hash="sha256",
        **args,  # type: ignore[arg-type]
    )
    assert olumi.sign("POST", "/x", b"{}", "k", **args) != olumi.sign(  # type: ignore[arg-type]
        "POST",
        "/x",
        b"{}",
        "k",
        body_hash="sha256",
        **args,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("post", "/x", b"", "k"), "method"),
        (("POST", "https://x/y", b"", "k"), "request-target"),
        (("POST", "/x y", b"", "k"), "request-target"),
        (("POST", "/x", b"", ""), "secret"),
    ],
)
def test_sign_rejects_malformed_input(args: tuple[str, str, bytes, str], needle: str) -> None:
    with pytest.raises(olumi.ConfigError, match=needle):
        olumi.sign(*args)


def test_sign_rejects_unknown_modes_and_bad_nonces() -> None:
    with pytest.raises(olumi.ConfigError, match="body-hash"):
        olumi.sign("POST", "/x", b"", "k", body_hash="md5")  # type: ignore[arg-type]
    with pytest.raises(olumi.ConfigError, match="nonce"):
        olumi.sign("POST", "/x", b"", "k", nonce="a\nb")
    with pytest.raises(TypeError):
        olumi.sign("POST", "/x", 5, "k")  # type: ignore[arg-type]


def test_generate_nonce() -> None:
    nonces = {olumi.generate_nonce() for _ in range(1000)}
    assert len(nonces) == 1000
    assert all(UUID4.match(n) for n in nonces)


def test_verify_response_hash_rejects_malformed_headers() -> None:
    body = b'{"a":1}'
    good = olumi.canonical_json(body)
    assert good == '{"a":1}'
    for header in ["", "xyz", "0" * 13, "G" * 12, " " + "0" * 11]:
        assert not olumi.verify_response_hash(body, header)
    assert not olumi.verify_response_hash(b"not json", "0" * 12)


def test_sse_decoder_across_chunks_and_finish() -> None:
    decoder = olumi.SseDecoder()
    assert decoder.feed(b"id: 7\nevent: st") == []
    assert decoder.feed(b"age\ndata: a\r\ndata: b\r\n\r\n: hi\n") == [
        olumi.SseEvent("stage", "a\nb", "7"),
        olumi.SseComment("hi"),
    ]
    assert decoder.last_event_id == "7"
    assert decoder.feed(b"retry: 250\n\ndata: partial") == [olumi.SseRetry(250)]
    finish = decoder.finish()
    assert finish.partial_line
    assert finish.truncated
    assert bool(finish)
    assert not decoder.finish()
    assert repr(olumi.SseEvent("m", "d")) == 'SseEvent(event="m", data="d", id=None)'


def test_sse_decoder_skips_oversized_events_and_recovers() -> None:
    decoder = olumi.SseDecoder(max_event_size=8)
    items = decoder.feed(b"data: 0123456789\n\ndata: ok\n\n")
    assert isinstance(items[0], olumi.SseSkipped)
    assert "limit" in items[0].reason
    assert items[1:] == [olumi.SseEvent("message", "ok")]


def test_sse_decoder_accepts_bytearray() -> None:
    decoder = olumi.SseDecoder()
    assert decoder.feed(bytearray(b"data: x\n\n")) == [olumi.SseEvent("message", "x")]
    with pytest.raises(TypeError):
        decoder.feed(42)  # type: ignore[arg-type]


def test_sse_items_outlive_their_decoder_and_chunk() -> None:
    decoder = olumi.SseDecoder()
    first, comment, second = decoder.feed(b"event: a\ndata: one\n\n: note\nevent: a\ndata: two\n\n")
    del decoder
    assert (first, comment, second) == (
        olumi.SseEvent("a", "one"),
        olumi.SseComment("note"),
        olumi.SseEvent("a", "two"),
    )
    assert isinstance(first, olumi.SseEvent)
    assert (first.event, first.data, first.id) == ("a", "one", None)
