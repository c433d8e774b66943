// No secret, API key or signature in util.inspect, String() or JSON of clients, streams, errors,
// journal entries or the mock. The Rust suite (mock-server/tests/secrets.rs, cli.rs) checks the
// core's Debug and Display and the mock's logs at trace level; the Python suite checks repr/str.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inspect } from 'node:util'

import { OlumiAPIError, OlumiClient, OlumiError } from '../index.mjs'
import { BRIEF, collect, startMock } from '../test-support/helpers.mjs'

const HMAC_SECRET = 'hmac-secret-8d1f3c5e7a9b'
const API_KEY = 'api-key-2e4a6c8d0f1b'
const SECRETS = [HMAC_SECRET, API_KEY, `${HMAC_SECRET}-wrong`, `${API_KEY}-wrong`]

const textsOf = (value) => [inspect(value, { depth: 8, showHidden: true }), String(value)]

test('no secret in inspect, String or JSON of clients, streams, errors, journal and mock', async (t) => {
  const mock = await startMock(t, { hmacSecret: HMAC_SECRET, apiKeys: [API_KEY], heartbeatMs: 50 })
  const texts = [...textsOf(mock)]
  const clients = [
    new OlumiClient({ baseUrl: mock.url, hmacSecret: HMAC_SECRET, maxRetries: 0, streamIdleTimeout: 300 }),
    new OlumiClient({ baseUrl: mock.url, apiKey: API_KEY, maxRetries: 0 }),
    new OlumiClient({ baseUrl: mock.url, bearerToken: API_KEY, maxRetries: 0 }),
  ]
  for (const client of clients) {
    texts.push(...textsOf(client))
    texts.push(...textsOf(await client.limits()))
  }
  const stream = clients[0].draftGraphStream({ brief: BRIEF })
  texts.push(...textsOf(stream))
  for (const event of await collect(stream)) texts.push(...textsOf(event), JSON.stringify(event))
  texts.push(...textsOf(stream.summary))

  const errors = []
  for (const options of [{ hmacSecret: `${HMAC_SECRET}-wrong` }, { apiKey: `${API_KEY}-wrong` }]) {
    const wrong = new OlumiClient({ baseUrl: mock.url, maxRetries: 0, ...options })
    errors.push(await wrong.limits().catch((e) => e))
  }
  assert.ok(errors.every((e) => e instanceof OlumiAPIError))
  try {
    new OlumiClient({ baseUrl: mock.url, apiKey: `${API_KEY}-wrong\n` })
    assert.fail('a key with a newline is refused')
  } catch (error) {
    errors.push(error)
  }
  mock.injectFault('corrupt-hash', { path: '/v1/limits' })
  errors.push(await clients[0].limits().catch((e) => e))
  mock.injectFault('stall', { path: '/assist/draft-graph/resume' })
  errors.push(await collect(clients[0].resumeDraftGraph('not-a-token')).catch((e) => e))
  assert.ok(
    errors.every((e) => e instanceof OlumiError),
    errors.map((e) => e.name),
  )
  for (const error of errors) texts.push(...textsOf(error), JSON.stringify(error), error.stack)

  const journal = mock.journal()
  assert.ok(journal.length >= 8, `${journal.length} entries`)
  texts.push(...textsOf(journal), JSON.stringify(journal))

  assert.ok(texts.length > 30)
  for (const text of texts) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} shown in ${text}`)
  }
})
