// Shared by the node:test files in ../test/: the in-process mock server and small utilities.
// (Kept outside test/, where `node --test test/` would run it as a test file.)
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { MockServer, OlumiClient } from '../index.mjs'

const here = dirname(fileURLToPath(import.meta.url))

export const SECRET = 'test-hmac-secret'
export const API_KEY = 'test-api-key'
export const BRIEF = 'Should we expand our SaaS product into the European market next year?'

/** A vector file from the repository's shared tests/vectors/. */
export function vectors(name) {
  return JSON.parse(readFileSync(join(here, '..', '..', 'tests', 'vectors', `${name}.json`), 'utf8')).cases
}

/**
 * A mock server on 127.0.0.1 with rate limits off (the suite makes many calls) and a resume
 * secret (streams carry resume tokens), closed when the test `t` ends.
 */
export async function startMock(t, options = {}) {
  const mock = await MockServer.start({ rpm: 0, sseRpm: 0, seed: 7, resumeSecret: 'test-resume-secret', ...options })
  t.after(() => mock.close())
  return mock
}

/**
 * A client for `mock` with the core's default retries (2, backoff from 0.5 s with full jitter,
 * plus any Retry-After the mock sends): tests that need none pass `{ maxRetries: 0 }`.
 */
export function clientFor(mock, options = {}) {
  return new OlumiClient({ baseUrl: mock.url, ...options })
}

/** Journal entries for a path (query ignored). */
export function requestsTo(mock, path) {
  return mock.journal().filter((e) => e.target.split('?')[0] === path)
}

/** Every event of a stream, in order. */
export async function collect(stream) {
  const events = []
  for await (const event of stream) events.push(event)
  return events
}
