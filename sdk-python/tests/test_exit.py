"""The interpreter exits cleanly after the SDK's calls, sync and asyncio.

The package's tokio threads outlive the interpreter's finalization. Before the `atexit` hook
(`olumi._native._before_exit`), a blocking thread that handed asyncio a result late could take the
GIL while Python finalized and crash the process at exit (a segfault, or a "PyGILState_Release"
abort, in about one exit in five of the Python quickstart). Each child here runs the quickstart
(sync calls, a stream, asyncio calls that succeed and fail) against the parent's mock over TCP and
exits; every exit status is asserted, so a crash at exit fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SECRET, start_server

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "python" / "quickstart.py"
# Enough children to catch, most of the time, a crash that hits one exit in five.
CHILDREN = 12
CHILD_DEADLINE_S = 30.0


def test_the_interpreter_exits_cleanly_after_sync_and_asyncio_calls() -> None:
    with start_server() as server:
        env = {**os.environ, "OLUMI_BASE_URL": server.url, "OLUMI_HMAC_SECRET": SECRET}
        for child in range(CHILDREN):
            result = subprocess.run(
                [sys.executable, str(QUICKSTART)],
                env=env,
                capture_output=True,
                text=True,
                timeout=CHILD_DEADLINE_S,
                check=False,
            )
            assert result.returncode == 0, (
                f"child {child} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
            assert "asyncio: rejected as expected" in result.stdout
