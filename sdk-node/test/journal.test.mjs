// The mock's journal explains a refused signature (rejection: check, detail, expected_canonical),
// so a failing test can print what the mock expected; secrets never appear in it.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { OlumiSignatureError } from '../index.mjs'
import { clientFor, SECRET, startMock } from '../test-support/helpers.mjs'

test('a bad signature is explained with the canonical string the mock expected', async (t) => {
  const mock = await startMock(t, { hmacSecret: SECRET })
  const client = clientFor(mock, { hmacSecret: 'not-the-secret-42', maxRetries: 0 })
  await assert.rejects(client.limits(), OlumiSignatureError)
  const [entry] = mock.journal()
  assert.equal(entry.status, 403)
  assert.equal(entry.rejection.check, 'signature_mismatch')
  assert.match(entry.rejection.detail, /does not match/)
  const nonce = entry.nonce
  const timestamp = entry.headers.find(([name]) => name === 'x-olumi-timestamp')[1]
  assert.equal(entry.rejection.expected_canonical, `GET\n/v1/limits\n${timestamp}\n${nonce}\n`)
  assert.doesNotMatch(JSON.stringify(entry), /not-the-secret-42/)
  assert.equal(typeof entry.latency_ms, 'number')
})

test('a good request has no rejection', async (t) => {
  const mock = await startMock(t, { hmacSecret: SECRET })
  await clientFor(mock, { hmacSecret: SECRET }).limits()
  assert.equal(mock.journal()[0].rejection, null)
})

test('the in-process mock serves the dashboard', async (t) => {
  const mock = await startMock(t)
  const page = await fetch(`${mock.url}/__admin/ui`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type'), /^text\/html/)
  assert.match(await page.text(), /\/__admin\/events/)
  assert.equal(mock.journal().length, 0, 'admin requests are not journaled')
})
