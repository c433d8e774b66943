// A stage event's payload: handed over as the JSON text the service sent, parsed on first read.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { test } from 'node:test'
import { inspect } from 'node:util'

import { OlumiClient } from '../index.mjs'
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
  assert.match(
    inspect(preview, { depth: 4 }),
    /^StageEvent \{\s+type: 'stage',\s+stage: 'DRAFTING',\s+payload: \{\s+graph: /,
  )

  // The final result stays fully parsed.
  const done = events.at(-1)
  assert.equal(done.type, 'complete')
  assert.equal(typeof done.result.graph, 'object')
})

/** A server on 127.0.0.1 answering every request with one fixed event-stream body (bytes the mock cannot send). */
async function sseServer(t, body) {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  return `http://127.0.0.1:${server.address().port}`
}

test('a payload spread over several data lines, and a stage name with a tab', async (t) => {
  const body = [
    // SSE joins the data lines with line feeds: the payload's text holds two.
    'event: stage\ndata: {"stage":"DRAFTING",\ndata: "payload":{"a":\ndata: [1, 2.50], "s":"x\\ny"}}\n\n',
    `event: stage\ndata: ${JSON.stringify({ stage: 'RE\tVIEW', payload: { b: true } })}\n\n`,
    `event: stage\ndata: ${JSON.stringify({ stage: 'COMPLETE', payload: RESULT })}\n\n`,
  ].join('')
  const url = await sseServer(t, body)
  const client = new OlumiClient({ baseUrl: url, apiKey: 'k', maxRetries: 0 })
  const events = (await collect(client.streamDraftGraph({ brief: BRIEF }))).filter((e) => e.type !== 'heartbeat')
  assert.deepEqual(
    events.map((e) => e.type),
    ['stage', 'stage', 'complete'],
  )
  const [multiLine, tabbed, done] = events
  assert.deepEqual(multiLine.payload, { a: [1, 2.5], s: 'x\ny' })
  // The text is kept, its line feeds between tokens turned into spaces (a line feed ends an event in the batch).
  assert.equal(multiLine.rawPayload, '{"a": [1, 2.50], "s":"x\\ny"}')
  assert.equal(tabbed.stage, 'RE\tVIEW')
  assert.equal(tabbed.rawPayload, '{"b":true}')
  assert.deepEqual(tabbed.payload, { b: true })
  assert.deepEqual(done.result.patch, RESULT.patch)
})
