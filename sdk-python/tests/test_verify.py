"""Verification against the mock's journal: MockServer.verify, find_requests and journal(since=...)."""

from __future__ import annotations

import pytest

import olumi
from olumi.testing import MockServer


def test_verify_counts_and_explains_the_nearest_requests(mock_server: MockServer) -> None:
    with olumi.Client(mock_server.url, max_retries=0) as client:
        assert client.health().ok
        assert client.health().ok
        client.status()
    assert mock_server.verify({"method": "GET", "path": "/healthz"}, times=2) == 2
    assert mock_server.verify({"path": "/v1/status", "status": 200}) == 1
    assert mock_server.verify({"path": "/assist/draft-graph"}, times=0) == 0
    with pytest.raises(AssertionError) as failure:
        mock_server.verify({"method": "GET", "path": "/healthz"}, times=3)
    message = str(failure.value)
    assert "expected exactly 3 requests" in message
    assert "found 2" in message
    assert "GET /v1/status -> 200" in message, message
    assert 'path: expected "/healthz", got "/v1/status"' in message


def test_find_requests_and_journal_since(mock_server: MockServer) -> None:
    with olumi.Client(mock_server.url, max_retries=0) as client:
        client.health()
        first = mock_server.journal()[-1]["seq"]
        client.status()
    later = mock_server.journal(since=first)
    assert [e["target"] for e in later] == ["/v1/status"]
    found = mock_server.find_requests({"path": "/healthz"})
    assert [e["seq"] for e in found] == [first]
    assert found[0]["source"] == "fixture"
    assert len(mock_server.find_requests()) == 2


def test_a_bad_matcher_names_the_field(mock_server: MockServer) -> None:
    with pytest.raises(olumi.ConfigError, match="metod"):
        mock_server.verify({"metod": "GET"})
    with pytest.raises(olumi.ConfigError, match="verdict"):
        mock_server.find_requests({"verdict": "nope"})
