"""The testing support: MockServer lifecycle and the pytest fixture (loaded in pyproject's addopts)."""

from __future__ import annotations

import urllib.request

import pytest

import olumi
from olumi.testing import JournalEntry, MockServer


@pytest.mark.olumi_mock(api_keys=["fixture-key"], auth="strict")
def test_fixture_takes_marker_arguments(mock_server: MockServer) -> None:
    assert mock_server.url.startswith("http://127.0.0.1:")
    with olumi.Client(mock_server.url, api_key="fixture-key") as client:
        assert client.limits().key_id
    assert [e["verdict"]["kind"] for e in mock_server.journal()] == ["api_key"]


def test_fixture_is_importable() -> None:
    from olumi.testing import mock_server

    assert callable(mock_server)


def test_stop_is_idempotent_and_final() -> None:
    server = MockServer()
    url = server.url
    with olumi.Client(url, max_retries=0) as client:
        assert client.health().ok
        server.stop()
        server.stop()
        with pytest.raises(olumi.NetworkError):
            client.health()
    with pytest.raises(olumi.ConfigError, match="stopped"):
        server.journal()


def test_bad_arguments() -> None:
    with pytest.raises(olumi.ConfigError, match="auth mode"):
        MockServer(auth="nope")  # type: ignore[arg-type]
    with MockServer() as server, pytest.raises(olumi.ConfigError, match="unknown fault"):
        server.inject_fault("explode")


def test_fault_filters(mock_server: MockServer) -> None:
    mock_server.inject_fault("status=500", path="/v1/status", method="GET")
    with olumi.Client(mock_server.url, max_retries=0) as client:
        assert client.health().ok
        with pytest.raises(olumi.InternalServerError):
            client.status()
        mock_server.clear_faults()
        assert client.status().service


@pytest.mark.olumi_mock(hmac_secret="test-hmac-secret")
def test_journal_explains_a_bad_signature(mock_server: MockServer) -> None:
    with (
        olumi.Client(mock_server.url, hmac_secret="not-the-secret-42", max_retries=0) as client,
        pytest.raises(olumi.AuthenticationError),
    ):
        client.limits()
    entry: JournalEntry = mock_server.journal()[-1]
    rejection = entry["rejection"]
    assert rejection is not None
    assert rejection["check"] == "signature_mismatch"
    assert "does not match" in rejection["detail"]
    timestamp = next(value for name, value in entry["headers"] if name == "x-olumi-timestamp")
    assert rejection["expected_canonical"] == f"GET\n/v1/limits\n{timestamp}\n{entry['nonce']}\n"
    assert "not-the-secret-42" not in repr(mock_server.journal())
    assert entry["latency_ms"] >= 0


def test_the_in_process_mock_serves_the_dashboard(mock_server: MockServer) -> None:
    with urllib.request.urlopen(f"{mock_server.url}/__admin/ui", timeout=10) as page:
        assert page.status == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "/__admin/events" in page.read().decode()
    assert mock_server.journal() == []
