"""The SDK after `fork()` in a process that already used it: the child rebuilds the runtime, clients
made in the child work, and a client inherited from the parent works too (it rebuilds its
connection pool). Each child runs under a deadline: a hang kills it and fails the test, and each
child's exit status is asserted."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterator

import pytest

import olumi
from conftest import BRIEF, SECRET, start_server
from olumi.testing import MockServer

# A child gets this long to finish its calls (each takes milliseconds); then it is killed.
CHILD_DEADLINE_S = 20.0

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only"),
    # Python 3.12+ warns that forking a multi-threaded process may deadlock: that hazard is what
    # these tests check the SDK survives.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def fork_server() -> Iterator[MockServer]:
    """A mock server in the parent; the children reach it over TCP on 127.0.0.1."""
    with start_server() as server:
        yield server


def make_client(url: str) -> olumi.Client:
    return olumi.Client(url, hmac_secret=SECRET, timeout=10.0)


def use(client: olumi.Client) -> None:
    """A call and a stream, checked: what a worker does."""
    limits = client.limits()
    assert limits.max_nodes > 0, limits
    events = list(client.draft_graph_stream({"brief": BRIEF}))
    assert isinstance(events[-1], olumi.CompleteEvent), events


async def use_async(url: str) -> None:
    async with olumi.AsyncClient(url, hmac_secret=SECRET, timeout=10.0) as client:
        limits = await client.limits()
        assert limits.max_nodes > 0, limits
        events = [event async for event in client.draft_graph_stream({"brief": BRIEF})]
        assert isinstance(events[-1], olumi.CompleteEvent), events


def fork_child(work: Callable[[], None]) -> tuple[int, int]:
    """Forks; the child runs `work` and exits 0, or 1 after printing what failed. Returns the
    child's pid and the read end of a pipe that carries the child's traceback."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os.close(read_end)
        status = 0
        try:
            work()
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def wait_child(pid: int, read_end: int) -> None:
    """Waits for the child until the deadline (then kills it and fails); asserts exit status 0."""
    deadline = time.monotonic() + CHILD_DEADLINE_S
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            pytest.fail(f"child {pid} hung for {CHILD_DEADLINE_S} s after fork (killed)")
        time.sleep(0.02)
    with os.fdopen(read_end, "rb") as pipe:
        failure = pipe.read().decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, f"child {pid} failed:\n{failure}"


def test_raw_fork_after_use(fork_server: MockServer) -> None:
    parent_client = make_client(fork_server.url)
    use(parent_client)  # the runtime and the pool now exist in the parent

    def child() -> None:
        use(make_client(fork_server.url))  # a client made in the child
        use(parent_client)  # the inherited one rebuilds its pool
        asyncio.run(use_async(fork_server.url))  # asyncio on the child's runtime

    wait_child(*fork_child(child))
    use(parent_client)  # the parent is unaffected


def mp_worker(url: str) -> None:
    use(make_client(url))
    asyncio.run(use_async(url))


def test_multiprocessing_fork_context(fork_server: MockServer) -> None:
    use(make_client(fork_server.url))
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=mp_worker, args=(fork_server.url,)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(CHILD_DEADLINE_S)
        if process.is_alive():
            process.kill()
            process.join()
            pytest.fail(f"multiprocessing child {process.pid} hung after fork (killed)")
        assert process.exitcode == 0, f"multiprocessing child {process.pid} exit code {process.exitcode}"


def test_prefork_workers_share_a_client_made_before_fork(fork_server: MockServer) -> None:
    # gunicorn --preload / Celery prefork: the client is made (and used) at import in the
    # master, then every worker uses it.
    client = make_client(fork_server.url)
    use(client)

    def worker() -> None:
        for _ in range(3):
            use(client)

    children = [fork_child(worker) for _ in range(4)]
    for pid, read_end in children:
        wait_child(pid, read_end)
    use(client)


def test_closed_client_stays_closed_after_fork(fork_server: MockServer) -> None:
    client = make_client(fork_server.url)
    use(client)
    client.close()

    def child() -> None:
        with pytest.raises(olumi.ConfigError, match="closed"):
            client.limits()

    wait_child(*fork_child(child))


def test_a_stream_opened_before_fork_fails_at_once_in_the_child(fork_server: MockServer) -> None:
    client = make_client(fork_server.url)
    stream = client.draft_graph_stream({"brief": BRIEF})
    next(stream)  # open, with its connection in the parent's runtime

    def child() -> None:
        with pytest.raises(olumi.ConfigError, match=r"before os\.fork\(\).*open a new stream"):
            next(stream)
        use(client)  # the client itself works

    wait_child(*fork_child(child))
    events = list(stream)  # the parent's stream is unaffected
    assert isinstance(events[-1], olumi.CompleteEvent), events


def test_a_mock_server_stays_the_parents_after_fork() -> None:
    with start_server() as server:
        use(make_client(server.url))

        def child() -> None:
            use(make_client(server.url))  # served by the parent
            with pytest.raises(olumi.ConfigError, match="parent process"):
                server.journal()
            server.stop()  # a no-op in the child

        wait_child(*fork_child(child))
        # The parent's call and the child's, both served (and journaled) by the parent.
        assert [entry["target"] for entry in server.journal()].count("/v1/limits") == 2
