// Every case of the shared vectors in tests/vectors/, through the native core.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { canonicalJson, responseHash, SseDecoder, sign, verifyResponseHash } from '../index.mjs'
import { vectors } from '../test-support/helpers.mjs'

function bodyOf(c) {
  if (c.body !== null) return c.body
  const r = c.body_repeat
  return r.prefix + r.char.repeat(r.count) + r.suffix
}

describe('signing vectors', () => {
  const modes = [
    ['unbound', 'server_effective'],
    ['sha256', 'body_bound'],
  ]
  // The legacy form (no timestamp, no nonce) is accepted by verifiers but never sent by clients, so
  // `sign` cannot produce it; the Rust verifier's vector test covers it.
  const timestamped = vectors('signing').filter((c) => c.timestamp !== null)
  test('the vector file has its timestamped cases', () => assert.ok(timestamped.length >= 7))
  for (const c of timestamped) {
    for (const [bodyHash, key] of modes) {
      test(`${c.name} (${bodyHash})`, () => {
        const headers = sign(c.method, c.path, bodyOf(c), {
          secret: c.secret,
          timestamp: Number(c.timestamp),
          nonce: c.nonce,
          bodyHash,
        })
        assert.deepEqual(headers, {
          'X-Olumi-Signature': c[key].signature,
          'X-Olumi-Timestamp': c.timestamp,
          'X-Olumi-Nonce': c.nonce,
        })
        // Bytes give the same signature as text.
        const bytes = sign(c.method, c.path, Buffer.from(bodyOf(c)), {
          secret: c.secret,
          timestamp: Number(c.timestamp),
          nonce: c.nonce,
          bodyHash,
        })
        assert.equal(bytes['X-Olumi-Signature'], c[key].signature)
      })
    }
  }
})

describe('response-hash vectors', () => {
  for (const c of vectors('response-hash')) {
    test(c.name, () => {
      assert.equal(canonicalJson(c.raw_body), c.canonical)
      assert.equal(responseHash(c.raw_body), c.hash12)
      assert.equal(verifyResponseHash(c.raw_body, c.hash12), true, '12-hex canonical form')
      assert.equal(verifyResponseHash(Buffer.from(c.raw_body), c.raw_body_sha256), true, '64-hex raw form')
      const wrong = c.hash12.replace(/^./, (ch) => (ch === '0' ? '1' : '0'))
      assert.equal(verifyResponseHash(c.raw_body, wrong), false, 'a changed hash fails')
      assert.equal(verifyResponseHash(c.raw_body, c.hash12.slice(1)), false, 'a malformed hash fails')
    })
  }
})

function expected(c) {
  return c.expected.map(({ kind, ...rest }) => ({ type: kind, ...rest }))
}

describe('canonicalJson and responseHash inputs', () => {
  test('text and bytes are JSON already; other values are serialised; undefined is refused', () => {
    const canonical = '{"a":[2],"b":1}'
    assert.equal(canonicalJson('{"b":1,"a":[2]}'), canonical)
    assert.equal(canonicalJson(Buffer.from('{"b":1,"a":[2]}')), canonical)
    assert.equal(canonicalJson({ b: 1, a: [2] }), canonical)
    assert.equal(canonicalJson(null), 'null')
    assert.equal(responseHash({ b: 1, a: [2] }), responseHash(canonical))
    // No JSON text exists for undefined: no hash of a made-up `null`.
    assert.throws(() => canonicalJson(undefined))
    assert.throws(() => responseHash(undefined))
  })
})

describe('sse vectors', () => {
  for (const c of vectors('sse')) {
    test(c.name, () => {
      const whole = new SseDecoder()
      assert.deepEqual(whole.feed(c.input), expected(c), 'one chunk')
      // Any chunking gives the same items: one byte at a time.
      const bytes = Buffer.from(c.input)
      const byByte = new SseDecoder()
      const items = []
      for (let i = 0; i < bytes.length; i++) items.push(...byByte.feed(bytes.subarray(i, i + 1)))
      assert.deepEqual(items, expected(c), 'byte by byte')
      // Every vector ends with its last event's blank line, or mid-line: nothing else is pending.
      const pending = { partialLine: !/[\r\n]$/.test(c.input), pendingEvent: false }
      assert.deepEqual(whole.finish(), pending, 'pending after one chunk')
      assert.deepEqual(byByte.finish(), pending, 'pending after byte by byte')
    })
  }

  test('finish reports a truncated event', () => {
    const decoder = new SseDecoder()
    assert.deepEqual(decoder.feed('id: 7\ndata: x\n\ndata: cut'), [
      { type: 'event', event: 'message', data: 'x', id: '7' },
    ])
    assert.equal(decoder.lastEventId, '7')
    assert.deepEqual(decoder.finish(), { partialLine: true, pendingEvent: false })
    decoder.reset()
    assert.equal(decoder.lastEventId, null)
  })

  test('finish reports an event without its blank line, then starts afresh', () => {
    const decoder = new SseDecoder()
    assert.deepEqual(decoder.feed('data: x\n'), [])
    assert.deepEqual(decoder.finish(), { partialLine: false, pendingEvent: true })
    assert.deepEqual(decoder.finish(), { partialLine: false, pendingEvent: false }, 'the pending event was dropped')
    assert.deepEqual(decoder.feed('data: y\n\n'), [{ type: 'event', event: 'message', data: 'y', id: null }])
  })

  test('a line over the limit is an error item, and the decoder goes on', () => {
    const decoder = new SseDecoder({ maxLineLen: 16 })
    const items = decoder.feed(`data: ${'x'.repeat(40)}\n\ndata: ok\n\n`)
    assert.equal(items[0].type, 'error')
    assert.match(items[0].message, /limit/)
    assert.deepEqual(items[1], { type: 'event', event: 'message', data: 'ok', id: null })
  })

  test('limits must be whole numbers of bytes, at least 1', () => {
    for (const [options, option] of [
      [{ maxLineLen: -1 }, 'maxLineLen'],
      [{ maxLineLen: 0 }, 'maxLineLen'],
      [{ maxLineLen: 1.5 }, 'maxLineLen'],
      [{ maxEventSize: 2 ** 40 }, 'maxEventSize'],
    ]) {
      assert.throws(() => new SseDecoder(options), {
        name: 'OlumiConfigError',
        message: new RegExp(`${option}: expected a whole number of bytes`),
      })
    }
  })
})

describe('the sign helper beyond the vectors', () => {
  const options = { secret: 'test-hmac-secret', timestamp: 1_700_000_000_000, nonce: 'n-1' }

  test('no secret: the old SDK error', () => {
    for (const secret of ['', undefined]) {
      assert.throws(() => sign('GET', '/v1/status', '', { ...options, secret }), {
        name: 'OlumiConfigError',
        message: /HMAC secret is required/,
      })
    }
  })

  test('a body that is neither text nor bytes is refused in both modes', () => {
    for (const bodyHash of ['unbound', 'sha256']) {
      for (const body of [42, { brief: 'x' }, ['x']]) {
        assert.throws(() => sign('POST', '/assist/draft-graph', body, { ...options, bodyHash }), {
          name: 'OlumiConfigError',
          message: /body: expected a string or a Uint8Array/,
        })
      }
    }
  })

  test('unbound ignores the body; sha256 covers it', () => {
    const signature = (body, bodyHash) =>
      sign('POST', '/assist/draft-graph', body, { ...options, bodyHash })['X-Olumi-Signature']
    assert.equal(signature('{"a":1}', 'unbound'), signature('{"a":2}', 'unbound'))
    assert.equal(signature('{"a":1}', 'unbound'), signature(undefined, 'unbound'))
    assert.notEqual(signature('{"a":1}', 'sha256'), signature('{"a":2}', 'sha256'))
    assert.equal(signature('{"a":1}', 'sha256'), signature(Buffer.from('{"a":1}'), 'sha256'))
    assert.equal(signature('', 'sha256'), signature(null, 'sha256'), 'an empty body hashes to nothing')
  })

  test('defaults: a fresh UUID v4 nonce and the current time', () => {
    const before = Date.now()
    const a = sign('GET', '/v1/status', undefined, { secret: 's' })
    const b = sign('GET', '/v1/status', undefined, { secret: 's' })
    assert.match(a['X-Olumi-Nonce'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.notEqual(a['X-Olumi-Nonce'], b['X-Olumi-Nonce'])
    const timestamp = Number(a['X-Olumi-Timestamp'])
    assert.ok(timestamp >= before && timestamp <= Date.now(), `${timestamp}`)
  })
})
