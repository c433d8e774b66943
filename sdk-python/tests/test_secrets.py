"""No secret, API key or signature in repr() or str() of clients, streams, errors, journal entries, the mock.

The Rust suite (mock-server/tests/secrets.rs, cli.rs) checks the same of the core's Debug and Display and of
the mock's logs at trace level; the Node suite (sdk-node/test/secrets.test.mjs) checks util.inspect.
"""

from __future__ import annotations

import asyncio

import pytest

import olumi
from conftest import BRIEF
from olumi.testing import MockServer

HMAC_SECRET = "hmac-secret-8d1f3c5e7a9b"
API_KEY = "api-key-2e4a6c8d0f1b"
SECRETS = [HMAC_SECRET, API_KEY, f"{HMAC_SECRET}-wrong", f"{API_KEY}-wrong"]


def texts_of(value: object) -> list[str]:
    return [repr(value), str(value)]


def assert_clean(texts: list[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret} shown in {text!r}"


def test_no_secret_in_repr_or_str() -> None:
    texts: list[str] = []
    with MockServer(hmac_secret=HMAC_SECRET, api_keys=[API_KEY], heartbeat_ms=50, rpm=0, sse_rpm=0) as server:
        texts += texts_of(server)
        clients = [
            olumi.Client(server.url, hmac_secret=HMAC_SECRET, max_retries=0, stream_idle_timeout=0.3),
            olumi.Client(server.url, api_key=API_KEY, max_retries=0),
            olumi.Client(server.url, bearer_token=API_KEY, max_retries=0),
        ]
        for client in clients:
            texts += texts_of(client)
            texts += texts_of(client.limits())
        with clients[0].draft_graph_stream({"brief": BRIEF}) as stream:
            texts += texts_of(stream)
            for event in stream:
                texts += texts_of(event)
            texts += texts_of(stream.summary)

        errors: list[olumi.OlumiError] = []
        for wrong in [
            olumi.Client(server.url, hmac_secret=f"{HMAC_SECRET}-wrong", max_retries=0),
            olumi.Client(server.url, api_key=f"{API_KEY}-wrong", max_retries=0),
        ]:
            with pytest.raises(olumi.AuthenticationError) as info:
                wrong.limits()
            errors.append(info.value)
        with pytest.raises(olumi.ConfigError) as config:
            olumi.Client(server.url, api_key=f"{API_KEY}-wrong\n")
        errors.append(config.value)
        server.inject_fault("corrupt-hash", path="/v1/limits")
        with pytest.raises(olumi.IntegrityError) as integrity:
            clients[0].limits()
        errors.append(integrity.value)
        server.inject_fault("stall", path="/assist/draft-graph/resume")
        with pytest.raises(olumi.OlumiError) as stream_error:
            list(clients[0].resume("not-a-token"))
        errors.append(stream_error.value)
        for error in errors:
            texts += texts_of(error)
            texts += [repr(vars(error))]

        journal = server.journal()
        assert len(journal) >= 8
        texts += texts_of(journal)

        server.clear_faults()

        async def async_texts() -> list[str]:
            async with olumi.AsyncClient(server.url, hmac_secret=HMAC_SECRET) as client:
                return [*texts_of(client), *texts_of(await client.limits())]

        texts += asyncio.run(async_texts())
        for client in clients:
            client.close()
    assert len(texts) > 30
    assert_clean(texts)
