"""Testing support: the mock Olumi Assistants Service, in-process, and a pytest fixture.

    from olumi.testing import MockServer

    with MockServer(hmac_secret="test-hmac-secret") as server:
        client = olumi.Client(server.url, hmac_secret="test-hmac-secret")
        ...
        assert server.journal()[-1]["status"] == 200

With pytest: ``pytest_plugins = ["olumi.testing.pytest_plugin"]`` (or ``-p olumi.testing.pytest_plugin``)
gives the ``mock_server`` fixture; ``@pytest.mark.olumi_mock(api_keys=["k"], ...)`` passes arguments
to its `MockServer`. ``from olumi.testing import mock_server`` imports the fixture itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from olumi._native import MockServer
from olumi.testing.journal import JournalEntry, JournalRejection

if TYPE_CHECKING:
    from olumi.testing.pytest_plugin import mock_server

__all__ = ["JournalEntry", "JournalRejection", "MockServer", "mock_server"]


def __getattr__(name: str) -> Any:
    # The fixture needs pytest, which the SDK itself does not.
    if name == "mock_server":
        from olumi.testing.pytest_plugin import mock_server

        return mock_server
    raise AttributeError(f"module 'olumi.testing' has no attribute {name!r}")
