// The one error mapping: every core error kind to exactly one class and `kind`; retries,
// timeouts and cancellation of plain calls.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import * as sdk from '../index.mjs'
import { BRIEF, clientFor, collect, requestsTo, startMock } from '../test-support/helpers.mjs'

const {
  OlumiAbortError,
  OlumiAPIError,
  OlumiConfigError,
  OlumiDecodeError,
  OlumiError,
  OlumiIntegrityError,
  OlumiInternalError,
  OlumiNetworkError,
  OlumiSignatureRejectedError,
  OlumiStreamError,
  OlumiTimeoutError,
  errorKinds,
  toSdkError,
} = sdk

// ERR_SIGNATURE_REJECTED has no end-to-end test: only a server-side verifier raises it, never
// the client, so the table test below is where its mapping is checked.
const EXPECTED = {
  ERR_CONFIG: OlumiConfigError,
  ERR_SIGNATURE_REJECTED: OlumiSignatureRejectedError,
  ERR_INTEGRITY: OlumiIntegrityError,
  ERR_DECODE: OlumiDecodeError,
  ERR_API: OlumiAPIError,
  ERR_NETWORK: OlumiNetworkError,
  ERR_TIMEOUT: OlumiTimeoutError,
  ERR_STREAM: OlumiStreamError,
  ERR_CANCELLED: OlumiAbortError,
  ERR_INTERNAL: OlumiInternalError,
}

const nativeError = (code, fields) =>
  new Error(`${code}: ${JSON.stringify({ message: 'm', retryable: false, ...fields })}`)

describe('the mapping', () => {
  test('every core kind maps to exactly one class, with that kind', () => {
    const kinds = errorKinds()
    assert.deepEqual([...kinds].sort(), Object.keys(EXPECTED).sort(), 'the table covers the core list exactly')
    const classes = new Set()
    for (const kind of kinds) {
      const api = { status: 500, code: 'INTERNAL', message: 'm', category: 'internal' }
      const err = toSdkError(nativeError(kind, kind === 'ERR_API' ? { api } : {}))
      assert.ok(err instanceof EXPECTED[kind], kind)
      assert.ok(err instanceof OlumiError && err instanceof Error, kind)
      assert.equal(err.kind, kind)
      assert.equal(err.constructor.kind, kind)
      if (kind !== 'ERR_API') assert.equal(err.code, kind)
      classes.add(err.constructor)
    }
    assert.equal(classes.size, kinds.length, 'distinct classes')
  })

  test('API errors carry the service fields', () => {
    const err = toSdkError(
      nativeError('ERR_API', {
        message: 'API error 429 RATE_LIMITED: slow down (request id r-1)',
        retryable: true,
        api: {
          status: 429,
          code: 'RATE_LIMITED',
          message: 'slow down',
          category: 'rate_limit',
          details: { retry_after_seconds: 30 },
          requestId: 'r-1',
          retryAfterMs: 30000,
          schema: 'error.v1',
        },
      }),
    )
    assert.equal(err.statusCode, 429)
    assert.equal(err.code, 'RATE_LIMITED')
    assert.equal(err.serviceMessage, 'slow down')
    assert.deepEqual(err.details, { retry_after_seconds: 30 })
    assert.equal(err.requestId, 'r-1')
    assert.equal(err.retryAfter, 30000)
    assert.equal(err.getRetryAfter(), 30000)
    assert.equal(err.category, 'rate_limit')
    assert.equal(err.isRetryable(), true)
    assert.match(err.message, /request id r-1/)
  })

  test('API errors get the subclass of the category the core decided', () => {
    const classes = {
      authentication: sdk.OlumiAuthenticationError,
      signature: sdk.OlumiSignatureError,
      rate_limit: sdk.OlumiRateLimitError,
      bad_request: sdk.OlumiBadRequestError,
      not_found: sdk.OlumiNotFoundError,
      internal: sdk.OlumiInternalServerError,
      other: OlumiAPIError,
    }
    for (const [category, cls] of Object.entries(classes)) {
      const err = toSdkError(nativeError('ERR_API', { api: { status: 499, code: 'X', message: 'm', category } }))
      assert.equal(err.constructor, cls, category)
      assert.ok(err instanceof OlumiAPIError)
      assert.equal(err.kind, 'ERR_API')
    }
    assert.ok(new sdk.OlumiSignatureError(403) instanceof sdk.OlumiAuthenticationError)
  })

  test('anything that is not a native SDK error passes through unchanged', () => {
    const plain = new TypeError('boom')
    assert.equal(toSdkError(plain), plain)
    assert.equal(toSdkError(undefined), undefined)
    const mapped = new OlumiConfigError('x')
    assert.equal(toSdkError(mapped), mapped)
  })

  test("the old SDK's constructors still work", () => {
    const api = new OlumiAPIError(503, { code: 'INTERNAL', message: 'down', request_id: 'r' })
    assert.equal(api.statusCode, 503)
    assert.equal(api.code, 'INTERNAL')
    assert.equal(api.requestId, 'r')
    assert.equal(api.message, 'down')
    assert.equal(new OlumiNetworkError('t', { timeout: true }).isTimeout, true)
    assert.equal(new OlumiConfigError('API key is required').message, 'API key is required')
    assert.equal(new OlumiTimeoutError('late').isTimeout, true)
  })
})

describe('each kind, for real', () => {
  test('ERR_CONFIG: a bad option', () => {
    assert.throws(() => new sdk.OlumiClient({ baseUrl: 'nope' }), OlumiConfigError)
  })

  test('ERR_API: the service refused', async (t) => {
    const mock = await startMock(t)
    const err = await clientFor(mock)
      .draftGraph({ brief: 'short' })
      .catch((e) => e)
    assert.ok(err instanceof sdk.OlumiBadRequestError)
    assert.equal(err.statusCode, 400)
    assert.equal(err.code, 'BAD_INPUT')
    assert.equal(err.kind, 'ERR_API')
    assert.equal(err.category, 'bad_request')
    assert.equal(typeof err.requestId, 'string')
  })

  test('ERR_INTEGRITY: the body does not match its hash (not retried forever)', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('corrupt-hash', { path: '/v1/status' })
    const err = await clientFor(mock, { maxRetries: 1 })
      .status()
      .catch((e) => e)
    assert.ok(err instanceof OlumiIntegrityError, String(err))
    assert.equal(err.isRetryable(), true)
    assert.equal(requestsTo(mock, '/v1/status').length, 2, 'retried once')
  })

  test('ERR_DECODE: a body that is not JSON', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('truncate-body', { path: '/v1/status' })
    const err = await clientFor(mock, { maxRetries: 0, verifyResponseHash: false })
      .status()
      .catch((e) => e)
    assert.ok(err instanceof OlumiDecodeError, String(err))
    assert.throws(() => sdk.canonicalJson('{"a":'), OlumiDecodeError)
  })

  test('ERR_NETWORK: nothing listens', async () => {
    const err = await new sdk.OlumiClient({ baseUrl: 'http://127.0.0.1:1', maxRetries: 0 }).status().catch((e) => e)
    assert.ok(err instanceof OlumiNetworkError, String(err))
    assert.equal(err.isTimeout, false)
    assert.equal(err.isRetryable(), true)
  })

  test('ERR_TIMEOUT: the per-call timeout', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-headers-ms=2000', { path: '/v1/status' })
    const started = Date.now()
    const err = await clientFor(mock)
      .status({ timeout: 150 })
      .catch((e) => e)
    assert.ok(err instanceof OlumiTimeoutError, String(err))
    assert.ok(err instanceof OlumiNetworkError, 'a timeout is a network error, as in the old SDK')
    assert.equal(err.isTimeout, true)
    assert.equal(err.isRetryable(), false, 'the call deadline is final')
    assert.ok(Date.now() - started < 1500)
  })

  test('ERR_TIMEOUT: the client timeout of one exchange', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-headers-ms=2000', { path: '/v1/status' })
    const err = await clientFor(mock, { timeout: 150, maxRetries: 0 })
      .status()
      .catch((e) => e)
    assert.ok(err instanceof OlumiTimeoutError, String(err))
    assert.equal(err.isRetryable(), true)
  })

  test('ERR_STREAM: an event the core cannot decode (definitive: no resume, no fallback)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'olumi-fixtures-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const fixture = {
      description: 'a stage event whose data is not a stage object',
      priority: 100,
      match: { method: 'POST', path: '/assist/draft-graph/stream', headers: { 'x-test-case': 'malformed' } },
      stream: { steps: [{ event: 'stage', data: 'not a stage' }] },
    }
    writeFileSync(join(dir, 'malformed-stream.json'), JSON.stringify(fixture))
    const mock = await startMock(t, { fixtures: dir })
    const client = clientFor(mock, { headers: { 'X-Test-Case': 'malformed' } })
    const err = await collect(client.streamDraftGraph({ brief: BRIEF })).catch((e) => e)
    assert.ok(err instanceof OlumiStreamError, String(err))
    assert.equal(err.kind, 'ERR_STREAM')
    assert.match(err.message, /malformed stage event/)
    assert.equal(requestsTo(mock, '/assist/draft-graph').length, 0)
  })

  test('ERR_CANCELLED: an aborted call', async (t) => {
    const mock = await startMock(t)
    const err = await clientFor(mock)
      .status({ signal: AbortSignal.abort() })
      .catch((e) => e)
    assert.ok(err instanceof OlumiAbortError)
    assert.equal(err.code, 'ERR_CANCELLED')
    assert.equal(mock.journal().length, 0, 'nothing was sent')
  })
})

describe('every native entry point maps its errors', () => {
  test('MockServer.start and injectFault: OlumiConfigError', async (t) => {
    await assert.rejects(sdk.MockServer.start({ auth: 'bogus' }), {
      name: 'OlumiConfigError',
      message: /unknown auth mode/,
    })
    const mock = await startMock(t)
    assert.throws(() => mock.injectFault('bogus=1'), { name: 'OlumiConfigError', message: /unknown fault `bogus`/ })
  })

  test('a native layer that fails with ERR_CONFIG: each wrapper rethrows OlumiConfigError', async (t) => {
    // The native layer is stubbed here so that every wrapper is shown to map what it throws or
    // rejects with, including calls that cannot fail for real input.
    const native = createRequire(import.meta.url)('../native.js')
    const fail = () => {
      throw nativeError('ERR_CONFIG', { message: 'invalid configuration: stubbed' })
    }
    const stubs = {
      Client: class {
        constructor() {
          fail()
        }
      },
      SseDecoder: class {
        constructor(options) {
          if (options?.maxLineLen === -1) fail()
        }
        feed() {
          fail()
        }
      },
      MockServer: { start: async () => fail() },
      canonicalJson: fail,
      responseHash: fail,
      verifyResponseHash: fail,
      sign: fail,
    }
    const saved = Object.fromEntries(Object.keys(stubs).map((name) => [name, native[name]]))
    Object.assign(native, stubs)
    t.after(() => Object.assign(native, saved))
    const config = { name: 'OlumiConfigError', message: /stubbed/ }
    assert.throws(() => new sdk.SseDecoder({ maxLineLen: -1 }), config)
    assert.throws(() => new sdk.SseDecoder().feed('data: x\n\n'), config)
    assert.throws(() => new sdk.OlumiClient(), config)
    await assert.rejects(sdk.MockServer.start(), config)
    assert.throws(() => sdk.canonicalJson('{}'), config)
    assert.throws(() => sdk.responseHash('{}'), config)
    assert.throws(() => sdk.verifyResponseHash('{}', '000000000000'), config)
    assert.throws(() => sdk.sign('GET', '/v1/status', '', { secret: 's' }), config)
  })
})

describe('retries and cancellation of plain calls', () => {
  test('two 503s, then the answer: the journal shows the retries', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('status=503,times=2', { path: '/assist/draft-graph' })
    const draft = await clientFor(mock).draftGraph({ brief: BRIEF })
    assert.ok(draft.graph.nodes.length > 0)
    assert.deepEqual(
      requestsTo(mock, '/assist/draft-graph').map((e) => e.status),
      [503, 503, 200],
    )
  })

  test('a 429 with Retry-After: the client waits as asked', async (t) => {
    // The old SDK's failure 6: no retries, Retry-After never read.
    const mock = await startMock(t)
    mock.injectFault('status=429,retry-after=1,times=1', { path: '/v1/status' })
    await clientFor(mock).status()
    const [first, second] = requestsTo(mock, '/v1/status')
    assert.deepEqual([first.status, second.status], [429, 200])
    assert.ok(second.since_start_ms - first.since_start_ms >= 950, `${second.since_start_ms - first.since_start_ms} ms`)
  })

  test('retries exhausted: the last error, with its retry hint', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('status=503', { path: '/v1/status' })
    const err = await clientFor(mock, { maxRetries: 1 })
      .status()
      .catch((e) => e)
    assert.equal(err.statusCode, 503)
    assert.equal(err.isRetryable(), true)
    assert.equal(requestsTo(mock, '/v1/status').length, 2)
  })

  test('an AbortSignal cancels a slow request at once', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-headers-ms=3000', { path: '/assist/draft-graph' })
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 100)
    const err = await clientFor(mock)
      .draftGraph({ brief: BRIEF }, { signal: controller.signal })
      .catch((e) => e)
    assert.ok(err instanceof OlumiAbortError, String(err))
    assert.equal(err.kind, 'ERR_CANCELLED')
    assert.ok(Date.now() - started < 1000, 'cancelled without waiting for the answer')
  })

  test('a signal that never fires changes nothing', async (t) => {
    const mock = await startMock(t)
    const controller = new AbortController()
    assert.ok(await clientFor(mock).status({ signal: controller.signal }))
  })
})
