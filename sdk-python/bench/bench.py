"""Benchmarks of the Python binding against the usual pure-Python stack (not run in CI).

    pip install httpx httpx-sse          # the peers, into the venv of scripts/test.sh
    python sdk-python/bench/bench.py     # after `maturin develop --release`

Every comparison runs in the same process, against the same loopback server, one after the other:

1. sequential JSON requests: `olumi.Client.health()` vs `httpx.Client.get("/healthz").json()`
   (olumi also checks the response hash and builds a typed model);
2. consuming a 10 000-event stream: `olumi.Client.draft_graph_stream` vs `httpx_sse.connect_sse`
   with `json.loads` of each event's data (olumi parses every event too), from a tiny local server
   that writes the whole stream at once (see `StreamServer`);
3. signing a small request: `olumi.sign` vs `hmac` + `hashlib` + `uuid` + `time` in Python;
4. decoding a large event stream already in memory: `olumi.SseDecoder` vs httpx-sse's decoders,
   in MB/s.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import hmac
import json
import platform
import socket
import threading
import time
import uuid
from collections.abc import Callable

import httpx
import httpx_sse
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

import olumi
from olumi.testing import MockServer

BRIEF = "Should we expand our SaaS product into the European market next year?"
STREAM_EVENTS = 10_000


def best_rate(run: Callable[[], int], repeats: int = 5) -> float:
    """Units per second of the best of `repeats` runs (`run` returns how many units it did)."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        units = run()
        rates.append(units / (time.perf_counter() - started))
    return max(rates)


def report(name: str, ours: float, theirs: float, unit: str, peer: str, target: float | None) -> None:
    ratio = ours / theirs
    if target is None:
        verdict = "no target"
    else:
        verdict = f"{'meets' if ratio >= target else 'MISSES'} the x{target:g} target"
    print(
        f"{name:<36} olumi {ours:>11,.0f} {unit:<8} {peer:<9} {theirs:>11,.0f} {unit:<8} "
        f"x{ratio:5.2f}  ({verdict})"
    )


def bench_requests(server: MockServer) -> None:
    n = 2000
    with olumi.Client(server.url) as client, httpx.Client(base_url=server.url) as peer:
        for _ in range(200):  # warm up both pools
            client.health()
            peer.get("/healthz").json()

        def ours() -> int:
            for _ in range(n):
                client.health()
            return n

        def theirs() -> int:
            for _ in range(n):
                peer.get("/healthz").json()
            return n

        report("sequential GET /healthz", best_rate(ours), best_rate(theirs), "req/s", "httpx", 2)


def stream_body() -> bytes:
    """The service's stream shape: DRAFTING stage events, then the COMPLETE stage with a result."""
    drafting = b'event: stage\ndata: {"stage":"DRAFTING"}\n\n'
    payload = {
        "graph": {"nodes": [{"id": "g", "kind": "goal"}], "edges": []},
        "patch": {"adds": {"nodes": [], "edges": []}, "updates": [], "removes": []},
        "rationales": [],
    }
    complete = json.dumps({"stage": "COMPLETE", "payload": payload}).encode()
    return drafting * (STREAM_EVENTS - 1) + b"event: stage\ndata: " + complete + b"\n\n"


class StreamServer:
    """A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with the same event stream,
    written at once. The mock server writes and flushes events one by one, at about 100 000 per
    second on this machine, which is slower than both clients read (so it would measure itself)."""

    def __init__(self, body: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
        self.response = head + body
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:
                    body += conn.recv(65536)
                conn.sendall(self.response)

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=5)


def bench_stream() -> None:
    server = StreamServer(stream_body())
    try:
        with olumi.Client(server.url) as client, httpx.Client(base_url=server.url) as peer:

            def ours() -> int:
                count = 0
                for _ in client.draft_graph_stream({"brief": BRIEF}):
                    count += 1
                assert count == STREAM_EVENTS, count
                return count

            def theirs() -> int:
                count = 0
                with httpx_sse.connect_sse(
                    peer, "POST", "/assist/draft-graph/stream", json={"brief": BRIEF}
                ) as source:
                    for sse in source.iter_sse():
                        json.loads(sse.data)
                        count += 1
                assert count == STREAM_EVENTS, count
                return count

            ours()
            theirs()
            report(
                f"consume a {STREAM_EVENTS:,}-event stream",
                best_rate(ours),
                best_rate(theirs),
                "events/s",
                "httpx-sse",
                8,
            )
        asyncio.run(bench_stream_async(server.url))
    finally:
        server.close()


async def bench_stream_async(url: str) -> None:
    async with olumi.AsyncClient(url) as client, httpx.AsyncClient(base_url=url) as peer:

        async def ours() -> float:
            started = time.perf_counter()
            count = 0
            async for _ in client.draft_graph_stream({"brief": BRIEF}):
                count += 1
            assert count == STREAM_EVENTS, count
            return count / (time.perf_counter() - started)

        async def theirs() -> float:
            started = time.perf_counter()
            count = 0
            async with httpx_sse.aconnect_sse(
                peer, "POST", "/assist/draft-graph/stream", json={"brief": BRIEF}
            ) as source:
                async for sse in source.aiter_sse():
                    json.loads(sse.data)
                    count += 1
            assert count == STREAM_EVENTS, count
            return count / (time.perf_counter() - started)

        ours_rate = max([await ours() for _ in range(6)][1:])
        theirs_rate = max([await theirs() for _ in range(6)][1:])
        report("  the same with asyncio (async for)", ours_rate, theirs_rate, "events/s", "httpx-sse", None)


def py_sign(
    method: str, target: str, body: bytes, secret: str, timestamp_ms: int, nonce: str
) -> dict[str, str]:
    message = f"{method}\n{target}\n{timestamp_ms}\n{nonce}\n".encode()
    signature = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return {"X-Olumi-Signature": signature, "X-Olumi-Timestamp": str(timestamp_ms), "X-Olumi-Nonce": nonce}


def bench_sign() -> None:
    n = 100_000
    body = json.dumps({"brief": BRIEF}).encode()
    target = "/assist/draft-graph"
    assert olumi.sign("POST", target, body, "s", timestamp_ms=1, nonce="n") == py_sign(
        "POST", target, body, "s", 1, "n"
    )

    def ours_fixed() -> int:
        for _ in range(n):
            olumi.sign("POST", target, body, "test-hmac-secret", timestamp_ms=1_700_000_000_000, nonce="n-1")
        return n

    def theirs_fixed() -> int:
        for _ in range(n):
            py_sign("POST", target, body, "test-hmac-secret", 1_700_000_000_000, "n-1")
        return n

    def ours_fresh() -> int:
        for _ in range(n):
            olumi.sign("POST", target, body, "test-hmac-secret")
        return n

    def theirs_fresh() -> int:
        for _ in range(n):
            py_sign("POST", target, body, "test-hmac-secret", time.time_ns() // 1_000_000, str(uuid.uuid4()))
        return n

    report(
        "sign (given timestamp and nonce)", best_rate(ours_fixed), best_rate(theirs_fixed), "sig/s", "hmac", 3
    )
    report(
        "sign (fresh timestamp and nonce)", best_rate(ours_fresh), best_rate(theirs_fresh), "sig/s", "hmac", 3
    )


def sse_corpus() -> bytes:
    preview = json.dumps(
        {"stage": "DRAFTING", "payload": {"graph": {"nodes": [{"id": f"n{i}"} for i in range(20)]}}}
    )
    parts = []
    for i in range(20_000):
        parts.append(f'event: stage\nid: {i}\ndata: {{"stage":"DRAFTING"}}\n\n')
        if i % 10 == 0:
            parts.append(": heartbeat\n\n")
        if i % 100 == 0:
            parts.append(f"event: stage\ndata: {preview}\n\n")
    return "".join(parts).encode()


def bench_decoder() -> None:
    corpus = sse_corpus()
    chunks = [corpus[i : i + 16_384] for i in range(0, len(corpus), 16_384)]
    megabytes = len(corpus) / 1e6

    def ours() -> int:
        decoder = olumi.SseDecoder()
        events = 0
        for chunk in chunks:
            events += len(decoder.feed(chunk))
        return events

    def theirs() -> int:
        text = codecs.getincrementaldecoder("utf-8")()
        lines = SSELineDecoder()
        decoder = SSEDecoder()
        events = 0
        for chunk in chunks:
            for line in lines.decode(text.decode(chunk)):
                if decoder.decode(line) is not None:
                    events += 1
        return events

    assert ours() >= theirs() > 0  # ours also returns the comments
    ours_rate = best_rate(ours) / ours() * megabytes
    theirs_rate = best_rate(theirs) / theirs() * megabytes
    report(f"decode SSE ({megabytes:.1f} MB, 16 KiB chunks)", ours_rate, theirs_rate, "MB/s", "httpx-sse", 10)


def main() -> None:
    print(
        f"python {platform.python_version()} on {platform.machine()}, olumi {olumi.__version__}, "
        f"httpx {httpx.__version__}, httpx-sse {getattr(httpx_sse, '__version__', '?')}"
    )
    with MockServer(rpm=0, sse_rpm=0) as server:
        bench_requests(server)
    bench_stream()
    bench_sign()
    bench_decoder()


if __name__ == "__main__":
    main()
