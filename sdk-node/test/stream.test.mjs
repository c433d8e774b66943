// The resilient draft-graph stream: the Rust core's contract, seen from JS.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { OlumiAbortError, OlumiAPIError, OlumiStreamError } from '../index.mjs'
import { BRIEF, clientFor, collect, requestsTo, startMock } from '../test-support/helpers.mjs'

const STREAM = '/assist/draft-graph/stream'
const RESUME = '/assist/draft-graph/resume'
const DRAFT = '/assist/draft-graph'

/** The non-heartbeat event types, which must never repeat an event. */
const shape = (events) =>
  events.filter((e) => e.type !== 'heartbeat').map((e) => (e.type === 'stage' ? `stage:${e.stage}` : e.type))

const FULL = ['stage:DRAFTING', 'resume', 'stage:DRAFTING', 'complete']

const DONE = { value: undefined, done: true }

describe('stream faults', () => {
  test('no fault: completes via the stream', async (t) => {
    const mock = await startMock(t, { heartbeatMs: 50 })
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF })
    assert.equal(stream.summary, null, 'nothing before the iteration')
    const events = await collect(stream)
    assert.deepEqual(shape(events), FULL)
    const done = events.at(-1)
    assert.equal(done.via, 'stream')
    assert.equal(done.summary.events, 4)
    assert.equal(done.summary.resumes, 0)
    assert.equal(done.summary.fallback, false)
    assert.ok(
      events.some((e) => e.type === 'heartbeat'),
      'heartbeats are delivered',
    )
    assert.equal(stream.summary.heartbeats, events.filter((e) => e.type === 'heartbeat').length)
    assert.equal(stream.summary.events, 4)
  })

  test('a drop after 2 events: one live resume, no event twice', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('drop-after-events=2,times=1', { path: STREAM })
    const events = await collect(clientFor(mock).streamDraftGraph({ brief: BRIEF }))
    assert.deepEqual(shape(events), FULL)
    const done = events.at(-1)
    assert.equal(done.via, 'resume')
    assert.equal(done.summary.resumes, 1)
    assert.equal(done.summary.firstFailure.leg, 'stream')
    assert.equal(requestsTo(mock, RESUME)[0].target, `${RESUME}?mode=live`)
    assert.equal(requestsTo(mock, DRAFT).length, 0, 'no fallback')
  })

  test('a stall: the idle timeout (streamIdleTimeout) triggers the resume', async (t) => {
    const mock = await startMock(t, { heartbeatMs: 10_000 })
    mock.injectFault('stall-after-events=2,times=1', { path: STREAM })
    const started = Date.now()
    const events = await collect(clientFor(mock, { streamIdleTimeout: 300 }).streamDraftGraph({ brief: BRIEF }))
    assert.deepEqual(shape(events), FULL)
    assert.equal(events.at(-1).via, 'resume')
    assert.match(events.at(-1).summary.firstFailure.reason, /no data/)
    assert.ok(Date.now() - started < 5000)
  })

  test('426 on resume (no stream state): one fallback to the JSON route', async (t) => {
    // The old SDK's failure 5: it threw the 426 instead of falling back.
    const mock = await startMock(t, { resumeState: false })
    mock.injectFault('drop-after-events=2,times=1', { path: STREAM })
    const events = await collect(clientFor(mock).streamDraftGraph({ brief: BRIEF }))
    const done = events.at(-1)
    assert.equal(done.type, 'complete')
    assert.equal(done.via, 'fallback')
    assert.match(done.summary.resumeFailure.reason, /426/)
    assert.equal(done.summary.fallback, true)
    assert.ok(done.result.graph.nodes.length > 0)
    assert.deepEqual(
      requestsTo(mock, RESUME).map((e) => e.status),
      [426],
    )
    assert.equal(requestsTo(mock, DRAFT).length, 1)
  })

  test('a reset during the resume: one fallback', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('drop-after-events=2,times=1', { path: STREAM })
    mock.injectFault('reset,times=1', { path: RESUME })
    const events = await collect(clientFor(mock).streamDraftGraph({ brief: BRIEF }))
    const done = events.at(-1)
    assert.equal(done.via, 'fallback')
    assert.equal(done.summary.resumeFailure.leg, 'resume')
    assert.equal(requestsTo(mock, DRAFT).length, 1)
  })

  test('invalid input answers 400 as SSE: an OlumiAPIError, no resume, no fallback', async (t) => {
    const mock = await startMock(t)
    const stream = clientFor(mock).streamDraftGraph({ brief: 'too short' })
    const seen = []
    const err = await (async () => {
      for await (const event of stream) seen.push(event.type)
    })().catch((e) => e)
    assert.ok(err instanceof OlumiAPIError, String(err))
    assert.equal(err.category, 'bad_request')
    assert.equal(err.statusCode, 400)
    assert.equal(err.code, 'BAD_INPUT')
    assert.equal(err.isRetryable(), false)
    assert.equal(requestsTo(mock, RESUME).length + requestsTo(mock, DRAFT).length, 0)
  })

  test('an unknown resume token: 401, and a bare resume has nothing to fall back to', async (t) => {
    const mock = await startMock(t)
    const err = await collect(clientFor(mock).resumeDraftGraph('not-a-token')).catch((e) => e)
    assert.ok(err instanceof OlumiAPIError, String(err))
    assert.equal(err.statusCode, 401)
    assert.equal(requestsTo(mock, DRAFT).length, 0)
  })

  test('a resume that stalls fails with OlumiStreamError (idle timeout)', async (t) => {
    const mock = await startMock(t, { heartbeatMs: 10_000 })
    const client = clientFor(mock, { streamIdleTimeout: 200 })
    const events = await collect(client.streamDraftGraph({ brief: BRIEF }))
    const token = events.find((e) => e.type === 'resume').token
    mock.injectFault('stall,times=1', { path: RESUME })
    const err = await collect(client.resumeDraftGraph(token)).catch((e) => e)
    assert.ok(err instanceof OlumiStreamError, String(err))
    assert.match(err.message, /no data/)
    assert.equal(err.code, 'ERR_STREAM')
    assert.equal(err.isRetryable(), true)
  })

  test('replay-mode resume of a finished stream', async (t) => {
    const mock = await startMock(t)
    const client = clientFor(mock)
    const events = await collect(client.streamDraftGraph({ brief: BRIEF }))
    const token = events.find((e) => e.type === 'resume').token
    const replayed = await collect(client.resumeDraftGraph(token, { live: false }))
    assert.equal(replayed.at(-1).type, 'complete')
    assert.equal(requestsTo(mock, RESUME)[0].target, RESUME)
  })
})

describe('closing and aborting', () => {
  test('breaking out of for-await closes the stream', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-events-ms=200', { path: STREAM })
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF })
    for await (const event of stream) {
      assert.equal(event.type, 'stage')
      break
    }
    assert.equal(stream.summary.events, 1)
    assert.equal(stream.summary.fallback, false)
    await assert.rejects(collect(stream), { name: 'OlumiStreamError', message: /only once/ })
  })

  test('return() while the stream is still opening: the open is cancelled, nothing is delivered', async (t) => {
    // The old bug: return() closed only an opened stream, so an open in flight completed
    // afterwards and its stream ran on, its events read into a stream already returned.
    const mock = await startMock(t)
    mock.injectFault('delay-headers-ms=600', { path: STREAM })
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF })
    const iterator = stream[Symbol.asyncIterator]()
    const pending = iterator.next()
    await sleep(100) // the request is in flight, its answer held back
    const started = Date.now()
    assert.deepEqual(await iterator.return(), DONE)
    assert.deepEqual(await pending, DONE, 'the next() in flight ends the iteration, with no event and no error')
    assert.ok(Date.now() - started < 400, 'without waiting for the answer')
    assert.deepEqual(await iterator.next(), DONE, 'and so does every later next()')
    await sleep(900) // past the held-back answer: a stream left open would have read its events
    assert.ok(stream.summary === null || stream.summary.events === 0, JSON.stringify(stream.summary))
    assert.equal(requestsTo(mock, RESUME).length + requestsTo(mock, DRAFT).length, 0, 'no recovery either')
  })

  test('return() before the first event of an open stream closes it', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-events-ms=400', { path: STREAM })
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF })
    const iterator = stream[Symbol.asyncIterator]()
    const pending = iterator.next()
    await sleep(150) // opened (headers at once), the first event held back
    assert.deepEqual(await iterator.return(), DONE)
    assert.deepEqual(await pending, DONE)
    assert.deepEqual(await iterator.next(), DONE)
    await sleep(600) // past the first event's delay
    assert.ok(stream.summary === null || stream.summary.events === 0, JSON.stringify(stream.summary))
    assert.equal(requestsTo(mock, RESUME).length + requestsTo(mock, DRAFT).length, 0)
  })

  test('next() after a finished stream: done, no error', async (t) => {
    const mock = await startMock(t)
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF })
    const iterator = stream[Symbol.asyncIterator]()
    let result = await iterator.next()
    while (!result.done) result = await iterator.next()
    assert.deepEqual(await iterator.next(), DONE)
    assert.deepEqual(await iterator.return(), DONE)
    assert.equal(stream.summary.events, 4)
  })

  test('an AbortSignal stops a stream mid-way', async (t) => {
    const mock = await startMock(t)
    mock.injectFault('delay-events-ms=1000', { path: STREAM })
    const controller = new AbortController()
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF }, { signal: controller.signal })
    const started = Date.now()
    setTimeout(() => controller.abort(), 100)
    const err = await collect(stream).catch((e) => e)
    assert.ok(err instanceof OlumiAbortError, String(err))
    assert.equal(err.name, 'AbortError')
    assert.equal(err.code, 'ERR_CANCELLED')
    assert.ok(Date.now() - started < 900, 'the abort does not wait for the next event')
    assert.equal(requestsTo(mock, RESUME).length + requestsTo(mock, DRAFT).length, 0, 'no recovery after an abort')
  })

  test('an already aborted signal: nothing is sent', async (t) => {
    const mock = await startMock(t)
    const stream = clientFor(mock).streamDraftGraph({ brief: BRIEF }, { signal: AbortSignal.abort() })
    await assert.rejects(collect(stream), OlumiAbortError)
    assert.equal(requestsTo(mock, STREAM).length, 0)
  })
})
