// Benchmarks of @olumi/sdk against plain Node on the same loopback mock server (not run in CI).
//   cd sdk-node && npm run build && cargo build --release -p olumi-mock && node bench/bench.mjs
// Prints each measurement, its baseline and the ratio; docs/performance.md ("Node") records a run.
//
// The mock is the `olumi-mock` binary from the workspace's target/release when it exists (a
// separate process, like a real service), else the in-process MockServer, which shares the
// addon's tokio threads with the client under test (BENCH_MOCK=inprocess forces that).
import { spawn } from 'node:child_process'
import { createHash, createHmac, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { createParser } from 'eventsource-parser'

import { MockServer, OlumiClient, sign } from '../index.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const STREAM_EVENTS = 10_000
// Streams per round: one stream lasts a few milliseconds, too short for a stable median.
const STREAMS_PER_ROUND = Number(process.env.BENCH_STREAMS ?? 10)
const JSON_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000)
const SIGNS = Number(process.env.BENCH_SIGNS ?? 300_000)
const ROUNDS = 5

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

/** Runs `fn` ROUNDS times after one warm-up; returns the median duration in ms. */
async function measure(fn) {
  await fn()
  const times = []
  for (let i = 0; i < ROUNDS; i++) {
    const start = now()
    await fn()
    times.push(now() - start)
  }
  return median(times)
}

function report(name, ours, base, unit, count) {
  const oursRate = (count / ours) * 1000
  const baseRate = (count / base) * 1000
  console.log(
    `${name.padEnd(44)} ours ${oursRate.toFixed(0).padStart(9)} ${unit}  baseline ${baseRate
      .toFixed(0)
      .padStart(9)} ${unit}  ratio ${(oursRate / baseRate).toFixed(2)}x`,
  )
  return oursRate / baseRate
}

// A fixture with a 10 000-event stream, selected by a header so the shipped fixtures stay.
const dir = mkdtempSync(join(tmpdir(), 'olumi-bench-'))
const steps = []
for (let i = 0; i < STREAM_EVENTS - 1; i++) steps.push({ event: 'stage', data: { stage: 'DRAFTING', seq: i } })
steps.push({
  event: 'stage',
  data: {
    stage: 'COMPLETE',
    payload: {
      graph: { version: '1', default_seed: 17, nodes: [], edges: [] },
      patch: { adds: { nodes: [], edges: [] }, updates: [], removes: [] },
      rationales: [],
    },
  },
})
writeFileSync(
  join(dir, 'bench-stream.json'),
  JSON.stringify({
    description: `a ${STREAM_EVENTS}-event stream`,
    priority: 100,
    match: { method: 'POST', path: '/assist/draft-graph/stream', headers: { 'x-bench': 'stream' } },
    stream: { steps },
  }),
)

/** Spawns a server process that prints `listening on URL` first; returns `{ url, close() }`. */
async function spawnServer(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const { value: line = '' } = await lines.next()
  const url = /listening on (\S+)/.exec(line)?.[1]
  if (!url) {
    child.kill('SIGTERM')
    throw new Error(`${command} did not start: ${line}`)
  }
  return { url, close: async () => void child.kill('SIGTERM') }
}

/** The mock server: `{ url, kind, close() }`. */
async function startMock() {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(here, '..', '..', 'target')
  const binary = join(targetDir, 'release', 'olumi-mock')
  if (process.env.BENCH_MOCK !== 'inprocess' && existsSync(binary)) {
    const args = ['--port', '0', '--fixtures', dir, '--rpm', '0', '--sse-rpm', '0', '--heartbeat-ms', '60000']
    const server = await spawnServer(binary, [...args, '--log-level', 'warn'])
    return { ...server, kind: `olumi-mock binary (${binary})` }
  }
  const mock = await MockServer.start({ fixtures: dir, rpm: 0, sseRpm: 0, heartbeatMs: 60_000 })
  return { url: mock.url, kind: 'in-process MockServer', close: () => mock.close() }
}

const mock = await startMock()
const url = mock.url
console.log(`node ${process.version}, ${mock.kind} at ${url}, ${ROUNDS} rounds (median)\n`)

try {
  // 1. Sequential JSON requests: GET /v1/status.
  const client = new OlumiClient({ baseUrl: url })
  const ours = await measure(async () => {
    for (let i = 0; i < JSON_REQUESTS; i++) await client.status()
  })
  const base = await measure(async () => {
    for (let i = 0; i < JSON_REQUESTS; i++) await (await fetch(`${url}/v1/status`)).json()
  })
  const jsonRatio = report(`sequential GET /v1/status (x${JSON_REQUESTS})`, ours, base, 'req/s', JSON_REQUESTS)

  // 2. A 10 000-event stream: from the mock (which writes and flushes its events one by one),
  // and from a tiny server that writes the whole stream at once (so that the clients are measured).
  const body = JSON.stringify({ brief: 'Should we expand our SaaS product into the European market next year?' })
  // `readPayload`: our side also reads every event's `payload` (parsed on first read); the baseline
  // always parses every event's data whole, as a fetch + eventsource-parser client must.
  const streamRatio = async (name, baseUrl, { readPayload = false } = {}) => {
    const streamClient = new OlumiClient({ baseUrl, headers: { 'X-Bench': 'stream' } })
    const oursStream = await measure(async () => {
      for (let s = 0; s < STREAMS_PER_ROUND; s++) {
        let n = 0
        for await (const event of streamClient.streamDraftGraph(JSON.parse(body))) {
          if (readPayload) void event.payload
          n++
        }
        if (n !== STREAM_EVENTS) throw new Error(`ours: ${n} events`)
      }
    })
    const baseStream = await measure(async () => {
      for (let s = 0; s < STREAMS_PER_ROUND; s++) {
        let n = 0
        const parser = createParser({
          onEvent(event) {
            JSON.parse(event.data)
            n++
          },
        })
        const res = await fetch(`${baseUrl}/assist/draft-graph/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-bench': 'stream' },
          body,
        })
        const decoder = new TextDecoder()
        for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }))
        if (n !== STREAM_EVENTS) throw new Error(`fetch: ${n} events`)
      }
    })
    const events = STREAM_EVENTS * STREAMS_PER_ROUND
    const ratio = report(name, oursStream, baseStream, 'ev/s', events)
    // For context: the same baseline with its events handed out by an `async function*`, as the
    // old SDK's streamDraftGraph did (the SDK's stream is an async iterator too).
    const generatorStream = await measure(async () => {
      async function* streamEvents() {
        const queue = []
        const parser = createParser({ onEvent: (event) => queue.push(JSON.parse(event.data)) })
        const res = await fetch(`${baseUrl}/assist/draft-graph/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-bench': 'stream' },
          body,
        })
        const decoder = new TextDecoder()
        for await (const chunk of res.body) {
          parser.feed(decoder.decode(chunk, { stream: true }))
          yield* queue.splice(0)
        }
      }
      for (let s = 0; s < STREAMS_PER_ROUND; s++) {
        let n = 0
        for await (const _event of streamEvents()) n++
        if (n !== STREAM_EVENTS) throw new Error(`fetch generator: ${n} events`)
      }
    })
    report('  (baseline as an async generator)', oursStream, generatorStream, 'ev/s', events)
    return ratio
  }
  const mockStreamRatio = await streamRatio(`${STREAM_EVENTS}-event stream, mock (fetch+eventsource-parser)`, url)
  const sse = await spawnServer(process.execPath, [join(here, 'sse-server.mjs'), String(STREAM_EVENTS)])
  let rawStreamRatio
  try {
    rawStreamRatio = await streamRatio(`${STREAM_EVENTS}-event stream, written at once (same)`, sse.url)
  } finally {
    await sse.close()
  }
  // The same, each DRAFTING event with a ~1 KB graph preview as its payload (as the service sends).
  const previews = await spawnServer(process.execPath, [join(here, 'sse-server.mjs'), String(STREAM_EVENTS), 'preview'])
  let previewRatios
  try {
    previewRatios = [
      await streamRatio(`${STREAM_EVENTS}-event stream with previews, written at once, payload not read`, previews.url),
      await streamRatio(`${STREAM_EVENTS}-event stream with previews, written at once, payload read`, previews.url, {
        readPayload: true,
      }),
    ]
  } finally {
    await previews.close()
  }

  // 3. Signing a small body.
  const secret = 'test-hmac-secret'
  const target = '/assist/draft-graph'
  const cryptoSign = (method, path, payload, options) => {
    const timestamp = String(options.timestamp ?? Date.now())
    const nonce = options.nonce ?? randomUUID()
    const hash = options.bodyHash === 'sha256' && payload ? createHash('sha256').update(payload).digest('hex') : ''
    const signature = createHmac('sha256', options.secret)
      .update(`${method}\n${path}\n${timestamp}\n${nonce}\n${hash}`)
      .digest('hex')
    return { 'X-Olumi-Signature': signature, 'X-Olumi-Timestamp': timestamp, 'X-Olumi-Nonce': nonce }
  }
  // Same answers first.
  const fixed = { secret, timestamp: 1_700_000_000_000, nonce: 'n-1', bodyHash: 'sha256' }
  if (
    sign('POST', target, body, fixed)['X-Olumi-Signature'] !==
    cryptoSign('POST', target, body, fixed)['X-Olumi-Signature']
  ) {
    throw new Error('sign and the node:crypto baseline disagree')
  }
  const signRatios = []
  {
    const given = { secret, timestamp: 1_700_000_000_000, nonce: '550e8400-e29b-41d4-a716-446655440000' }
    const oursSign = await measure(() => {
      for (let i = 0; i < SIGNS; i++) sign('POST', target, body, given)
    })
    const baseSign = await measure(() => {
      for (let i = 0; i < SIGNS; i++) cryptoSign('POST', target, body, given)
    })
    signRatios.push(report(`sign, given timestamp and nonce (node:crypto)`, oursSign, baseSign, 'op/s', SIGNS))
  }
  for (const bodyHash of ['unbound', 'sha256']) {
    const options = { secret, bodyHash }
    const oursSign = await measure(() => {
      for (let i = 0; i < SIGNS; i++) sign('POST', target, body, options)
    })
    const baseSign = await measure(() => {
      for (let i = 0; i < SIGNS; i++) cryptoSign('POST', target, body, options)
    })
    signRatios.push(
      report(`sign, ${body.length}-byte body, ${bodyHash} (node:crypto)`, oursSign, baseSign, 'op/s', SIGNS),
    )
  }

  console.log(`\nbody: ${body.length} bytes; targets: JSON >= 1.2x, stream >= 2x, sign >= 2x`)
  console.log(
    `results: JSON ${jsonRatio.toFixed(2)}x, stream ${mockStreamRatio.toFixed(2)}x (mock) / ${rawStreamRatio.toFixed(
      2,
    )}x (written at once), ${previewRatios.map((r) => `${r.toFixed(2)}x`).join(' / ')} (previews: payload not read / read), sign ${signRatios.map((r) => `${r.toFixed(2)}x`).join(' / ')}`,
  )
} finally {
  await mock.close()
  rmSync(dir, { recursive: true, force: true })
}
