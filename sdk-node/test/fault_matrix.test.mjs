// The fault matrix (tests/faults/matrix.json): every row against an in-process mock server.
// The Rust (sdk-core/tests/fault_matrix.rs) and Python (sdk-python/tests/test_fault_matrix.py)
// suites run the same rows and expect the same outcome, events and journal. The row format is in
// tests/faults/README.md.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { OlumiAPIError, OlumiError } from '../index.mjs'
import { BRIEF, clientFor, SECRET, startMock } from '../test-support/helpers.mjs'

const MATRIX = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'faults', 'matrix.json')

// The fields a row may have, at each level: anything else fails the run (a typo must not pass).
const ROW_FIELDS = ['name', 'route', 'request', 'faults', 'client', 'mock', 'cancel_after_events', 'expect']
const FAULT_FIELDS = ['spec', 'path']
const CLIENT_FIELDS = ['timeout_ms', 'stream_idle_timeout_ms', 'max_retries', 'verify_response_hash']
const MOCK_FIELDS = ['resume_state', 'quirks', 'heartbeat_ms']
const EXPECT_FIELDS = ['outcome', 'error', 'events', 'attempts']
const ERROR_FIELDS = ['kind', 'code', 'status']
const ATTEMPT_FIELDS = ['min', 'max', 'statuses', 'min_wait_ms']
const OUTCOMES = ['stream', 'resume', 'fallback', 'ok', 'error', 'cancelled']
const ROUTES = ['draft_graph_stream', 'draft_graph', 'health', 'status', 'limits']

function checkFields(where, value, allowed, required = []) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${where}: expected an object`)
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k))
  if (unknown.length > 0) throw new Error(`${where}: unknown field(s) ${unknown.join(', ')}`)
  const missing = required.filter((k) => !(k in value))
  if (missing.length > 0) throw new Error(`${where}: missing field(s) ${missing.join(', ')}`)
}

/** The rows of `matrix`, after checking every field name and the closed values. */
export function validate(matrix) {
  checkFields('matrix', matrix, ['comment', 'rows'], ['rows'])
  for (const row of matrix.rows) {
    const where = `row ${JSON.stringify(row.name)}`
    checkFields(where, row, ROW_FIELDS, ['name', 'route', 'expect'])
    if (!ROUTES.includes(row.route)) throw new Error(`${where}: unknown route ${row.route}`)
    for (const fault of row.faults ?? []) checkFields(`${where} faults`, fault, FAULT_FIELDS, FAULT_FIELDS)
    checkFields(`${where} client`, row.client ?? {}, CLIENT_FIELDS)
    checkFields(`${where} mock`, row.mock ?? {}, MOCK_FIELDS)
    const expect = row.expect
    checkFields(`${where} expect`, expect, EXPECT_FIELDS, ['outcome', 'events', 'attempts'])
    if (!OUTCOMES.includes(expect.outcome)) throw new Error(`${where}: unknown outcome ${expect.outcome}`)
    if (expect.error !== undefined) checkFields(`${where} expect.error`, expect.error, ERROR_FIELDS, ['kind'])
    for (const [path, bounds] of Object.entries(expect.attempts)) {
      checkFields(`${where} attempts ${path}`, bounds, ATTEMPT_FIELDS, ['min', 'max'])
    }
  }
  return matrix.rows
}

const ROWS = validate(JSON.parse(readFileSync(MATRIX, 'utf8')))

const errorOf = (error) =>
  error instanceof OlumiAPIError
    ? { kind: error.kind, code: error.code, status: error.statusCode }
    : { kind: error.kind, code: null, status: null }

function eventName(event) {
  switch (event.type) {
    case 'stage':
      return `stage:${event.stage}`
    case 'resume':
    case 'complete':
      return event.type
    case 'heartbeat':
      return null
    default:
      return `other:${event.event}`
  }
}

async function runStream(client, body, cancelAfter) {
  const controller = new AbortController()
  const observed = { outcome: null, events: [], error: null }
  const stream = client.draftGraphStream(body, { signal: controller.signal })
  try {
    for await (const event of stream) {
      const name = eventName(event)
      if (name === null) continue
      observed.events.push(name)
      if (event.type === 'complete') observed.outcome = event.via
      else if (observed.events.length === cancelAfter) controller.abort()
    }
  } catch (error) {
    if (!(error instanceof OlumiError)) throw error
    if (error.kind === 'ERR_CANCELLED') observed.outcome = 'cancelled'
    else {
      observed.outcome = 'error'
      observed.error = errorOf(error)
    }
  }
  assert.notEqual(observed.outcome, null, `the stream ended without a final event or an error: ${observed.events}`)
  return observed
}

async function runJson(client, route, body) {
  const calls = {
    draft_graph: () => client.draftGraph(body),
    health: () => client.health(),
    status: () => client.status(),
    limits: () => client.limits(),
  }
  try {
    await calls[route]()
    return { outcome: 'ok', events: [], error: null }
  } catch (error) {
    if (!(error instanceof OlumiError)) throw error
    return { outcome: 'error', events: [], error: errorOf(error) }
  }
}

function problemsOf(row, observed, journal) {
  const expect = row.expect
  const problems = []
  if (observed.outcome !== expect.outcome) {
    problems.push(`outcome ${observed.outcome}, expected ${expect.outcome} (error: ${JSON.stringify(observed.error)})`)
  }
  if (expect.error !== undefined) {
    const got = observed.error
    if (got === null || Object.entries(expect.error).some(([k, v]) => got[k] !== v)) {
      problems.push(`error ${JSON.stringify(got)}, expected ${JSON.stringify(expect.error)}`)
    }
  }
  if (JSON.stringify(observed.events) !== JSON.stringify(expect.events)) {
    problems.push(`events ${JSON.stringify(observed.events)}, expected ${JSON.stringify(expect.events)}`)
  }
  const pathOf = (entry) => entry.target.split('?')[0]
  for (const entry of journal) {
    if (!(pathOf(entry) in expect.attempts)) problems.push(`an unexpected request to ${entry.target}`)
  }
  for (const [path, bounds] of Object.entries(expect.attempts)) {
    const requests = journal.filter((entry) => pathOf(entry) === path)
    if (requests.length < bounds.min || requests.length > bounds.max) {
      problems.push(`${requests.length} requests to ${path}, expected ${bounds.min}..=${bounds.max}`)
    }
    const statuses = requests.map((entry) => entry.status)
    if (bounds.statuses !== undefined && JSON.stringify(statuses) !== JSON.stringify(bounds.statuses)) {
      problems.push(`statuses ${JSON.stringify(statuses)} at ${path}, expected ${JSON.stringify(bounds.statuses)}`)
    }
    if (bounds.min_wait_ms !== undefined && requests.length >= 2) {
      const waited = requests.at(-1).since_start_ms - requests[0].since_start_ms
      if (waited < bounds.min_wait_ms) problems.push(`${waited} ms between the first and last request to ${path}`)
    }
  }
  return problems
}

describe('fault matrix', () => {
  for (const row of ROWS) {
    test(row.name, async (t) => {
      const mock = row.mock ?? {}
      const server = await startMock(t, {
        hmacSecret: SECRET,
        heartbeatMs: mock.heartbeat_ms ?? 50,
        resumeState: mock.resume_state ?? true,
        quirks: mock.quirks ?? false,
      })
      for (const fault of row.faults ?? []) server.injectFault(fault.spec, { path: fault.path })
      const options = row.client ?? {}
      const client = clientFor(server, {
        hmacSecret: SECRET,
        timeout: options.timeout_ms,
        streamIdleTimeout: options.stream_idle_timeout_ms,
        maxRetries: options.max_retries,
        verifyResponseHash: options.verify_response_hash,
      })
      const body = row.request ?? { brief: BRIEF }
      const observed =
        row.route === 'draft_graph_stream'
          ? await runStream(client, body, row.cancel_after_events)
          : await runJson(client, row.route, body)
      const problems = problemsOf(row, observed, server.journal())
      assert.deepEqual(problems, [])
    })
  }
})

describe('fault matrix format', () => {
  const good = { name: 'n', route: 'health', expect: { outcome: 'ok', events: [], attempts: {} } }
  const typos = [
    { fautls: [] },
    { client: { max_retry: 0 } },
    { expect: { outcome: 'ok', events: [], attempts: { '/healthz': { min: 1, max: 1, status: [200] } } } },
    { expect: { outcome: 'okay', events: [], attempts: {} } },
  ]
  for (const typo of typos) {
    test(`an unknown field fails the matrix: ${JSON.stringify(typo)}`, () => {
      assert.deepEqual(validate({ rows: [good] }), [good])
      assert.throws(() => validate({ rows: [{ ...good, ...typo }] }), /unknown/)
    })
  }
})
