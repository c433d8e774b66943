// A stage event's payload: handed over as the JSON text the service sent, parsed on first read.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { BRIEF, clientFor, collect, startMock } from '../test-support/helpers.mjs'

const RESULT = {
  graph: { version: '1', default_seed: 17, nodes: [], edges: [] },
  patch: { adds: { nodes: [], edges: [] }, updates: [], removes: [] },
  rationales: [],
}

test('the payload is the text as sent, parsed once when read', async (t) => {
  const mock = await startMock(t)
  const events = await collect(clientFor(mock).streamDraftGraph({ brief: BRIEF }))
  const stages = events.filter((e) => e.type === 'stage')
  assert.equal(stages.length, 2)
  const [first, preview] = stages
  assert.equal(first.rawPayload, null)
  assert.equal(first.payload, null)

  assert.equal(typeof preview.rawPayload, 'string')
  const payload = preview.payload
  assert.deepEqual(payload, JSON.parse(preview.rawPayload))
  assert.equal(payload.graph.nodes.length, 6)
  assert.equal(preview.payload, payload, 'parsed once, then the same object')
  assert.deepEqual(JSON.parse(JSON.stringify(preview)), { type: 'stage', stage: 'DRAFTING', payload })

  // The final result stays fully parsed.
  const done = events.at(-1)
  assert.equal(done.type, 'complete')
  assert.equal(typeof done.result.graph, 'object')
})

test('a payload spread over several data lines, and a stage name with a tab', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'olumi-fixtures-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const fixture = {
    description: 'odd but valid stage events',
    priority: 100,
    match: { method: 'POST', path: '/assist/draft-graph/stream', headers: { 'x-test-case': 'payload-text' } },
    stream: {
      steps: [
        // Data with line feeds: the mock sends one `data:` line each, the client joins them.
        { event: 'stage', data: '{"stage":"DRAFTING",\n"payload":{"a":\n[1, 2.50],\n"s":"x\\ny"}}' },
        { event: 'stage', data: { stage: 'RE\tVIEW', payload: { b: true } } },
        { event: 'stage', data: { stage: 'COMPLETE', payload: RESULT } },
      ],
    },
  }
  writeFileSync(join(dir, 'payload-text.json'), JSON.stringify(fixture))
  const mock = await startMock(t, { fixtures: dir })
  const client = clientFor(mock, { headers: { 'X-Test-Case': 'payload-text' } })
  const events = (await collect(client.streamDraftGraph({ brief: BRIEF }))).filter((e) => e.type !== 'heartbeat')
  assert.deepEqual(
    events.map((e) => e.type),
    ['stage', 'stage', 'complete'],
  )
  const [multiLine, tabbed, done] = events
  assert.deepEqual(multiLine.payload, { a: [1, 2.5], s: 'x\ny' })
  // The text is kept, its line feeds between tokens turned into spaces.
  assert.equal(multiLine.rawPayload, '{"a": [1, 2.50], "s":"x\\ny"}')
  assert.equal(tabbed.stage, 'RE\tVIEW')
  assert.equal(tabbed.rawPayload, '{"b":true}')
  assert.deepEqual(tabbed.payload, { b: true })
  assert.deepEqual(done.result.patch, RESULT.patch)
})
