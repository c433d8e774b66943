"""The error mapping: every core kind to exactly one class, and real failures from the mock."""

from __future__ import annotations

import builtins
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import olumi
from conftest import API_KEY, BRIEF, SECRET, start_server
from olumi import _native
from olumi.testing import MockServer

KIND_CLASSES = {
    "ERR_CONFIG": olumi.ConfigError,
    "ERR_SIGNATURE_REJECTED": olumi.SignatureRejectedError,
    "ERR_INTEGRITY": olumi.IntegrityError,
    "ERR_DECODE": olumi.DecodeError,
    "ERR_API": olumi.APIError,
    "ERR_NETWORK": olumi.NetworkError,
    "ERR_TIMEOUT": olumi.TimeoutError,
    "ERR_STREAM": olumi.StreamError,
    "ERR_CANCELLED": olumi.CancelledError,
    "ERR_INTERNAL": olumi.InternalError,
}


# No Python call can produce these kinds: a server-side signature check (`olumi.verify`) is not
# bound, and a cancelled call raises asyncio's own CancelledError. The Rust unit test
# `errors::tests::every_kind_has_its_own_class` covers their mapping.
KINDS_NOT_REACHABLE_FROM_PYTHON = {"ERR_SIGNATURE_REJECTED", "ERR_CANCELLED"}

# A stream whose stage data is not an object, and a `/v1/limits` answer of the wrong shape.
BROKEN_FIXTURES = {
    "bad-stream.json": {
        "priority": 10,
        "match": {"method": "POST", "path": "/assist/draft-graph/stream"},
        "stream": {"steps": [{"event": "stage", "data": "not an object"}]},
    },
    "bad-limits.json": {
        "priority": 10,
        "match": {"method": "GET", "path": "/v1/limits"},
        "response": {"json": {"schema": 5}},
    },
}


def raised(call: Callable[[], object]) -> olumi.OlumiError:
    with pytest.raises(olumi.OlumiError) as info:
        call()
    return info.value


def errors_of_every_kind(server: MockServer, tmp_path: Path) -> list[olumi.OlumiError]:
    """One real failure per kind a Python call can produce, made through the in-process mock."""
    for name, fixture in BROKEN_FIXTURES.items():
        (tmp_path / name).write_text(json.dumps(fixture))
    errors = [raised(lambda: olumi.Client("ftp://x"))]
    with (
        start_server(fixtures=str(tmp_path)) as broken,
        olumi.Client(broken.url, api_key=API_KEY) as on_broken,
        olumi.Client(server.url, api_key=API_KEY, timeout=0.2, max_retries=0) as client,
        olumi.Client("http://127.0.0.1:9", max_retries=0, connect_timeout=1) as unreachable,
    ):
        errors.append(raised(on_broken.limits))
        errors.append(raised(lambda: list(on_broken.draft_graph_stream({"brief": BRIEF}))))
        for fault in ["corrupt-hash", "status=409", "delay-headers-ms=2000"]:
            server.clear_faults()
            server.inject_fault(fault)
            errors.append(raised(client.limits))
        server.clear_faults()
        errors.append(raised(unreachable.health))
    errors.append(raised(lambda: _native._panic_for_tests("convert")))
    return errors


def test_every_core_kind_maps_to_its_own_class(server: MockServer, tmp_path: Path) -> None:
    kinds = _native._error_kinds()
    assert sorted(kinds) == sorted(KIND_CLASSES), "a core ErrorKind has no Python class (or one went away)"
    errors = errors_of_every_kind(server, tmp_path)
    by_kind = {e.kind: e for e in errors}
    assert len(by_kind) == len(errors), f"two failures of one kind: {[e.kind for e in errors]}"
    assert set(by_kind) == set(kinds) - KINDS_NOT_REACHABLE_FROM_PYTHON
    for kind, error in by_kind.items():
        assert isinstance(error, KIND_CLASSES[kind]), (kind, type(error))
        assert isinstance(error, olumi.OlumiError)
        assert error.code
        assert str(error)
        assert error.kind == error.kind_code
    assert len({KIND_CLASSES[k] for k in kinds}) == len(kinds)


@pytest.mark.parametrize(
    ("fault", "cls"),
    [
        ("status=401", olumi.AuthenticationError),
        ("status=429,retry-after=1", olumi.RateLimitError),
        ("status=400", olumi.BadRequestError),
        ("status=404", olumi.NotFoundError),
        ("status=500", olumi.InternalServerError),
        ("status=426", olumi.APIError),
        ("status=418", olumi.APIError),
    ],
)
def test_api_categories_map_to_subclasses(server: MockServer, fault: str, cls: type) -> None:
    server.inject_fault(fault)
    with (
        olumi.Client(server.url, api_key=API_KEY, max_retries=0) as client,
        pytest.raises(olumi.APIError) as info,
    ):
        client.limits()
    assert type(info.value) is cls
    assert info.value.kind == "ERR_API"


def test_a_rate_limit_error_carries_the_services_fields(server: MockServer) -> None:
    server.inject_fault("status=429,retry-after=1")
    with (
        olumi.Client(server.url, api_key=API_KEY, max_retries=0) as client,
        pytest.raises(olumi.RateLimitError) as info,
    ):
        client.limits()
    error = info.value
    assert (error.code, error.kind, error.status, error.message) == (
        "RATE_LIMITED",
        "ERR_API",
        429,
        "Rate limit exceeded.",
    )
    assert error.request_id
    assert error.retry_after == 1.0
    assert error.details == {"retry_after_seconds": 1}
    assert error.retryable


def test_hierarchy() -> None:
    assert issubclass(olumi.SignatureError, olumi.AuthenticationError)
    assert issubclass(olumi.TimeoutError, builtins.TimeoutError)
    assert issubclass(olumi.ConfigError, ValueError)
    for cls in KIND_CLASSES.values():
        assert issubclass(cls, olumi.OlumiError)


@pytest.mark.parametrize("site", ["convert", "block_on"])
def test_a_panic_in_a_sync_call_raises_internal_error(site: str) -> None:
    # `_panic_for_tests` is a test-only entry point that panics inside the native code on purpose.
    with pytest.raises(olumi.InternalError, match="deliberate panic") as info:
        _native._panic_for_tests(site)
    assert isinstance(info.value, Exception)  # not PyO3's PanicException, a BaseException
    assert (info.value.kind, info.value.code, info.value.retryable) == ("ERR_INTERNAL", "ERR_INTERNAL", False)


@pytest.mark.parametrize("site", ["awaitable", "ready"])
async def test_a_panic_in_an_async_call_raises_internal_error(site: str) -> None:
    # "awaitable": the panic is on a runtime thread, in a spawned task; the awaitable must finish
    # (the suite's timeout fails a hang) and raise.
    with pytest.raises(olumi.InternalError, match="deliberate panic"):
        await _native._panic_for_tests(site)


def test_panic_for_tests_refuses_an_unknown_site() -> None:
    with pytest.raises(olumi.ConfigError, match="unknown site"):
        _native._panic_for_tests("nowhere")


def test_missing_and_invalid_api_key(server: MockServer) -> None:
    with olumi.Client(server.url) as anonymous, pytest.raises(olumi.AuthenticationError) as info:
        anonymous.limits()
    assert (info.value.status, info.value.code) == (401, "FORBIDDEN")
    assert not isinstance(info.value, olumi.SignatureError)
    with (
        olumi.Client(server.url, api_key="sk-wrong-key") as wrong,
        pytest.raises(olumi.AuthenticationError) as info,
    ):
        wrong.limits()
    assert info.value.status == 403
    assert "sk-wrong-key" not in str(info.value)
    assert info.value.request_id


@pytest.fixture(scope="module")
def hmac_only_server() -> Iterator[MockServer]:
    """Signatures only: with API keys configured too, the service falls back to them (401)."""
    with start_server(api_keys=[]) as server:
        yield server


@pytest.mark.parametrize("body_hash", ["unbound", "sha256"])
def test_bad_signature(hmac_only_server: MockServer, body_hash: str) -> None:
    hmac_only_server.reset()
    secret = "wrong-secret" if body_hash == "unbound" else SECRET  # sha256 is refused by a compat server
    options = {"hmac_secret": secret, "body_hash": body_hash}
    with (
        olumi.Client(hmac_only_server.url, **options) as client,  # type: ignore[arg-type]
        pytest.raises(olumi.SignatureError) as info,
    ):
        client.draft_graph({"brief": BRIEF})
    assert info.value.code == "INVALID_SIGNATURE"
    assert info.value.status == 403
    assert isinstance(info.value, olumi.AuthenticationError)
    assert "wrong-secret" not in str(info.value)
    assert len(hmac_only_server.journal()) == 1  # not retried


def test_failed_signature_falls_back_to_api_keys(server: MockServer) -> None:
    with (
        olumi.Client(server.url, hmac_secret="wrong-secret") as client,
        pytest.raises(olumi.AuthenticationError) as info,
    ):
        client.limits()
    assert not isinstance(info.value, olumi.SignatureError)
    assert info.value.status == 401
    assert server.journal()[-1]["hmac_rejection"] == "INVALID_SIGNATURE"


@pytest.mark.parametrize(
    ("fault", "cls", "status"),
    [
        ("status=429,retry-after=7", olumi.RateLimitError, 429),
        ("status=400", olumi.BadRequestError, 400),
        ("status=404", olumi.NotFoundError, 404),
        ("status=500", olumi.InternalServerError, 500),
        ("status=503", olumi.InternalServerError, 503),
        ("status=409", olumi.APIError, 409),
    ],
)
def test_api_errors(client: olumi.Client, server: MockServer, fault: str, cls: type, status: int) -> None:
    server.inject_fault(fault)
    with pytest.raises(olumi.APIError) as info:
        client.draft_graph({"brief": BRIEF})
    assert type(info.value) is cls
    assert info.value.status == status
    assert info.value.kind == "ERR_API"
    assert info.value.request_id
    if status == 429:
        assert info.value.retry_after == 7.0


def test_unknown_route_is_not_found(client: olumi.Client) -> None:
    with pytest.raises(olumi.NotFoundError):
        client.post_json("/assist/v1/no-such-route", {})


@pytest.mark.parametrize("fault", ["corrupt-hash", "tamper-body"])
def test_integrity(client: olumi.Client, server: MockServer, fault: str) -> None:
    server.inject_fault(fault)
    with pytest.raises(olumi.IntegrityError) as info:
        client.limits()
    assert info.value.code == "ERR_INTEGRITY"
    with olumi.Client(server.url, hmac_secret=SECRET, verify_response_hash=False) as lax:
        assert lax.limits().key_id


def test_truncated_body(client: olumi.Client, server: MockServer) -> None:
    server.inject_fault("truncate-body")
    with pytest.raises((olumi.DecodeError, olumi.IntegrityError)):
        client.limits()


def test_network_error() -> None:
    with (
        olumi.Client("http://127.0.0.1:9", max_retries=0, connect_timeout=1) as client,
        pytest.raises(olumi.NetworkError) as info,
    ):
        client.health()
    assert info.value.code == "ERR_NETWORK"
    assert info.value.retryable


def test_timeout(server: MockServer) -> None:
    server.inject_fault("delay-headers-ms=2000")
    with olumi.Client(server.url, api_key=API_KEY, timeout=0.2, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(TimeoutError) as info:  # the builtin catches it too
            client.health()
    assert time.monotonic() - started < 1.5
    assert isinstance(info.value, olumi.TimeoutError)
    assert info.value.code == "ERR_TIMEOUT"


def test_malformed_stream_event_is_a_stream_error(tmp_path: Path) -> None:
    fixture = {
        "priority": 10,
        "match": {"method": "POST", "path": "/assist/draft-graph/stream"},
        "stream": {"steps": [{"event": "stage", "data": "not an object"}]},
    }
    (tmp_path / "bad-stream.json").write_text(json.dumps(fixture))
    with (
        start_server(fixtures=str(tmp_path)) as server,
        olumi.Client(server.url, api_key=API_KEY) as client,
        pytest.raises(olumi.StreamError) as info,
    ):
        list(client.draft_graph_stream({"brief": BRIEF}))
    assert info.value.code == "ERR_STREAM"


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"base_url": "ftp://x"}, "http or https"),
        ({"base_url": "not a url"}, "base_url"),
        ({"api_key": ""}, "api_key"),
        ({"hmac_secret": ""}, "hmac_secret"),
        ({"body_hash": "md5"}, "body-hash mode"),
        ({"timeout": 0}, "request_timeout"),
        ({"timeout": -1}, "timeout"),
        ({"connect_timeout": float("nan")}, "connect_timeout"),
        ({"headers": {"X-Olumi-Signature": "x"}}, "cannot be overridden"),
        ({"headers": {"bad name": "x"}}, "not valid"),
    ],
)
def test_config_errors_name_the_option(options: dict[str, object], needle: str) -> None:
    kwargs: dict[str, object] = {"base_url": "http://127.0.0.1:1"}
    kwargs.update(options)
    with pytest.raises(olumi.ConfigError, match=needle) as info:
        olumi.Client(**kwargs)  # type: ignore[arg-type]
    assert info.value.code == "ERR_CONFIG"
    with pytest.raises(olumi.ConfigError, match=needle):
        olumi.AsyncClient(**kwargs)  # type: ignore[arg-type]


def test_request_shape_errors_name_the_field(client: olumi.Client) -> None:
    with pytest.raises(olumi.ConfigError, match="missing field `brief`"):
        client.draft_graph({"brif": BRIEF})
    with pytest.raises(olumi.ConfigError, match="`brief`"):
        client.draft_graph({"brief": 5})
    with pytest.raises(olumi.ConfigError, match=r"request\.flags\.x"):
        client.draft_graph({"brief": BRIEF, "flags": {"x": object()}})
    with pytest.raises(olumi.ConfigError, match="NaN"):
        client.post_json("/assist/v1/draft-graph", {"x": float("nan")})
    with pytest.raises(olumi.ConfigError, match="keys must be str"):
        client.post_json("/assist/v1/draft-graph", {1: 2})


def test_closed_client(server: MockServer) -> None:
    client = olumi.Client(server.url, api_key=API_KEY)
    client.close()
    with pytest.raises(olumi.ConfigError, match="closed"):
        client.health()


def test_secrets_stay_out_of_reprs() -> None:
    client = olumi.Client("http://127.0.0.1:1", api_key="sk-very-secret")
    hmac_client = olumi.AsyncClient("http://127.0.0.1:1", hmac_secret="hmac-very-secret")
    assert "very-secret" not in repr(client) + repr(hmac_client)
    with pytest.raises(olumi.ConfigError) as info:
        olumi.sign("post", "/x", b"", "hmac-very-secret")
    assert "very-secret" not in str(info.value)
