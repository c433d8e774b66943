// Every method of OlumiClient against the mock server, in each authentication mode.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'

import { OlumiAPIError, OlumiAuthenticationError, OlumiSignatureError } from '../index.mjs'
import { API_KEY, BRIEF, clientFor, collect, requestsTo, SECRET, startMock } from '../test-support/helpers.mjs'

const EMPTY_PATCH = { adds: { nodes: [], edges: [] }, updates: [], removes: [] }

/** Calls every method once; returns what each answered. */
async function callEverything(client) {
  const health = await client.healthCheck()
  const status = await client.status()
  const limits = await client.limits()
  const draft = await client.draftGraph({ brief: BRIEF })
  const options = await client.suggestOptions({ goal: 'Grow revenue in Europe' })
  const questions = await client.clarifyBrief({
    brief: BRIEF,
    previous_answers: [{ question: 'Budget?', answer: '1M' }],
  })
  const critique = await client.critiqueGraph({ graph: draft.graph, brief: BRIEF })
  const diff = await client.explainDiff({ patch: EMPTY_PATCH, brief: BRIEF })
  const pack = await client.evidencePack({ brief: BRIEF, graph: draft.graph })
  const cee = await client.ceeDraftGraph({ brief: BRIEF })
  const posted = await client.postJson('/assist/suggest-options', { goal: 'Grow revenue in Europe' })
  const got = await client.getJson('/v1/status')
  const events = await collect(client.streamDraftGraph({ brief: BRIEF }))
  return { health, status, limits, draft, options, questions, critique, diff, pack, cee, posted, got, events }
}

function checkAnswers(r) {
  assert.equal(r.health.ok, true)
  assert.equal(typeof r.status.version, 'string')
  assert.equal(r.limits.schema, 'limits.v1')
  assert.ok(r.draft.graph.nodes.length > 0)
  assert.ok(Array.isArray(r.draft.rationales))
  assert.ok(r.options.options.length > 0)
  assert.ok(r.questions.questions.length > 0)
  assert.ok(r.critique.issues.some((i) => i.level === 'BLOCKER'))
  assert.ok(r.diff.rationales.length > 0)
  assert.ok(Buffer.isBuffer(r.pack))
  assert.equal(r.pack.subarray(0, 2).toString(), 'PK', 'a ZIP archive')
  assert.ok(Array.isArray(r.cee.nodes))
  assert.deepEqual(r.posted, r.options)
  assert.equal(r.got.service, r.status.service)
  const last = r.events.at(-1)
  assert.equal(last.type, 'complete')
  assert.equal(last.via, 'stream')
  assert.ok(last.result.graph.nodes.length > 0)
  assert.deepEqual(
    r.events.filter((e) => e.type !== 'heartbeat').map((e) => e.type),
    ['stage', 'resume', 'stage', 'complete'],
  )
}

/** Every request that needed auth was let in with `kind` (and the body-hash mode, for HMAC). */
function checkVerdicts(mock, kind, bodyHash) {
  const authed = mock.journal().filter((e) => !['public', 'auth_off'].includes(e.verdict.kind))
  assert.ok(authed.length >= 10, `expected authenticated requests, got ${authed.length}`)
  for (const entry of authed) {
    assert.equal(entry.verdict.kind, kind, `${entry.method} ${entry.target}: ${JSON.stringify(entry.verdict)}`)
    if (bodyHash) assert.equal(entry.verdict.body_hash, bodyHash, entry.target)
    assert.ok(entry.status < 400, `${entry.target} answered ${entry.status}`)
  }
}

describe('every method', () => {
  test('with an API key', async (t) => {
    const mock = await startMock(t, { apiKeys: [API_KEY] })
    checkAnswers(await callEverything(clientFor(mock, { apiKey: API_KEY })))
    checkVerdicts(mock, 'api_key')
  })

  test('with HMAC, unbound body hash (the service: compat mode)', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET, auth: 'compat' })
    checkAnswers(await callEverything(clientFor(mock, { hmacSecret: SECRET })))
    checkVerdicts(mock, 'hmac', 'unbound')
    // Every signed request has its own nonce.
    const nonces = mock.journal().flatMap((e) => (e.nonce ? [e.nonce] : []))
    assert.equal(new Set(nonces).size, nonces.length)
  })

  test('with HMAC, sha256 body hash (strict mode)', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET, auth: 'strict' })
    checkAnswers(await callEverything(clientFor(mock, { hmacSecret: SECRET, bodyHash: 'sha256' })))
    checkVerdicts(mock, 'hmac', 'sha256')
  })
})

describe('authentication failures are API errors', () => {
  test('a wrong API key: 403 FORBIDDEN, not retried', async (t) => {
    const mock = await startMock(t, { apiKeys: [API_KEY] })
    const client = clientFor(mock, { apiKey: 'wrong-key' })
    const err = await client.limits().catch((e) => e)
    assert.ok(err instanceof OlumiAuthenticationError, String(err))
    assert.equal(err.statusCode, 403)
    assert.equal(err.code, 'FORBIDDEN')
    assert.equal(err.category, 'authentication')
    assert.equal(err.isRetryable(), false)
    assert.equal(requestsTo(mock, '/v1/limits').length, 1)
  })

  test('a wrong HMAC secret: 403 INVALID_SIGNATURE', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const err = await clientFor(mock, { hmacSecret: 'other-secret' })
      .draftGraph({ brief: BRIEF })
      .catch((e) => e)
    assert.ok(err instanceof OlumiSignatureError && err instanceof OlumiAuthenticationError)
    assert.ok(err instanceof OlumiAPIError)
    assert.equal(err.code, 'INVALID_SIGNATURE')
    assert.equal(err.category, 'signature')
  })

  test('sha256 signatures against the compat (service) mode are rejected; unbound ones pass', async (t) => {
    // The old SDK's failure 1: it bound the body, which the service cannot check.
    const mock = await startMock(t, { hmacSecret: SECRET, auth: 'compat' })
    const err = await clientFor(mock, { hmacSecret: SECRET, bodyHash: 'sha256' })
      .draftGraph({ brief: BRIEF })
      .catch((e) => e)
    assert.equal(err.statusCode, 403)
    assert.ok(await clientFor(mock, { hmacSecret: SECRET }).draftGraph({ brief: BRIEF }))
  })
})

describe('the old SDK failures, fixed', () => {
  test('a live resume is signed over its query string', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    mock.injectFault('drop-after-events=2,times=1', { path: '/assist/draft-graph/stream' })
    const events = await collect(clientFor(mock, { hmacSecret: SECRET }).streamDraftGraph({ brief: BRIEF }))
    assert.equal(events.at(-1).via, 'resume')
    const [resume] = requestsTo(mock, '/assist/draft-graph/resume')
    assert.equal(resume.target, '/assist/draft-graph/resume?mode=live')
    assert.equal(resume.verdict.kind, 'hmac')
    assert.equal(resume.status, 200)
  })

  test('a bare live resume from a kept token is signed too', async (t) => {
    const mock = await startMock(t, { hmacSecret: SECRET })
    const client = clientFor(mock, { hmacSecret: SECRET })
    const events = await collect(client.streamDraftGraph({ brief: BRIEF }))
    const token = events.find((e) => e.type === 'resume').token
    const resumed = await collect(client.resumeDraftGraph(token, { live: true }))
    assert.equal(resumed.at(-1).type, 'complete')
    assert.equal(resumed.at(-1).via, 'resume')
    const [resume] = requestsTo(mock, '/assist/draft-graph/resume')
    assert.equal(resume.target, '/assist/draft-graph/resume?mode=live')
    assert.equal(resume.verdict.kind, 'hmac')
  })

  test('responses are verified against the 12-hex canonical hash', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock, { maxRetries: 0 })
    assert.ok(await client.status())
    mock.injectFault('corrupt-hash', { path: '/v1/status' })
    await assert.rejects(client.status(), { name: 'OlumiIntegrityError', code: 'ERR_INTEGRITY' })
    // Verification can be turned off.
    assert.ok(await clientFor(mock, { verifyResponseHash: false }).status())
  })

  test('request and response models follow the service (suggest-options, explain-diff)', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock)
    const err = await client.suggestOptions({ graph: {}, question_id: 'q1' }).catch((e) => e)
    assert.equal(err.name, 'OlumiConfigError', 'the old request shape is refused before sending')
    assert.match(err.message, /request.*missing field `goal`/)
    const diff = await client.explainDiff({ patch: EMPTY_PATCH })
    assert.equal(typeof diff.rationales[0].why, 'string')
    assert.equal(requestsTo(mock, '/assist/suggest-options').length, 0)
  })
})

describe('configuration', () => {
  test('bad options are OlumiConfigError, naming the option', () => {
    const cases = [
      [{ baseUrl: 'ftp://x' }, /http or https/],
      [{ baseUrl: 'not a url' }, /base_url/],
      [{ apiKey: '' }, /api_key is empty/],
      [{ hmacSecret: '' }, /HMAC secret is required/],
      [{ hmacSecret: 's', bodyHash: 'md5' }, /body-hash mode/],
      [{ timeout: -1 }, /timeout/],
      [{ timeout: 0 }, /request_timeout/],
      [{ headers: { 'X-Olumi-Signature': 'x' } }, /cannot be overridden/],
      [{ apiKey: 'k', hmacSecret: 's' }, /one authentication method/],
      [{ apiKey: 'k', bodyHash: 'md5' }, /body-hash mode/],
    ]
    for (const [options, message] of cases) {
      assert.throws(() => clientFor({ url: 'http://127.0.0.1:1' }, options), { name: 'OlumiConfigError', message })
    }
  })

  test('secrets never show in inspect output or errors', async (t) => {
    const mock = await startMock(t, { apiKeys: [API_KEY] })
    const keyed = clientFor(mock, { apiKey: 'sk-very-secret-key' })
    const signed = clientFor(mock, { hmacSecret: 'hmac-very-secret' })
    const errors = [
      await keyed.limits().catch((e) => e),
      await signed.limits().catch((e) => e),
      (() => {
        try {
          clientFor(mock, { apiKey: 'sk-very-secret-key', hmacSecret: 'hmac-very-secret' })
        } catch (e) {
          return e
        }
      })(),
    ]
    assert.deepEqual(
      errors.map((e) => [e.name, e.statusCode]),
      [
        ['OlumiAuthenticationError', 403],
        ['OlumiAuthenticationError', 401],
        ['OlumiConfigError', undefined],
      ],
    )
    // The clients themselves are not inspected: they keep their options only in #private fields
    // and the native object, which neither inspect nor JSON can reach, so such a check could not
    // fail. What can carry a secret is checked: the errors (messages, fields, causes) and the
    // journal of what was sent (both requests reached the server).
    const text = errors.map((e) => inspect(e, { showHidden: true, depth: 5 })).join(' ')
    assert.doesNotMatch(text, /very-secret/)
    const journal = mock.journal()
    assert.equal(journal.length, 2)
    assert.deepEqual(
      journal.map((e) => e.headers.find(([name]) => name === 'x-olumi-assist-key' || name === 'x-olumi-signature')),
      [
        ['x-olumi-assist-key', '<redacted>'],
        ['x-olumi-signature', '<redacted>'],
      ],
      'the credentials were sent, and are redacted',
    )
    assert.doesNotMatch(JSON.stringify(journal), /very-secret/)
  })

  test('extra headers are sent on every request', async (t) => {
    const mock = await startMock(t)
    await clientFor(mock, { headers: { 'X-Request-Id': 'my-request-1' } }).status()
    assert.equal(mock.journal()[0].request_id, 'my-request-1')
  })
})
