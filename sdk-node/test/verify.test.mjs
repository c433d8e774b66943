// Verification against the mock's journal: MockServer.verify, findRequests and journal(since).
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { MockServer, OlumiConfigError } from '../index.mjs'
import { clientFor, startMock } from '../test-support/helpers.mjs'

test('verify counts matching requests and explains the nearest misses', async (t) => {
  const mock = await startMock(t)
  const client = clientFor(mock)
  await client.healthCheck()
  await client.healthCheck()
  await client.status()
  assert.equal(mock.verify({ method: 'GET', path: '/healthz' }, 2), 2)
  assert.equal(mock.verify({ path: '/v1/status', status: 200 }), 1)
  assert.equal(mock.verify({ path: '/assist/draft-graph' }, 0), 0)
  assert.throws(
    () => mock.verify({ method: 'GET', path: '/healthz' }, 3),
    (err) => {
      assert.ok(err instanceof assert.AssertionError)
      assert.match(err.message, /expected exactly 3 requests/)
      assert.match(err.message, /found 2/)
      assert.match(err.message, /GET \/v1\/status -> 200/)
      assert.match(err.message, /path: expected "\/healthz", got "\/v1\/status"/)
      return true
    },
  )
})

test('findRequests and journal(since)', async (t) => {
  const mock = await startMock(t)
  const client = clientFor(mock)
  await client.healthCheck()
  const first = mock.journal().at(-1).seq
  await client.status()
  assert.deepEqual(
    mock.journal(first).map((e) => e.target),
    ['/v1/status'],
  )
  const found = mock.findRequests({ path: '/healthz' })
  assert.deepEqual(
    found.map((e) => e.seq),
    [first],
  )
  assert.equal(found[0].source, 'fixture')
  assert.equal(mock.findRequests().length, 2)
})

test('a bad matcher is an OlumiConfigError naming the field', async (t) => {
  const mock = await startMock(t)
  assert.throws(
    () => mock.verify({ metod: 'GET' }),
    (err) => err instanceof OlumiConfigError && /metod/.test(err.message),
  )
  assert.throws(() => mock.findRequests({ verdict: 'nope' }), OlumiConfigError)
  assert.throws(() => mock.journal(-1), OlumiConfigError)
})

test('record through a proxy, then replay the recording', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'olumi-record-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const upstream = await startMock(t, { hmacSecret: 'upstream-secret' })
  const proxy = await startMock(t, {
    builtinFixtures: false,
    proxyTo: upstream.url,
    upstreamHmacSecret: 'upstream-secret',
    record: dir,
  })
  const live = await clientFor(proxy, { maxRetries: 0 }).requestJson('GET', '/v1/status')
  assert.equal(proxy.verify({ path: '/v1/status', source: 'proxy' }, 1), 1)
  // The proxy signed the forwarded request for the upstream (the client sent no signature).
  assert.equal(upstream.verify({ path: '/v1/status', headers: { 'x-olumi-signature': { contains: '' } } }, 1), 1)
  await proxy.close()
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  assert.deepEqual(files, ['get-v1-status-1.json'])
  assert.ok(!readFileSync(join(dir, files[0]), 'utf8').includes('upstream-secret'))

  const replay = await startMock(t, { builtinFixtures: false, fixtures: dir })
  assert.deepEqual(await clientFor(replay, { maxRetries: 0 }).requestJson('GET', '/v1/status'), live)
  assert.equal(replay.verify({ source: 'fixture' }, 1), 1)
})

test('bad proxy settings are an OlumiConfigError', async () => {
  await assert.rejects(MockServer.start({ proxyTo: 'http://127.0.0.1:1', recordMatch: 'headers' }), OlumiConfigError)
  await assert.rejects(MockServer.start({ upstreamApiKey: 'k' }), OlumiConfigError)
})
