"""Every endpoint against the mock server, sync and asyncio, with each way to authenticate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import olumi
from conftest import BRIEF, Auth
from olumi.testing import MockServer

PATCH = {"adds": {"nodes": [{"id": "n1", "kind": "risk"}], "edges": []}, "updates": [], "removes": []}


def graph() -> dict[str, Any]:
    return {
        "nodes": [{"id": "g", "kind": "goal", "label": "Grow"}, {"id": "d", "kind": "decision"}],
        "edges": [{"from": "d", "to": "g"}],
    }


# name -> (call on a sync client, check of the result: truthy when the result is right)
CALLS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], object]]] = {
    "health": (lambda c: c.health(), lambda r: assert_type(r, olumi.Health) and r.ok),
    "status": (lambda c: c.status(), lambda r: assert_type(r, olumi.Status) and r.service),
    "limits": (
        lambda c: c.limits(),
        lambda r: assert_type(r, olumi.Limits) and r.schema == "limits.v1" and r.max_nodes > 0,
    ),
    "draft_graph": (
        lambda c: c.draft_graph({"brief": BRIEF}),
        lambda r: assert_type(r, olumi.DraftGraphOutput) and r.graph.nodes[0].id,
    ),
    "suggest_options": (
        lambda c: c.suggest_options({"goal": "Grow revenue in Europe"}),
        lambda r: assert_type(r, olumi.SuggestOptionsResponse) and r.options[0].title,
    ),
    "clarify_brief": (
        lambda c: c.clarify_brief({"brief": BRIEF}),
        lambda r: assert_type(r, olumi.ClarifyBriefResponse) and r.questions[0].question,
    ),
    "critique_graph": (
        lambda c: c.critique_graph({"graph": graph(), "brief": BRIEF}),
        lambda r: assert_type(r, olumi.CritiqueGraphResponse) and r.issues[0].level,
    ),
    "explain_diff": (
        lambda c: c.explain_diff({"patch": PATCH, "brief": BRIEF}),
        lambda r: assert_type(r, olumi.ExplainDiffResponse) and r.rationales[0].why,
    ),
    "evidence_pack": (
        lambda c: c.evidence_pack({"rationales": [{"target": "g", "why": "because"}], "brief": BRIEF}),
        lambda r: assert_type(r, bytes) and r.startswith(b"PK"),
    ),
    "cee_draft_graph": (
        lambda c: c.cee_draft_graph({"brief": BRIEF}),
        lambda r: assert_type(r, olumi.CeeDraftGraphResponse) and r.trace.request_id and r.nodes,
    ),
    "post_json": (
        lambda c: c.post_json("/assist/v1/draft-graph", {"brief": BRIEF}),
        lambda r: assert_type(r, dict) and r["trace"]["request_id"],
    ),
    "get_json": (lambda c: c.get_json("/v1/limits"), lambda r: assert_type(r, dict) and r["schema"]),
}


def assert_type(value: object, cls: type) -> bool:
    assert isinstance(value, cls), f"{type(value).__name__} is not {cls.__name__}"
    return True


def check_auth(server: MockServer, auth: Auth, count: int) -> None:
    entries = server.journal()
    assert len(entries) == count
    for entry in entries:
        assert entry["status"] == 200, entry
        verdict = entry["verdict"]
        if verdict["kind"] == "public":
            continue
        assert verdict["kind"] == auth.verdict
        if auth.body_hash is not None:
            assert verdict["body_hash"] == auth.body_hash
        # Secrets never reach the wire in clear beyond their header, which the journal redacts.
        assert all("test-hmac-secret" not in v and "test-api-key" not in v for _, v in entry["headers"])


@pytest.mark.parametrize("name", CALLS)
def test_sync(name: str, auth: Auth, auth_server: MockServer) -> None:
    call, check = CALLS[name]
    with olumi.Client(auth_server.url, max_retries=0, **auth.kwargs) as client:  # type: ignore[arg-type]
        assert check(call(client))
    check_auth(auth_server, auth, 1)


@pytest.mark.parametrize("name", CALLS)
async def test_async(name: str, auth: Auth, auth_server: MockServer) -> None:
    call, check = CALLS[name]
    async with olumi.AsyncClient(auth_server.url, max_retries=0, **auth.kwargs) as client:  # type: ignore[arg-type]
        awaitable: Awaitable[Any] = call(client)
        assert check(await awaitable)
    check_auth(auth_server, auth, 1)


def test_stream_sync(auth: Auth, auth_server: MockServer) -> None:
    with olumi.Client(auth_server.url, max_retries=0, **auth.kwargs) as client:  # type: ignore[arg-type]
        stream = client.draft_graph_stream({"brief": BRIEF})
        events = list(stream)
    kinds = [type(e).__name__ for e in events if not isinstance(e, olumi.HeartbeatEvent)]
    assert kinds == ["StageEvent", "ResumeTokenEvent", "StageEvent", "CompleteEvent"]
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert done.via == "stream"
    assert isinstance(done.output, olumi.DraftGraphOutput)
    assert done.output.graph.nodes
    assert stream.summary == done.summary
    assert stream.summary.via == "stream"
    assert stream.summary.events == 4
    check_auth(auth_server, auth, 1)


async def test_stream_async(auth: Auth, auth_server: MockServer) -> None:
    async with olumi.AsyncClient(auth_server.url, max_retries=0, **auth.kwargs) as client:  # type: ignore[arg-type]
        stream = client.draft_graph_stream({"brief": BRIEF})
        events = [e async for e in stream]
    assert isinstance(events[-1], olumi.CompleteEvent)
    assert events[-1].via == "stream"
    assert stream.summary.events == 4
    check_auth(auth_server, auth, 1)


def test_resume_from_token_sync(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret="test-hmac-secret", max_retries=0) as client:
        events = list(client.draft_graph_stream({"brief": BRIEF}))
        token = next(e.token for e in events if isinstance(e, olumi.ResumeTokenEvent))
        with client.resume(token) as resumed:
            replay = list(resumed)
    done = replay[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert done.via == "resume"
    assert isinstance(events[-1], olumi.CompleteEvent)
    # The same draft; the resumed copy's diagnostics count the resume, as the service's do.
    assert done.output.graph == events[-1].output.graph
    assert done.output.diagnostics is not None
    assert done.output.diagnostics.resumes == 1
    assert [e["target"] for e in server.journal()][-1].startswith("/assist/draft-graph/resume")


async def test_resume_from_token_async(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret="test-hmac-secret", max_retries=0) as client:
        events = [e async for e in client.draft_graph_stream({"brief": BRIEF})]
        token = next(e.token for e in events if isinstance(e, olumi.ResumeTokenEvent))
        resumed = await client.resume(token, live=False)
        async with resumed:
            replay = [e async for e in resumed]
    assert isinstance(replay[-1], olumi.CompleteEvent)
    assert resumed.summary.via == "resume"


async def test_async_calls_run_concurrently(server: MockServer) -> None:
    # Each answer takes 300 ms: one after the other, eight would take 2.4 s.
    server.inject_fault("delay-headers-ms=300", path="/assist/draft-graph")
    async with olumi.AsyncClient(server.url, hmac_secret="test-hmac-secret") as client:
        started = time.monotonic()
        results = await asyncio.gather(*(client.draft_graph({"brief": BRIEF}) for _ in range(8)))
        elapsed = time.monotonic() - started
    assert len({r.graph.nodes[0].id for r in results}) == 1
    assert len(server.journal()) == 8
    assert elapsed < 1.5, f"{elapsed:.2f} s: the calls did not overlap"
