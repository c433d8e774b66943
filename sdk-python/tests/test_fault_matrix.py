"""The fault matrix (tests/faults/matrix.json): every row against an in-process mock server.

The Rust (sdk-core/tests/fault_matrix.rs) and Node (sdk-node/test/fault_matrix.test.mjs) suites run the same
rows and expect the same outcome, events and journal. The row format is in tests/faults/README.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import olumi
from conftest import BRIEF, SECRET, start_server

MATRIX = Path(__file__).resolve().parent.parent.parent / "tests" / "faults" / "matrix.json"

# The fields a row may have, at each level: anything else fails the run (a typo must not pass).
ROW_FIELDS = {"name", "route", "request", "faults", "client", "mock", "cancel_after_events", "expect"}
FAULT_FIELDS = {"spec", "path"}
CLIENT_FIELDS = {"timeout_ms", "stream_idle_timeout_ms", "max_retries", "verify_response_hash"}
MOCK_FIELDS = {"resume_state", "quirks", "heartbeat_ms"}
EXPECT_FIELDS = {"outcome", "error", "events", "attempts"}
ERROR_FIELDS = {"kind", "code", "status"}
ATTEMPT_FIELDS = {"min", "max", "statuses", "min_wait_ms"}
OUTCOMES = {"stream", "resume", "fallback", "ok", "error", "cancelled"}
ROUTES = {"draft_graph_stream", "draft_graph", "health", "status", "limits"}


class MatrixError(ValueError):
    """A row of the matrix that does not follow the format."""


def check_fields(
    where: str, value: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
) -> None:
    if not isinstance(value, dict):
        raise MatrixError(f"{where}: expected an object")
    unknown = set(value) - allowed
    if unknown:
        raise MatrixError(f"{where}: unknown field(s) {sorted(unknown)}")
    missing = required - set(value)
    if missing:
        raise MatrixError(f"{where}: missing field(s) {sorted(missing)}")


def validate(matrix: Any) -> list[dict[str, Any]]:
    """The rows of `matrix`, after checking every field name and the closed values."""
    check_fields("matrix", matrix, {"comment", "rows"}, {"rows"})
    rows: list[dict[str, Any]] = matrix["rows"]
    for row in rows:
        where = f"row {row.get('name')!r}"
        check_fields(where, row, ROW_FIELDS, {"name", "route", "expect"})
        if row["route"] not in ROUTES:
            raise MatrixError(f"{where}: unknown route {row['route']!r}")
        for fault in row.get("faults", []):
            check_fields(f"{where} faults", fault, FAULT_FIELDS, FAULT_FIELDS)
        check_fields(f"{where} client", row.get("client", {}), CLIENT_FIELDS)
        check_fields(f"{where} mock", row.get("mock", {}), MOCK_FIELDS)
        expect = row["expect"]
        check_fields(f"{where} expect", expect, EXPECT_FIELDS, {"outcome", "events", "attempts"})
        if expect["outcome"] not in OUTCOMES:
            raise MatrixError(f"{where}: unknown outcome {expect['outcome']!r}")
        if "error" in expect:
            check_fields(f"{where} expect.error", expect["error"], ERROR_FIELDS, {"kind"})
        for path, bounds in expect["attempts"].items():
            check_fields(f"{where} attempts {path}", bounds, ATTEMPT_FIELDS, {"min", "max"})
    return rows


ROWS = validate(json.loads(MATRIX.read_text()))


@dataclass
class Observed:
    outcome: str
    events: list[str] = field(default_factory=list)
    error: dict[str, Any] | None = None


def error_of(error: olumi.OlumiError) -> dict[str, Any]:
    if isinstance(error, olumi.APIError):
        return {"kind": error.kind, "code": error.code, "status": error.status}
    return {"kind": error.kind, "code": None, "status": None}


def event_name(event: olumi.StreamEvent) -> str | None:
    if isinstance(event, olumi.StageEvent):
        return f"stage:{event.stage}"
    if isinstance(event, olumi.ResumeTokenEvent):
        return "resume"
    if isinstance(event, olumi.OtherEvent):
        return f"other:{event.event}"
    if isinstance(event, olumi.CompleteEvent):
        return "complete"
    return None  # a heartbeat


def run_stream(client: olumi.Client, body: Any, cancel_after: int | None) -> Observed:
    observed = Observed("cancelled")
    try:
        stream = client.draft_graph_stream(body)
    except olumi.OlumiError as error:
        return Observed("error", error=error_of(error))
    try:
        for event in stream:
            name = event_name(event)
            if name is None:
                continue
            observed.events.append(name)
            if isinstance(event, olumi.CompleteEvent):
                observed.outcome = event.via
            elif len(observed.events) == cancel_after:
                stream.close()
    except olumi.OlumiError as error:
        observed.outcome = "error"
        observed.error = error_of(error)
    assert list(stream) == [], "nothing after the end"
    if observed.outcome == "cancelled":
        assert cancel_after is not None, (
            f"the stream ended without a final event or an error: {observed.events}"
        )
    return observed


def run_json(client: olumi.Client, route: str, body: Any) -> Observed:
    calls = {
        "draft_graph": lambda: client.draft_graph(body),
        "health": client.health,
        "status": client.status,
        "limits": client.limits,
    }
    try:
        calls[route]()
    except olumi.OlumiError as error:
        return Observed("error", error=error_of(error))
    return Observed("ok")


def problems_of(row: dict[str, Any], observed: Observed, journal: list[dict[str, Any]]) -> list[str]:
    expect = row["expect"]
    problems: list[str] = []
    if observed.outcome != expect["outcome"]:
        problems.append(f"outcome {observed.outcome}, expected {expect['outcome']} (error: {observed.error})")
    want = expect.get("error")
    if want is not None:
        got = observed.error
        if got is None or any(got[k] != want[k] for k in want):
            problems.append(f"error {got}, expected {want}")
    if observed.events != expect["events"]:
        problems.append(f"events {observed.events}, expected {expect['events']}")
    paths = [entry["target"].split("?")[0] for entry in journal]
    problems.extend(f"an unexpected request to {p}" for p in paths if p not in expect["attempts"])
    for path, bounds in expect["attempts"].items():
        requests = [entry for entry, p in zip(journal, paths, strict=True) if p == path]
        if not bounds["min"] <= len(requests) <= bounds["max"]:
            problems.append(f"{len(requests)} requests to {path}, expected {bounds['min']}..={bounds['max']}")
        statuses = [entry["status"] for entry in requests]
        if "statuses" in bounds and statuses != bounds["statuses"]:
            problems.append(f"statuses {statuses} at {path}, expected {bounds['statuses']}")
        if "min_wait_ms" in bounds and len(requests) >= 2:
            waited = requests[-1]["since_start_ms"] - requests[0]["since_start_ms"]
            if waited < bounds["min_wait_ms"]:
                problems.append(f"{waited} ms between the first and last request to {path}")
    return problems


@pytest.mark.parametrize("row", ROWS, ids=[row["name"] for row in ROWS])
def test_fault_matrix_row(row: dict[str, Any]) -> None:
    mock = row.get("mock", {})
    options = row.get("client", {})
    with start_server(
        heartbeat_ms=mock.get("heartbeat_ms", 50),
        seed=7,
        resume_state=mock.get("resume_state", True),
        quirks=mock.get("quirks", False),
    ) as server:
        for fault in row.get("faults", []):
            server.inject_fault(fault["spec"], path=fault["path"])
        kwargs: dict[str, Any] = {"hmac_secret": SECRET}
        if "timeout_ms" in options:
            kwargs["timeout"] = options["timeout_ms"] / 1000
        if "stream_idle_timeout_ms" in options:
            kwargs["stream_idle_timeout"] = options["stream_idle_timeout_ms"] / 1000
        if "max_retries" in options:
            kwargs["max_retries"] = options["max_retries"]
        if "verify_response_hash" in options:
            kwargs["verify_response_hash"] = options["verify_response_hash"]
        body = row.get("request", {"brief": BRIEF})
        with olumi.Client(server.url, **kwargs) as client:
            if row["route"] == "draft_graph_stream":
                observed = run_stream(client, body, row.get("cancel_after_events"))
            else:
                observed = run_json(client, row["route"], body)
        journal: list[dict[str, Any]] = list(server.journal())
    problems = problems_of(row, observed, journal)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "typo",
    [
        {"fautls": []},
        {"client": {"max_retry": 0}},
        {
            "expect": {
                "outcome": "ok",
                "events": [],
                "attempts": {"/healthz": {"min": 1, "max": 1, "status": [200]}},
            }
        },
        {"expect": {"outcome": "okay", "events": [], "attempts": {}}},
    ],
)
def test_an_unknown_field_in_a_row_fails_the_matrix(typo: dict[str, Any]) -> None:
    good = {"name": "n", "route": "health", "expect": {"outcome": "ok", "events": [], "attempts": {}}}
    assert validate({"rows": [good]}) == [good]
    with pytest.raises(MatrixError, match="unknown"):
        validate({"rows": [{**good, **typo}]})
