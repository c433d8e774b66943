"""The SDK's resume against a pool of two mocks sharing one Redis, behind a round-robin TCP proxy:
the stream lands on one instance, the resume on the other, and no event is lost or repeated."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator

import pytest

import olumi
from conftest import BRIEF, SECRET, start_server
from olumi.testing import MockServer

STREAM = "/assist/draft-graph/stream"
RESUME = "/assist/draft-graph/resume"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, no persistence; killed at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed (Debian: apt-get install redis-server; scripts/install-deps.sh)")
    with tempfile.TemporaryDirectory() as workdir:
        for _ in range(5):
            port = free_port()
            args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            proc = subprocess.Popen(
                [*args, "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                if wait_for_ping(port, proc):
                    yield f"redis://127.0.0.1:{port}/0"
                    return
            finally:
                proc.kill()
                proc.wait()
        pytest.fail("redis-server did not start on a free loopback port")


def wait_for_ping(port: int, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return True
        except OSError:
            time.sleep(0.02)
    return False


class RoundRobinProxy:
    """Accepts on 127.0.0.1 and pipes each new connection to the next backend in turn."""

    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self.turn = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                backend = self.backends[self.turn % len(self.backends)]
                self.turn += 1
            upstream = socket.create_connection(backend)
            with self.lock:
                self.sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(src, dst), daemon=True).start()

    def close(self) -> None:
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                s.close()


def pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the other direction's thread closed the sockets
    finally:
        # A broken side (the mock dropping a stream) breaks the other side too.
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


def address(server: MockServer) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def paths(server: MockServer) -> list[str]:
    return [e["target"].split("?")[0] for e in server.journal()]


def test_a_dropped_stream_resumes_on_the_other_instance(redis_url: str) -> None:
    with (
        start_server(redis_url=redis_url, redis_prefix="py-pool:") as a,
        start_server(redis_url=redis_url, redis_prefix="py-pool:") as b,
    ):
        for server in (a, b):
            server.inject_fault("drop-after-events=2,times=1", path=STREAM)
        proxy = RoundRobinProxy([address(a), address(b)])
        try:
            with (
                olumi.Client(proxy.url, hmac_secret=SECRET, max_retries=0) as client,
                client.draft_graph_stream({"brief": BRIEF}) as stream,
            ):
                events = [type(e).__name__ for e in stream if not isinstance(e, olumi.HeartbeatEvent)]
        finally:
            proxy.close()
        assert events == ["StageEvent", "ResumeTokenEvent", "StageEvent", "CompleteEvent"]
        summary = stream.summary
        assert summary.via == "resume"
        assert summary.resumes == 1
        assert not summary.fallback
        # The stream ran on A and the resume on B: one service, two processes.
        assert paths(a) == [STREAM]
        assert paths(b) == [RESUME]
