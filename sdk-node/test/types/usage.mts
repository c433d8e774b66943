// Type-checked (`tsc --noEmit -p test/types`), never run: the public surface as a TypeScript
// user sees it through the package's `exports` map.
import {
  type BiasCheckResponse,
  CEEClient,
  type CeeDraftGraphResponse,
  type CeeDraftGraphV1,
  type CeeDraftGraphV3,
  canonicalJson,
  createCEEClient,
  type DraftGraphEvent,
  type DraftGraphResponse,
  errorKinds,
  generateNonce,
  type JournalRejection,
  MockServer,
  OlumiAbortError,
  OlumiAPIError,
  OlumiClient,
  OlumiError,
  OlumiNetworkError,
  routes,
  type SignatureHeaders,
  SseDecoder,
  sign,
  verifyResponseHash,
} from '@olumi/sdk'

export async function usage(): Promise<void> {
  const mock = await MockServer.start({
    hmacSecret: 's',
    resumeSecret: 'r',
    auth: 'strict',
    heartbeatMs: 50,
    fixtures: ['dir'],
  })
  const client = new OlumiClient({
    baseUrl: mock.url,
    hmacSecret: 's',
    bodyHash: 'sha256',
    timeout: 5000,
    maxRetries: 1,
  })
  const controller = new AbortController()
  const draft: DraftGraphResponse = await client.draftGraph(
    { brief: 'b' },
    { signal: controller.signal, timeout: 1000 },
  )
  const kinds: string[] = draft.graph.nodes.map((n) => n.kind)
  const pack: Buffer = await client.evidencePack({ brief: 'b' })
  const limits = await client.limits()
  const rpm: number = limits.rate_limit_rpm + pack.length + kinds.length
  const health = await client.healthCheck()
  const ok: boolean = health.ok
  const any = await client.postJson<{ options: unknown[] }>('/assist/v1/options', { x: 1 })
  const n: number = any.options.length + rpm + (ok ? 1 : 0)

  const stream = client.streamDraftGraph({ brief: 'b' }, { signal: controller.signal })
  for await (const event of stream) {
    const e: DraftGraphEvent = event
    switch (e.type) {
      case 'stage': {
        e.stage.toLowerCase()
        const text: string | null = e.rawPayload
        const payload: unknown = e.payload
        void [text, payload]
        break
      }
      case 'resume':
        await client.resumeDraftGraph(e.token, { live: false })[Symbol.asyncIterator]().next()
        break
      case 'complete': {
        const via: 'stream' | 'resume' | 'fallback' = e.via
        const nodes: number = e.result.graph.nodes.length + e.summary.events + n
        void [via, nodes]
        break
      }
      default:
        break
    }
  }
  const resumes: number | undefined = stream.summary?.resumes
  void resumes

  // The stream is its own iterator: next() and return(), no throw().
  const iterator: AsyncIterableIterator<DraftGraphEvent> = client
    .streamDraftGraph({ brief: 'b' })
    [Symbol.asyncIterator]()
  const first = await iterator.next()
  if (!first.done) void first.value.type
  const closed: IteratorReturnResult<undefined> = await client.streamDraftGraph({ brief: 'b' }).return()
  void closed
  // @ts-expect-error: no throw() (a hand-written iterator, not a generator)
  void stream.throw

  try {
    await client.status()
  } catch (err) {
    if (err instanceof OlumiAPIError) {
      const fields: [number, string, string | undefined, number | null] = [
        err.statusCode,
        err.code,
        err.requestId,
        err.getRetryAfter(),
      ]
      void fields
    } else if (err instanceof OlumiNetworkError) {
      const timeout: boolean = err.isTimeout
      void timeout
    } else if (err instanceof OlumiAbortError || err instanceof OlumiError) {
      const retry: boolean = err.isRetryable()
      void [retry, err.kind]
    }
  }

  const headers: SignatureHeaders = sign('POST', '/assist/draft-graph', '{}', { secret: 's', bodyHash: 'unbound' })
  const sig: string = headers['X-Olumi-Signature'] + generateNonce() + canonicalJson({ b: 1 })
  const valid: boolean = verifyResponseHash(Buffer.from('{}'), sig.slice(0, 12))
  const decoder = new SseDecoder()
  for (const item of decoder.feed('data: x\n\n')) {
    if (item.type === 'event') void item.data
  }
  void [valid, errorKinds(), mock.journal()[0]?.target]
  const rejection: JournalRejection | null | undefined = mock.journal()[0]?.rejection
  const expected: string | null | undefined = rejection?.expected_canonical
  void [expected, rejection?.check, rejection?.detail, mock.journal()[0]?.latency_ms]
  const verified: number = mock.verify(
    { method: 'GET', path: '/healthz', headers: { accept: { contains: 'json' } } },
    1,
  )
  const proxied: boolean = mock.findRequests({ source: 'proxy' }).every((e) => e.source === 'proxy')
  void [verified, proxied, mock.journal(3).length]

  // Every route typed; the CEE draft's query options; the generic calls; the old CEE client.
  const graph = draft.graph
  const bias: BiasCheckResponse = await client.biasCheck({ graph }, { timeout: 1000 })
  const findings: number = bias.bias_findings.length
  const v1: CeeDraftGraphV1 = await client.ceeDraftGraph({ brief: 'b' }, { schema: 'v1', strict: false })
  const v3: CeeDraftGraphV3 = await client.ceeDraftGraph({ brief: 'b' })
  const either: CeeDraftGraphResponse = v1.graph.nodes.length > v3.nodes.length ? v1 : v3
  for await (const event of client.ceeDraftGraphStream({ brief: 'b' }, { signal: controller.signal })) {
    if (event.type === 'complete') {
      const result: CeeDraftGraphV1 = event.result
      void [result.graph.nodes, either]
    }
  }
  const share = await client.createShare({ graph, ttl_hours: 1 })
  const shared = await client.getShare(share.url)
  const revoked: boolean = (await client.revokeShare(share.share_id)).revoked
  const risk = await client.elicitRiskTolerance({ mode: 'get_questions' })
  void risk.questions.length
  const anything = await client.requestJson<{ revoked: boolean }>('DELETE', '/assist/share/t')
  for await (const event of client.requestStream<{ x: number }>('POST', '/assist/v1/x/stream', { a: 1 })) {
    if (event.type === 'complete') void event.result.x
  }
  const ceeClient: CEEClient = createCEEClient({ apiKey: 'k' })
  const explained = await new CEEClient({ apiKey: 'k' }).explainGraph({
    graph,
    inference: { summary: 's', seed: '1', response_hash: 'h' },
  })
  void [findings, shared.access_count, revoked, anything.revoked, ceeClient, explained.explanation]
  const routeKinds: Array<'json' | 'stream' | 'bytes'> = routes().map((r) => r.kind)
  void routeKinds
  await mock.close()
}
