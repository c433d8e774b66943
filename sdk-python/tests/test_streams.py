"""Stream faults (drop, stall, failed resume, 400 as SSE), closing, and the summary, sync and async."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator

import pytest

import olumi
from conftest import BRIEF, SECRET, established_to, port_of, start_server
from olumi.testing import MockServer

STREAM = "/assist/draft-graph/stream"
RESUME = "/assist/draft-graph/resume"


@pytest.fixture(scope="module")
def stateless_server() -> Iterator[MockServer]:
    """A mock without resume state: every resume answers 426, as the service without Redis."""
    with start_server(resume_state=False) as server:
        yield server


def not_heartbeats(events: list[olumi.StreamEvent]) -> list[str]:
    return [type(e).__name__ for e in events if not isinstance(e, olumi.HeartbeatEvent)]


def targets(server: MockServer) -> list[tuple[str, int]]:
    return [(e["target"].split("?")[0], e["status"]) for e in server.journal()]


def read_sync(server: MockServer, **options: float) -> tuple[list[olumi.StreamEvent], olumi.StreamSummary]:
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0, **options) as client,  # type: ignore[arg-type]
        client.draft_graph_stream({"brief": BRIEF}) as stream,
    ):
        events = list(stream)
    return events, stream.summary


async def read_async(
    server: MockServer, **options: float
) -> tuple[list[olumi.StreamEvent], olumi.StreamSummary]:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0, **options) as client:  # type: ignore[arg-type]
        stream = client.draft_graph_stream({"brief": BRIEF})
        async with stream:
            events = [e async for e in stream]
    return events, stream.summary


FULL = ["StageEvent", "ResumeTokenEvent", "StageEvent", "CompleteEvent"]


@pytest.mark.parametrize("drop_after", [2, 3])
def test_drop_resumes_without_duplicates_sync(server: MockServer, drop_after: int) -> None:
    server.inject_fault(f"drop-after-events={drop_after}", path=STREAM)
    events, summary = read_sync(server)
    assert not_heartbeats(events) == FULL
    assert summary.via == "resume"
    assert summary.resumes == 1
    assert not summary.fallback
    assert summary.skipped == drop_after - 2  # replayed events already delivered
    assert summary.first_failure is not None
    assert "broke" in summary.first_failure
    assert targets(server) == [(STREAM, 200), (RESUME, 200)]


async def test_drop_resumes_async(server: MockServer) -> None:
    server.inject_fault("drop-after-events=2", path=STREAM)
    events, summary = await read_async(server)
    assert not_heartbeats(events) == FULL
    assert summary.via == "resume"
    assert targets(server) == [(STREAM, 200), (RESUME, 200)]


def test_drop_before_token_falls_back(server: MockServer) -> None:
    server.inject_fault("drop-after-events=1", path=STREAM)
    events, summary = read_sync(server)
    assert not_heartbeats(events) == ["StageEvent", "CompleteEvent"]
    assert summary.via == "fallback"
    assert summary.fallback
    assert summary.resumes == 0
    assert targets(server) == [(STREAM, 200), ("/assist/draft-graph", 200)]


def test_stall_hits_idle_timeout_then_resumes_sync(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    started = time.monotonic()
    events, summary = read_sync(server, stream_idle_timeout=0.3)
    assert time.monotonic() - started < 5
    assert not_heartbeats(events) == FULL
    assert summary.via == "resume"
    assert summary.first_failure is not None
    assert "no data" in summary.first_failure


async def test_stall_hits_idle_timeout_then_resumes_async(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    events, summary = await read_async(server, stream_idle_timeout=0.3)
    assert not_heartbeats(events) == FULL
    assert summary.via == "resume"


def test_426_on_resume_falls_back_sync(stateless_server: MockServer) -> None:
    stateless_server.reset()
    stateless_server.inject_fault("drop-after-events=2", path=STREAM)
    events, summary = read_sync(stateless_server)
    assert isinstance(events[-1], olumi.CompleteEvent)
    assert events[-1].via == "fallback"
    assert summary.fallback
    assert summary.resume_failure is not None
    assert "426" in summary.resume_failure
    assert targets(stateless_server) == [(STREAM, 200), (RESUME, 426), ("/assist/draft-graph", 200)]


async def test_426_on_resume_falls_back_async(stateless_server: MockServer) -> None:
    stateless_server.reset()
    stateless_server.inject_fault("drop-after-events=2", path=STREAM)
    events, summary = await read_async(stateless_server)
    assert isinstance(events[-1], olumi.CompleteEvent)
    assert summary.via == "fallback"


@pytest.mark.parametrize("resume_fault", ["reset", "status=500"])
def test_failed_resume_falls_back(server: MockServer, resume_fault: str) -> None:
    server.inject_fault("drop-after-events=2", path=STREAM)
    server.inject_fault(resume_fault, path=RESUME)
    events, summary = read_sync(server)
    assert not_heartbeats(events) == ["StageEvent", "ResumeTokenEvent", "CompleteEvent"]
    assert summary.via == "fallback"
    assert summary.resumes == 1
    assert summary.resume_failure is not None
    assert [t for t, _ in targets(server)] == [STREAM, RESUME, "/assist/draft-graph"]


def test_400_as_sse_raises_bad_request_sync(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET) as client:
        seen: list[olumi.StreamEvent] = []
        with pytest.raises(olumi.BadRequestError) as info:  # noqa: PT012 - the error ends the iteration
            for event in client.draft_graph_stream({"brief": "too short"}):
                seen.append(event)
    assert info.value.status == 400
    assert info.value.code == "BAD_INPUT"
    assert info.value.kind == "ERR_API"
    assert isinstance(info.value.details, dict)
    assert targets(server) == [(STREAM, 400)]  # a definitive answer: no resume, no fallback


async def test_400_as_sse_raises_bad_request_async(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET) as client:
        with pytest.raises(olumi.BadRequestError):
            _ = [e async for e in client.draft_graph_stream({"brief": "too short"})]
    assert targets(server) == [(STREAM, 400)]


def test_opening_errors_are_the_call_s_sync(server: MockServer) -> None:
    server.inject_fault("status=503", path=STREAM)
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client,
        pytest.raises(olumi.InternalServerError),
    ):
        client.draft_graph_stream({"brief": BRIEF})


async def test_opening_errors_on_await_async(server: MockServer) -> None:
    server.inject_fault("status=503", path=STREAM)
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        with pytest.raises(olumi.InternalServerError):
            await client.draft_graph_stream({"brief": BRIEF})


def wait_for_connections(port: int, expected: int) -> int:
    deadline = time.monotonic() + 3
    while (count := established_to(port)) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def test_break_closes_the_connection_sync(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    port = port_of(server.url)
    with olumi.Client(server.url, hmac_secret=SECRET) as client:
        for event in client.draft_graph_stream({"brief": BRIEF}):
            if isinstance(event, olumi.ResumeTokenEvent):
                assert established_to(port) == 1
                break
        gc.collect()
        assert wait_for_connections(port, 0) == 0


def test_close_ends_a_pending_read_from_another_thread(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    port = port_of(server.url)
    with olumi.Client(server.url, hmac_secret=SECRET) as client:
        stream = client.draft_graph_stream({"brief": BRIEF})
        threading.Timer(0.3, stream.close).start()
        started = time.monotonic()
        events = list(stream)  # blocks on the stall until close()
        assert 0.2 < time.monotonic() - started < 3
        assert not_heartbeats(events) == ["StageEvent", "ResumeTokenEvent"]
        assert list(stream) == []
        assert wait_for_connections(port, 0) == 0


async def test_break_and_aclose_close_the_connection_async(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    port = port_of(server.url)
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET) as client:
        stream = client.draft_graph_stream({"brief": BRIEF})
        async for event in stream:
            if isinstance(event, olumi.ResumeTokenEvent):
                break
        assert established_to(port) == 1
        await stream.aclose()
        assert wait_for_connections(port, 0) == 0
        assert [e async for e in stream] == []


async def test_cancelling_a_pending_read_closes_the_stream(server: MockServer) -> None:
    server.inject_fault("stall-after-events=2", path=STREAM)
    port = port_of(server.url)
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET) as client:
        stream = client.draft_graph_stream({"brief": BRIEF})
        assert isinstance(await stream.__anext__(), olumi.StageEvent)
        assert isinstance(await stream.__anext__(), olumi.ResumeTokenEvent)
        assert established_to(port) == 1
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(stream.__anext__(), timeout=0.3)  # the stall: cancelled
        assert wait_for_connections(port, 0) == 0
        assert [e async for e in stream] == []


def test_summary_before_and_after(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET) as client:
        stream = client.draft_graph_stream({"brief": BRIEF})
        assert stream.summary.via is None
        assert stream.summary.events == 0
        events = list(stream)
        assert "StreamSummary(via=" in repr(stream.summary)
    assert stream.summary.events == len(not_heartbeats(events))
    assert stream.summary.heartbeats == len(events) - stream.summary.events
