"""A stage event's payload: the JSON text the service sent, turned into Python values on first read."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import olumi
from conftest import API_KEY, BRIEF
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


@contextmanager
def sse_server(body: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 answering every POST with one fixed `text/event-stream` body (bytes the mock
    cannot send: a payload over several `data:` lines, one nested deeper than its fixture loader reads);
    yields its URL and stops it afterwards."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def stream_of(*stage_data: str) -> list[olumi.StreamEvent]:
    complete = json.dumps({"stage": "COMPLETE", "payload": RESULT})
    body = "".join(f"event: stage\n{data}\n\n" for data in [*stage_data, f"data: {complete}"])
    with sse_server(body.encode()) as url, olumi.Client(url, api_key=API_KEY, max_retries=0) as client:
        return list(client.draft_graph_stream({"brief": BRIEF}))


def test_payload_over_several_data_lines_keeps_its_text() -> None:
    events = stream_of('data: {"stage":"DRAFTING",\ndata: "payload":{"a":\ndata: [1, 2.50]}}')
    (event,) = stages(events)
    # The data lines are joined with line feeds, as SSE says; the text is kept as sent.
    assert event.raw_payload == '{"a":\n[1, 2.50]}'
    assert event.payload == {"a": [1, 2.5]}
    assert isinstance(events[-1], olumi.CompleteEvent)
    assert isinstance(events[-1].output, olumi.DraftGraphOutput)


def test_a_payload_too_deep_for_python_fails_on_access_with_a_decode_error() -> None:
    deep = "[" * 200 + "]" * 200
    events = stream_of(f'data: {{"stage":"DRAFTING","payload":{deep}}}')
    (event,) = stages(events)
    assert event.raw_payload == deep
    with pytest.raises(olumi.DecodeError, match="stage event payload"):
        _ = event.payload
