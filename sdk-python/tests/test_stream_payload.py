"""A stage event's payload: the JSON text the service sent, turned into Python values on first read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import olumi
from conftest import API_KEY, BRIEF, start_server
from olumi.testing import MockServer

RESULT = {
    "graph": {"version": "1", "default_seed": 17, "nodes": [], "edges": []},
    "patch": {"adds": {"nodes": [], "edges": []}, "updates": [], "removes": []},
    "rationales": [],
}


def stages(events: list[olumi.StreamEvent]) -> list[olumi.StageEvent]:
    return [e for e in events if isinstance(e, olumi.StageEvent)]


def test_payload_is_the_text_as_sent_and_parsed_once(server: MockServer) -> None:
    with olumi.Client(server.url, api_key=API_KEY) as client:
        events = list(client.draft_graph_stream({"brief": BRIEF}))
    first, preview = stages(events)
    assert first.raw_payload is None
    assert first.payload is None

    assert isinstance(preview.raw_payload, str)
    payload = preview.payload
    assert payload == json.loads(preview.raw_payload)
    assert len(payload["graph"]["nodes"]) == 6
    assert preview.payload is payload, "parsed once, then the same object"
    match preview:
        case olumi.StageEvent(stage, matched):
            assert (stage, matched) == ("DRAFTING", payload)
    # The final result stays a typed model.
    done = events[-1]
    assert isinstance(done, olumi.CompleteEvent)
    assert isinstance(done.output, olumi.DraftGraphOutput)


def test_payload_over_several_data_lines_keeps_its_text(tmp_path: Path) -> None:
    fixture = {
        "priority": 100,
        "match": {"method": "POST", "path": "/assist/draft-graph/stream"},
        "stream": {
            "steps": [
                # One `data:` line per line feed; the client joins them back.
                {"event": "stage", "data": '{"stage":"DRAFTING",\n"payload":{"a":\n[1, 2.50]}}'},
                {"event": "stage", "data": {"stage": "COMPLETE", "payload": RESULT}},
            ]
        },
    }
    (tmp_path / "payload-text.json").write_text(json.dumps(fixture))
    with (
        start_server(fixtures=str(tmp_path)) as server,
        olumi.Client(server.url, api_key=API_KEY) as client,
    ):
        events = list(client.draft_graph_stream({"brief": BRIEF}))
    (event,) = stages(events)
    assert event.raw_payload == '{"a":\n[1, 2.50]}'
    assert event.payload == {"a": [1, 2.5]}
    assert isinstance(events[-1], olumi.CompleteEvent)


def test_a_payload_too_deep_for_python_fails_on_access_with_a_decode_error(tmp_path: Path) -> None:
    deep = "[" * 200 + "]" * 200
    fixture = {
        "priority": 100,
        "match": {"method": "POST", "path": "/assist/draft-graph/stream"},
        "stream": {
            "steps": [
                {"event": "stage", "data": '{"stage":"DRAFTING","payload":' + deep + "}"},
                {"event": "stage", "data": {"stage": "COMPLETE", "payload": RESULT}},
            ]
        },
    }
    (tmp_path / "deep.json").write_text(json.dumps(fixture))
    with (
        start_server(fixtures=str(tmp_path)) as server,
        olumi.Client(server.url, api_key=API_KEY) as client,
    ):
        events = list(client.draft_graph_stream({"brief": BRIEF}))
    (event,) = stages(events)
    assert event.raw_payload == deep
    with pytest.raises(olumi.DecodeError, match="stage event payload"):
        _ = event.payload
