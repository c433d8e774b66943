"""Sign a call, verify the reply, stream a draft: the whole SDK in one screen.

Run against a mock server: `olumi-mock --port 8787 --hmac-secret test-hmac-secret`, then
`python examples/python/quickstart.py` (`OLUMI_BASE_URL` overrides the address).
"""

from __future__ import annotations

import asyncio
import os

import olumi

BASE_URL = os.environ.get("OLUMI_BASE_URL", "http://127.0.0.1:8787")
SECRET = os.environ.get("OLUMI_HMAC_SECRET", "test-hmac-secret")
BRIEF = "Should we expand our SaaS product into the European market next year?"


def main() -> None:
    with olumi.Client(BASE_URL, hmac_secret=SECRET) as client:
        print(f"client: {client!r}")

        # A signed GET: the client adds X-Olumi-Signature/-Timestamp/-Nonce and, because response
        # verification is on, checks x-olumi-response-hash before returning.
        limits = client.limits()
        print(
            f"signed call ok: GET /v1/limits -> key_id {limits.key_id!r}, "
            f"{limits.rate_limit_rpm:g} rpm (response hash verified)"
        )

        draft = client.draft_graph({"brief": BRIEF})
        print(
            f"signed POST ok: /assist/draft-graph -> {len(draft.graph.nodes)} nodes, "
            f"{len(draft.graph.edges)} edges (response hash verified)"
        )

        with client.draft_graph_stream({"brief": BRIEF}) as stream:
            for event in stream:
                match event:
                    case olumi.StageEvent(stage, payload):
                        print(f"stream: stage {stage}{' (preview)' if payload is not None else ''}")
                    case olumi.ResumeTokenEvent():
                        print("stream: resume token received")
                    case olumi.HeartbeatEvent():
                        print("stream: heartbeat")
                    case olumi.OtherEvent(name, _):
                        print(f"stream: unknown event {name!r}")
                    case olumi.CompleteEvent(output, via, _):
                        print(f"stream: complete via {via}: {len(output.graph.nodes)} nodes")
        summary = stream.summary
        print(
            f"stream summary: {summary.events} events, {summary.heartbeats} heartbeats, "
            f"{summary.resumes} resumes, fallback {summary.fallback}"
        )

    asyncio.run(amain())


async def amain() -> None:
    """The same client for asyncio: every call is awaitable, streams are async iterators."""
    async with olumi.AsyncClient(BASE_URL, hmac_secret=SECRET) as client:
        health, status = await asyncio.gather(client.health(), client.status())
        print(f"asyncio: {health.service} {health.version} ok={health.ok}, uptime {status.uptime_seconds}s")
        try:
            await client.draft_graph({"brief": "too short"})
        except olumi.BadRequestError as error:
            print(f"asyncio: rejected as expected: {error.code} ({error.status}): {error.message}")


if __name__ == "__main__":
    main()
