"""The ``mock_server`` pytest fixture: a fresh `olumi.testing.MockServer` per test, stopped after it.

Arguments come from the ``olumi_mock`` marker: ``@pytest.mark.olumi_mock(hmac_secret="s", auth="strict")``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from olumi._native import MockServer

__all__ = ["mock_server"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "olumi_mock(**kwargs): arguments of the MockServer behind the mock_server fixture"
    )


@pytest.fixture
def mock_server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A mock Olumi Assistants Service on 127.0.0.1 for this test."""
    marker = request.node.get_closest_marker("olumi_mock")
    kwargs = dict(marker.kwargs) if marker is not None else {}
    with MockServer(**kwargs) as server:
        yield server
