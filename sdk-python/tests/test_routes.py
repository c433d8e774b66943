"""The route table: every route of the core has a method on both clients; the generic calls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import olumi
from conftest import BRIEF, SECRET
from olumi import _native
from olumi.testing import MockServer


def test_every_route_of_the_core_has_a_method_on_both_clients() -> None:
    routes = _native._routes()
    assert len(routes) >= 40, routes
    kinds = {kind for _, _, _, kind in routes}
    assert kinds == {"json", "stream", "bytes"}
    missing = [
        f"{cls.__name__}.{name} ({method} {path})"
        for name, method, path, _ in routes
        for cls in (olumi.Client, olumi.AsyncClient)
        if not callable(getattr(cls, name, None))
    ]
    assert not missing, f"routes without a method: {missing}"


def test_request_json_sends_any_method_signed_over_the_exact_target(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        limits = client.request_json("get", "/v1/limits")
        options = client.request_json("POST", "/assist/suggest-options", {"goal": "Grow revenue in Europe"})
    assert limits == client_limits(server)
    assert options["options"][0]["title"]
    entries = server.journal()
    assert [(e["method"], e["target"]) for e in entries[:2]] == [
        ("GET", "/v1/limits"),
        ("POST", "/assist/suggest-options"),
    ]
    assert all(e["verdict"]["kind"] == "hmac" for e in entries[:2])


def client_limits(server: MockServer) -> dict[str, Any]:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        return client.limits().to_dict()


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("TRACE", "/v1/limits", "unsupported HTTP method"),
        ("GET", "v1/limits", "must start with '/'"),
    ],
)
def test_request_json_refuses_bad_methods_and_paths(
    server: MockServer, method: str, path: str, message: str
) -> None:
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client,
        pytest.raises(olumi.ConfigError, match=message),
    ):
        client.request_json(method, path)  # type: ignore[arg-type]
    assert server.journal() == []


def test_request_stream_gives_the_typed_events_with_a_json_result(server: MockServer) -> None:
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client,
        client.request_stream("POST", "/assist/draft-graph/stream", {"brief": BRIEF}) as stream,
    ):
        events = [e for e in stream if not isinstance(e, olumi.HeartbeatEvent)]
    assert [type(e).__name__ for e in events] == [
        "StageEvent",
        "ResumeTokenEvent",
        "StageEvent",
        "CompleteEvent",
    ]
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert done.via == "stream"
    # The generic stream keeps the final payload as plain JSON.
    assert isinstance(done.output, dict)
    assert done.output["graph"]["nodes"]


async def test_async_request_json_and_request_stream(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        status = await client.request_json("GET", "/v1/status")
        events = [
            e async for e in client.request_stream("POST", "/assist/draft-graph/stream", {"brief": BRIEF})
        ]
    assert status["service"]
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert isinstance(done.output, dict)


# The core's example request of each CEE capability route (its own route test reads the same file).
CEE_REQUESTS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "sdk-core" / "tests" / "data" / "cee_requests.json").read_text()
)


def response_class(route: str) -> type[olumi._models.Model]:
    """``bias_check`` -> ``olumi.BiasCheckResponse``."""
    cls = getattr(olumi, "".join(part.title() for part in route.split("_")) + "Response")
    assert issubclass(cls, olumi._models.Model)
    return cls  # type: ignore[no-any-return]


def check_sent(server: MockServer, route: str) -> None:
    name, method, path, _ = next(r for r in _native._routes() if r[0] == route)
    entry = server.journal()[-1]
    assert (entry["method"], entry["target"], entry["status"]) == (method, path, 200), name


@pytest.mark.parametrize("route", sorted(CEE_REQUESTS))
def test_every_cee_capability_route(server: MockServer, route: str) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        result = getattr(client, route)(CEE_REQUESTS[route])
    assert isinstance(result, response_class(route))
    assert result.to_dict()
    check_sent(server, route)


@pytest.mark.parametrize("route", sorted(CEE_REQUESTS))
async def test_every_cee_capability_route_async(server: MockServer, route: str) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        result = await getattr(client, route)(CEE_REQUESTS[route])
    assert isinstance(result, response_class(route))
    check_sent(server, route)


GRAPH: dict[str, Any] = {
    "nodes": [
        {"id": "g", "kind": "goal", "label": "Grow"},
        {"id": "d", "kind": "decision", "label": "Expand?"},
    ],
    "edges": [{"from": "d", "to": "g"}],
}


def test_cee_capability_routes(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        bias = client.bias_check({"graph": GRAPH})
        options = client.options({"graph": GRAPH})
        readiness = client.graph_readiness({"graph": GRAPH})
        health = client.cee_health()
        questions = client.elicit_risk_tolerance({"mode": "get_questions"})
        profile = client.elicit_risk_tolerance({"mode": "process_responses", "responses": []})
    assert isinstance(bias, olumi.BiasCheckResponse)
    assert isinstance(bias.bias_findings[0], olumi._models.BiasFinding)
    assert isinstance(bias.trace, olumi._models.CeeTrace)
    assert bias.trace.request_id
    assert isinstance(options, olumi.OptionsResponse)
    assert options.options[0].id
    assert isinstance(readiness, olumi.GraphReadinessResponse)
    assert isinstance(health, olumi.CeeHealth)
    assert health.service
    # One class for both answers of elicit-risk-tolerance: the other answer's fields are None.
    assert isinstance(questions, olumi.ElicitRiskToleranceResponse)
    assert questions.questions[0].options[0].id
    assert questions.profile is None
    assert profile.profile is not None
    assert profile.questions is None
    assert [e["target"] for e in server.journal()] == [
        "/assist/v1/bias-check",
        "/assist/v1/options",
        "/assist/v1/graph-readiness",
        "/assist/v1/health",
        "/assist/v1/elicit-risk-tolerance",
        "/assist/v1/elicit-risk-tolerance",
    ]


async def test_cee_capability_routes_async(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        bias = await client.bias_check({"graph": GRAPH})
        review = await client.review({"graph": GRAPH, "brief": BRIEF})
    assert isinstance(bias, olumi.BiasCheckResponse)
    assert isinstance(review, olumi.ReviewResponse)
    assert review.trace is not None


def test_cee_validation_errors_are_typed(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        # The typed method refuses a request without its required field before sending it ...
        with pytest.raises(olumi.ConfigError, match="graph"):
            client.bias_check({})
        assert server.journal() == []
        # ... and the service's cee.error.v1 answer is a BadRequestError with the CEE code.
        with pytest.raises(olumi.BadRequestError) as raised:
            client.request_json("POST", "/assist/v1/bias-check", {})
    assert raised.value.code == "CEE_VALIDATION_FAILED"
    assert raised.value.status == 400


def test_cee_draft_graph_schema_and_strict_are_typed_arguments(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        v3 = client.cee_draft_graph({"brief": BRIEF})
        v1 = client.cee_draft_graph({"brief": BRIEF}, schema="v1")
        client.cee_draft_graph({"brief": BRIEF}, schema="v3", strict=True)
    assert isinstance(v3, olumi.CeeDraftGraphResponse)
    assert v3.nodes
    assert v3.graph is None
    assert v3.edges is not None
    assert v3.edges[0].strength_mean is not None
    assert v1.graph is not None
    assert v1.nodes is None
    assert [e["target"] for e in server.journal()] == [
        "/assist/v1/draft-graph",
        "/assist/v1/draft-graph?schema=v1",
        "/assist/v1/draft-graph?schema=v3&strict=true",
    ]


def test_cee_draft_graph_stream_ends_with_the_cee_response(server: MockServer) -> None:
    with (
        olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client,
        client.cee_draft_graph_stream({"brief": BRIEF}) as stream,
    ):
        events = list(stream)
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert done.via == "stream"
    assert isinstance(done.output, olumi.CeeDraftGraphResponse)
    assert done.output.graph is not None  # the stream answers schema v1
    assert server.journal()[0]["target"] == "/assist/v1/draft-graph/stream"


async def test_cee_draft_graph_stream_async(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        events = [e async for e in client.cee_draft_graph_stream({"brief": BRIEF}, schema="v1")]
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert isinstance(done.output, olumi.CeeDraftGraphResponse)


def token_of(share: olumi.CreateShareResponse) -> str:
    return str(share.url).rsplit("/", 1)[1]


def test_share_create_read_revoke(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        created = client.create_share({"graph": GRAPH, "brief": BRIEF, "ttl_hours": 1})
        token = token_of(created)
        first = client.get_share(token)
        second = client.get_share(token)
        revoked = client.revoke_share(token)
        with pytest.raises(olumi.APIError) as gone:
            client.get_share(token)
        with pytest.raises(olumi.NotFoundError):
            client.revoke_share(token)
    assert isinstance(created, olumi.CreateShareResponse)
    assert created.share_id
    assert isinstance(first, olumi.SharedContent)
    assert first.share_id == created.share_id
    assert [n.id for n in first.graph.nodes] == ["g", "d"]
    assert first.brief == BRIEF
    assert (first.access_count, second.access_count) == (1, 2)
    assert isinstance(revoked, olumi.RevokeShareResponse)
    assert revoked.revoked is True
    assert gone.value.status == 410
    methods = [(e["method"], e["target"].rsplit("/", 1)[0]) for e in server.journal()]
    assert methods == [
        ("POST", "/assist"),
        ("GET", "/assist/share"),
        ("GET", "/assist/share"),
        ("DELETE", "/assist/share"),
        ("GET", "/assist/share"),
        ("DELETE", "/assist/share"),
    ]


async def test_share_revoke_through_request_json_delete(server: MockServer) -> None:
    async with olumi.AsyncClient(server.url, hmac_secret=SECRET, max_retries=0) as client:
        token = token_of(await client.create_share({"graph": GRAPH}))
        revoked = await client.request_json("DELETE", f"/assist/share/{token}")
        with pytest.raises(olumi.APIError) as gone:
            await client.get_share(token)
    assert revoked["revoked"] is True
    assert gone.value.status == 410
    # The service reads and revokes shares without authentication; the client signs the DELETE anyway.
    deletes = [e for e in server.journal() if e["method"] == "DELETE"]
    assert len(deletes) == 1
    assert any(name == "x-olumi-signature" for name, _ in deletes[0]["headers"])


def test_decision_review_example_and_diagnostics(server: MockServer) -> None:
    with olumi.Client(server.url, hmac_secret=SECRET, max_retries=0) as client:
        example = client.decision_review_example()
        diagnostics = client.diagnostics()
    assert isinstance(example, olumi.DecisionReviewBundle)
    assert example.to_dict()
    assert isinstance(diagnostics, olumi.ServiceDiagnostics)
    assert diagnostics.to_dict()
    assert [e["target"] for e in server.journal()] == ["/assist/v1/decision-review/example", "/diagnostics"]
