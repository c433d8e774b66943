"""Verification against the mock's journal: MockServer.verify, find_requests and journal(since=...)."""

from __future__ import annotations

from pathlib import Path

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


def test_record_through_a_proxy_then_replay(tmp_path: Path) -> None:
    with MockServer(hmac_secret="upstream-secret") as upstream:
        with MockServer(
            builtin_fixtures=False,
            proxy_to=upstream.url,
            upstream_hmac_secret="upstream-secret",
            record=tmp_path,
        ) as proxy:
            with olumi.Client(proxy.url, max_retries=0) as client:
                live = client.request_json("GET", "/v1/status")
            assert proxy.verify({"path": "/v1/status", "source": "proxy"}, times=1) == 1
        # The proxy signed the forwarded request for the upstream (the client sent no signature).
        signed = {"path": "/v1/status", "headers": {"x-olumi-signature": {"contains": ""}}}
        assert upstream.verify(signed, times=1) == 1
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == ["get-v1-status-1.json"]
    assert "upstream-secret" not in (tmp_path / files[0]).read_text()
    with MockServer(builtin_fixtures=False, fixtures=tmp_path) as replay:
        with olumi.Client(replay.url, max_retries=0) as client:
            assert client.request_json("GET", "/v1/status") == live
        assert replay.verify({"source": "fixture"}, times=1) == 1


def test_bad_proxy_settings() -> None:
    with pytest.raises(olumi.ConfigError, match="record match"):
        MockServer(proxy_to="http://127.0.0.1:1", record_match="headers")  # type: ignore[arg-type]
    with pytest.raises(olumi.ConfigError, match="--proxy-to"):
        MockServer(upstream_api_key="k")
