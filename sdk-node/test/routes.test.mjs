// The route table: every route of the core has a method on OlumiClient (and on the native
// client); the generic calls; the old SDK's CEE client.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import {
  CEEClient,
  createCEEClient,
  OlumiAPIError,
  OlumiBadRequestError,
  OlumiClient,
  OlumiConfigError,
  OlumiNotFoundError,
  routes,
} from '../index.mjs'
import { BRIEF, clientFor, collect, SECRET, startMock } from '../test-support/helpers.mjs'

const native = createRequire(import.meta.url)('../native.js')

// The core's example request of each CEE capability route (its own route test reads the same file).
const CEE_REQUESTS = JSON.parse(
  readFileSync(new URL('../../sdk-core/tests/data/cee_requests.json', import.meta.url), 'utf8'),
)

const camelCase = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

describe('the route table', () => {
  test('every route of the core has a method on OlumiClient and on the native client (camelCase)', () => {
    const table = routes()
    assert.ok(table.length >= 40, `${table.length} routes`)
    assert.deepEqual(new Set(table.map((r) => r.kind)), new Set(['json', 'stream', 'bytes']))
    const missing = []
    for (const route of table) {
      const name = camelCase(route.name)
      if (typeof OlumiClient.prototype[name] !== 'function') missing.push(`OlumiClient.${name} (${route.path})`)
      if (typeof native.Client.prototype[name] !== 'function') missing.push(`native ${name}`)
    }
    assert.deepEqual(missing, [])
  })

  test('the old SDK names stay, as the same methods of the same routes', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    assert.deepEqual(await client.healthCheck(), await client.health())
    const streamed = await collect(client.streamDraftGraph({ brief: BRIEF }))
    const token = streamed.find((e) => e.type === 'resume').token
    const resumed = await collect(client.resumeDraftGraph(token, { live: false }))
    assert.equal(resumed.at(-1).type, 'complete')
    assert.deepEqual(
      mock.journal().map((e) => e.target.split('?')[0]),
      ['/healthz', '/healthz', '/assist/draft-graph/stream', '/assist/draft-graph/resume'],
    )
  })
})

describe('the generic calls', () => {
  test('requestJson: any method, signed over the exact target', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const limits = await client.requestJson('get', '/v1/limits')
    const options = await client.requestJson('POST', '/assist/suggest-options', { goal: 'Grow revenue in Europe' })
    assert.deepEqual(limits, await client.limits())
    assert.ok(options.options[0].title)
    const entries = mock.journal()
    assert.deepEqual(
      entries.slice(0, 2).map((e) => [e.method, e.target]),
      [
        ['GET', '/v1/limits'],
        ['POST', '/assist/suggest-options'],
      ],
    )
    assert.ok(entries.every((e) => e.verdict.kind === 'hmac'))
  })

  test('requestJson refuses an unknown method and a relative path, sending nothing', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    await assert.rejects(client.requestJson('TRACE', '/v1/limits'), (err) => {
      assert.ok(err instanceof OlumiConfigError, String(err))
      assert.match(err.message, /unsupported HTTP method/)
      return true
    })
    await assert.rejects(client.requestJson('GET', 'v1/limits'), OlumiConfigError)
    assert.equal(mock.journal().length, 0)
  })

  test('requestStream: the typed events, the final result as JSON', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const events = await collect(client.requestStream('POST', '/assist/draft-graph/stream', { brief: BRIEF }))
    assert.deepEqual(
      events.filter((e) => e.type !== 'heartbeat').map((e) => e.type),
      ['stage', 'resume', 'stage', 'complete'],
    )
    const last = events.at(-1)
    assert.equal(last.via, 'stream')
    assert.ok(last.result.graph.nodes.length > 0)
  })
})

describe('CEEClient (the old SDK names)', () => {
  test('has the old CEEClient methods, each answered by the same route as OlumiClient', async (t) => {
    const mock = await startMock(t, { apiKeys: ['k'] })
    const cee = createCEEClient({ apiKey: 'k', baseUrl: mock.url, maxRetries: 0 })
    assert.ok(cee instanceof CEEClient)
    for (const name of [
      'draftGraph',
      'explainGraph',
      'evidenceHelper',
      'biasCheck',
      'options',
      'sensitivityCoach',
      'teamPerspectives',
      'graphReadiness',
    ]) {
      assert.equal(typeof cee[name], 'function', name)
    }
    const draft = await cee.draftGraph({ brief: BRIEF })
    assert.ok(draft.trace.request_id)
    assert.deepEqual(
      mock.journal().map((e) => e.target),
      ['/assist/v1/draft-graph'],
    )
  })

  test('refuses a blank API key, as the old SDK did', () => {
    assert.throws(() => new CEEClient({ apiKey: '  ', baseUrl: 'http://127.0.0.1:1' }), OlumiConfigError)
  })
})

const GRAPH = {
  nodes: [
    { id: 'g', kind: 'goal', label: 'Grow' },
    { id: 'd', kind: 'decision', label: 'Expand?' },
  ],
  edges: [{ from: 'd', to: 'g' }],
}

describe('the CEE routes', () => {
  test('every CEE capability route answers through its method', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const table = new Map(routes().map((r) => [r.name, r]))
    assert.equal(Object.keys(CEE_REQUESTS).length, 20)
    for (const [name, request] of Object.entries(CEE_REQUESTS)) {
      const result = await client[camelCase(name)](request)
      assert.equal(typeof result, 'object', name)
      assert.ok(Object.keys(result).length > 0, name)
      const entry = mock.journal().at(-1)
      const route = table.get(name)
      assert.deepEqual([entry.method, entry.target, entry.status], [route.method, route.path, 200], name)
    }
  })

  test('the decision-review example and diagnostics', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    assert.ok(Object.keys(await client.decisionReviewExample()).length > 0)
    assert.ok(Object.keys(await client.diagnostics()).length > 0)
    assert.deepEqual(
      mock.journal().map((e) => e.target),
      ['/assist/v1/decision-review/example', '/diagnostics'],
    )
  })

  test('capability routes answer their typed shapes', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const bias = await client.biasCheck({ graph: GRAPH })
    const options = await client.options({ graph: GRAPH })
    const health = await client.ceeHealth()
    const questions = await client.elicitRiskTolerance({ mode: 'get_questions' })
    const profile = await client.elicitRiskTolerance({ mode: 'process_responses', responses: [] })
    assert.ok(bias.bias_findings.length > 0)
    assert.ok(bias.trace.request_id)
    assert.ok(options.options[0].id)
    assert.ok(health.service)
    assert.ok(questions.questions[0].options[0].id)
    assert.ok(profile.profile)
    assert.deepEqual(
      mock.journal().map((e) => e.target),
      [
        '/assist/v1/bias-check',
        '/assist/v1/options',
        '/assist/v1/health',
        '/assist/v1/elicit-risk-tolerance',
        '/assist/v1/elicit-risk-tolerance',
      ],
    )
  })

  test('a request without a required field is refused before sending; the service’s refusal is typed', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    await assert.rejects(client.biasCheck({}), (err) => {
      assert.ok(err instanceof OlumiConfigError, String(err))
      assert.match(err.message, /graph/)
      return true
    })
    assert.equal(mock.journal().length, 0)
    await assert.rejects(client.requestJson('POST', '/assist/v1/bias-check', {}), (err) => {
      assert.ok(err instanceof OlumiBadRequestError, String(err))
      assert.equal(err.code, 'CEE_VALIDATION_FAILED')
      assert.equal(err.statusCode, 400)
      return true
    })
  })

  test('ceeDraftGraph: schema and strict go in the query', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    const v3 = await client.ceeDraftGraph({ brief: BRIEF })
    const v1 = await client.ceeDraftGraph({ brief: BRIEF }, { schema: 'v1' })
    await client.ceeDraftGraph({ brief: BRIEF }, { schema: 'v3', strict: true })
    assert.ok(v3.nodes.length > 0)
    assert.equal(typeof v3.edges[0].strength_mean, 'number')
    assert.equal(v3.graph, undefined)
    assert.ok(v1.graph.nodes.length > 0)
    assert.deepEqual(
      mock.journal().map((e) => e.target),
      ['/assist/v1/draft-graph', '/assist/v1/draft-graph?schema=v1', '/assist/v1/draft-graph?schema=v3&strict=true'],
    )
  })

  test('ceeDraftGraphStream ends with the CEE response', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    const events = await collect(client.ceeDraftGraphStream({ brief: BRIEF }))
    const last = events.at(-1)
    assert.equal(last.type, 'complete')
    assert.equal(last.via, 'stream')
    assert.ok(last.result.graph.nodes.length > 0, 'the stream answers schema v1')
    assert.equal(mock.journal()[0].target, '/assist/v1/draft-graph/stream')
  })
})

describe('share links', () => {
  const tokenOf = (share) => share.url.split('/').at(-1)

  test('create, read twice, revoke; then the share is gone and a second revoke is 404', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const created = await client.createShare({ graph: GRAPH, brief: BRIEF, ttl_hours: 1 })
    const token = tokenOf(created)
    const first = await client.getShare(token)
    const second = await client.getShare(token)
    const revoked = await client.revokeShare(token)
    const gone = await client.getShare(token).catch((e) => e)
    const again = await client.revokeShare(token).catch((e) => e)
    assert.ok(created.share_id)
    assert.equal(first.share_id, created.share_id)
    assert.deepEqual(
      first.graph.nodes.map((n) => n.id),
      ['g', 'd'],
    )
    assert.equal(first.brief, BRIEF)
    assert.deepEqual([first.access_count, second.access_count], [1, 2])
    assert.equal(revoked.revoked, true)
    assert.ok(gone instanceof OlumiAPIError, String(gone))
    assert.equal(gone.statusCode, 410)
    assert.ok(again instanceof OlumiNotFoundError, String(again))
    assert.deepEqual(
      mock.journal().map((e) => e.method),
      ['POST', 'GET', 'GET', 'DELETE', 'GET', 'DELETE'],
    )
  })

  test('requestJson sends a DELETE, signed', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET, maxRetries: 0 })
    const token = tokenOf(await client.createShare({ graph: GRAPH }))
    const revoked = await client.requestJson('DELETE', `/assist/share/${token}`)
    assert.equal(revoked.revoked, true)
    // The service reads and revokes shares without authentication; the client signs the DELETE anyway.
    const deletes = mock.journal().filter((e) => e.method === 'DELETE')
    assert.equal(deletes.length, 1)
    assert.ok(deletes[0].headers.some(([name]) => name === 'x-olumi-signature'))
    assert.equal((await client.getShare(token).catch((e) => e)).statusCode, 410)
  })
})
