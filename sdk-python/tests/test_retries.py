"""Retries (with the server's Retry-After) and cancellation, sync and asyncio."""

from __future__ import annotations

import _thread
import asyncio
import threading
import time

import pytest

import olumi
from conftest import API_KEY, BRIEF, SECRET, established_to, port_of
from olumi.testing import MockServer


def attempts(server: MockServer) -> list[dict[str, object]]:
    return [e for e in server.journal() if e["target"] == "/assist/draft-graph"]


def test_retry_after_is_honoured_sync(server: MockServer) -> None:
    server.inject_fault("status=429,retry-after=1,times=1", path="/assist/draft-graph")
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=2) as client:
        assert client.draft_graph({"brief": BRIEF}).graph.nodes
    first, second = attempts(server)
    assert (first["status"], second["status"]) == (429, 200)
    waited = float(second["since_start_ms"]) - float(first["since_start_ms"])  # type: ignore[arg-type]
    assert 950 <= waited < 3000
    assert first["nonce"] != second["nonce"]  # each attempt is signed afresh


async def test_transient_errors_are_retried_async(server: MockServer) -> None:
    server.inject_fault("status=503,times=2", path="/assist/draft-graph")
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=2) as client:
        assert (await client.draft_graph({"brief": BRIEF})).graph.nodes
    assert [e["status"] for e in attempts(server)] == [503, 503, 200]


def test_no_retries_when_disabled(server: MockServer) -> None:
    server.inject_fault("status=503,times=1", path="/assist/draft-graph")
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client,
        pytest.raises(olumi.InternalServerError),
    ):
        client.draft_graph({"brief": BRIEF})
    assert len(attempts(server)) == 1


def test_retries_run_out(server: MockServer) -> None:
    server.inject_fault("status=429,retry-after=0", path="/assist/draft-graph")
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=1) as client,
        pytest.raises(olumi.RateLimitError),
    ):
        client.draft_graph({"brief": BRIEF})
    assert len(attempts(server)) == 2


def wait_closed(port: int) -> bool:
    deadline = time.monotonic() + 3
    while established_to(port) and time.monotonic() < deadline:
        time.sleep(0.02)
    return established_to(port) == 0


async def test_wait_for_timeout_cancels_the_request(server: MockServer) -> None:
    server.inject_fault("delay-headers-ms=3000", path="/assist/draft-graph")
    port = port_of(server.url)
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET) as client:
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.draft_graph({"brief": BRIEF}), timeout=0.3)
        assert time.monotonic() - started < 1.5
        assert wait_closed(port)  # the dropped future closed its connection
        server.clear_faults()
        assert (await client.health()).ok  # the client is still usable


async def test_task_cancel_cancels_the_request(server: MockServer) -> None:
    server.inject_fault("delay-headers-ms=3000", path="/assist/draft-graph")
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET) as client:
        task = asyncio.ensure_future(client.draft_graph({"brief": BRIEF}))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert wait_closed(port_of(server.url))


def test_ctrl_c_interrupts_a_blocking_call(server: MockServer) -> None:
    server.inject_fault("delay-headers-ms=5000", path="/v1/limits")
    timer = threading.Timer(0.3, _thread.interrupt_main)
    with olumi.Client(server.url, api_key=API_KEY) as client:
        started = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client.limits()
    assert time.monotonic() - started < 1.5
    assert wait_closed(port_of(server.url))
