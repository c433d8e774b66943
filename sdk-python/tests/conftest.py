"""Shared fixtures: mock servers on 127.0.0.1 (stopped after use) and clients for each auth mode."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import olumi
from olumi.testing import MockServer

SECRET = "test-hmac-secret"
API_KEY = "test-api-key"
BRIEF = "Should we expand our SaaS product into the European market next year?"
VECTORS = Path(__file__).resolve().parent.parent.parent / "tests" / "vectors"


@dataclass(frozen=True)
class Auth:
    """One way to authenticate, and the mock server verdict it must produce."""

    name: str
    kwargs: dict[str, str]
    verdict: str
    body_hash: str | None


AUTH_MODES = [
    Auth("api_key", {"api_key": API_KEY}, "api_key", None),
    Auth("hmac_unbound", {"hmac_secret": SECRET, "body_hash": "unbound"}, "hmac", "unbound"),
    Auth("hmac_sha256", {"hmac_secret": SECRET, "body_hash": "sha256"}, "hmac", "sha256"),
]


def start_server(**kwargs: object) -> MockServer:
    options: dict[str, object] = {
        "hmac_secret": SECRET,
        "api_keys": [API_KEY],
        "heartbeat_ms": 100,
        # No seed: `reset()` restarts seeded ids, so a stream still running from an earlier test
        # would share its request id with a new one.
        "rpm": 0,
        "sse_rpm": 0,
    }
    options.update(kwargs)
    return MockServer(**options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def compat_server() -> Iterator[MockServer]:
    """API keys and unbound signatures, as the deployed service."""
    with start_server(auth="compat") as server:
        yield server


@pytest.fixture(scope="module")
def strict_server() -> Iterator[MockServer]:
    """Body-bound (sha256) signatures only."""
    with start_server(auth="strict") as server:
        yield server


@pytest.fixture
def server(compat_server: MockServer) -> MockServer:
    """The module's compat server, reset for this test."""
    compat_server.reset()
    return compat_server


@pytest.fixture(params=AUTH_MODES, ids=lambda a: a.name)
def auth(request: pytest.FixtureRequest) -> Auth:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def auth_server(auth: Auth, compat_server: MockServer, strict_server: MockServer) -> MockServer:
    """The server that accepts `auth`: strict for sha256 signatures, compat otherwise."""
    server = strict_server if auth.body_hash == "sha256" else compat_server
    server.reset()
    return server


@pytest.fixture
def client(server: MockServer) -> Iterator[olumi.Client]:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as c:
        yield c


def established_to(port: int) -> int:
    """Open client connections to 127.0.0.1:`port` in this machine's TCP table (Linux)."""
    count = 0
    tables = [Path(t) for t in ("/proc/net/tcp", "/proc/net/tcp6") if Path(t).exists()]
    # Without a TCP table every count would be 0 and the connection checks would pass unchecked.
    assert tables, "the connection checks need Linux's /proc/net/tcp"
    for table in tables:
        lines = table.read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01":  # ESTABLISHED
                count += 1
    return count


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])
