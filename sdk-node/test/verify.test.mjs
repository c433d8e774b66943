// Verification against the mock's journal: MockServer.verify, findRequests and journal(since).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { OlumiConfigError } from '../index.mjs'
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
  assert.throws(() => mock.verify({ metod: 'GET' }), (err) => err instanceof OlumiConfigError && /metod/.test(err.message))
  assert.throws(() => mock.findRequests({ verdict: 'nope' }), OlumiConfigError)
  assert.throws(() => mock.journal(-1), OlumiConfigError)
})
