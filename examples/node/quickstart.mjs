// Sign a call, verify the reply, stream a draft: the Node SDK in one screen.
//
// Run against a mock server: `olumi-mock --port 8787 --hmac-secret test-hmac-secret`, then
// `node examples/node/quickstart.mjs` (after `cd sdk-node && npm ci && npm run build`).
// OLUMI_BASE_URL and OLUMI_HMAC_SECRET override the defaults.
//
// In your own project: `import { OlumiClient } from '@olumi/sdk'`.
import { OlumiAPIError, OlumiClient } from '../../sdk-node/index.mjs'

const baseUrl = process.env.OLUMI_BASE_URL ?? 'http://127.0.0.1:8787'
const hmacSecret = process.env.OLUMI_HMAC_SECRET ?? 'test-hmac-secret'

// Every request is signed (X-Olumi-Signature/-Timestamp/-Nonce) and every JSON reply is checked
// against its x-olumi-response-hash before it is returned.
const client = new OlumiClient({ baseUrl, hmacSecret })

const limits = await client.limits()
console.log(
  `signed call ok: GET /v1/limits -> key_id ${limits.key_id}, ${limits.rate_limit_rpm} rpm (response hash verified)`,
)

const request = { brief: 'Should we expand our SaaS product into the European market next year?' }
const draft = await client.draftGraph(request)
console.log(
  `signed POST ok: /assist/draft-graph -> ${draft.graph.nodes.length} nodes, ${draft.graph.edges.length} edges (response hash verified)`,
)

// The stream resumes once after a drop, falls back once to the JSON route, and always ends with
// a `complete` event (or throws a typed error). Breaking out of the loop closes the connection.
const stream = client.streamDraftGraph(request, { signal: AbortSignal.timeout(60_000) })
for await (const event of stream) {
  switch (event.type) {
    case 'stage':
      console.log(`stream: stage ${event.stage}${event.payload ? ' (preview)' : ''}`)
      break
    case 'resume':
      console.log('stream: resume token received')
      break
    case 'heartbeat':
      console.log('stream: heartbeat')
      break
    case 'other':
      console.log(`stream: unknown event ${event.event}`)
      break
    case 'complete':
      console.log(`stream: complete via ${event.via}: ${event.result.graph.nodes.length} nodes`)
      break
  }
}
const { events, heartbeats, resumes, fallback } = stream.summary
console.log(`stream summary: ${events} events, ${heartbeats} heartbeats, ${resumes} resumes, fallback ${fallback}`)

// Errors are typed: the service's answer, with its code, request id and retry hint.
try {
  await client.draftGraph({ brief: 'too short' })
} catch (err) {
  if (!(err instanceof OlumiAPIError)) throw err
  console.log(
    `typed error ok: ${err.statusCode} ${err.code} (request id ${err.requestId}, retryable ${err.isRetryable()})`,
  )
}
