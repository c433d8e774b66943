// The SDK's resume against a pool of two mocks sharing one Redis, behind a round-robin TCP proxy:
// the stream lands on one instance, the resume on the other, and no event is lost or repeated.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { BRIEF, clientFor, collect, requestsTo, SECRET, startMock } from '../test-support/helpers.mjs'

const STREAM = '/assist/draft-graph/stream'
const RESUME = '/assist/draft-graph/resume'

async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function pings(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.setTimeout(500)
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.on('error', () => resolve(false))
    socket.on('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

/** A throwaway redis-server on a free loopback port, no persistence, killed when `t` ends. */
async function startRedis(t) {
  const found = spawnSync('redis-server', ['--version'])
  assert.ok(!found.error, 'redis-server is needed (Debian: apt-get install redis-server; scripts/install-deps.sh)')
  const dir = mkdtempSync(join(tmpdir(), 'olumi-redis-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const args = ['--port', `${port}`, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]
    const child = spawn('redis-server', args, { stdio: 'ignore' })
    let exited = false
    child.on('exit', () => {
      exited = true
    })
    for (let i = 0; i < 500 && !exited; i++) {
      if (await pings(port)) {
        t.after(() => child.kill('SIGKILL'))
        return `redis://127.0.0.1:${port}/0`
      }
      await sleep(20)
    }
    child.kill('SIGKILL')
  }
  assert.fail('redis-server did not start on a free loopback port')
}

/** Accepts on 127.0.0.1 and pipes each new connection to the next backend in turn. */
async function roundRobinProxy(t, backends) {
  let turn = 0
  const sockets = new Set()
  const server = net.createServer((client) => {
    const { host, port } = backends[turn++ % backends.length]
    const upstream = net.connect(port, host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      // A broken side (the mock dropping a stream) breaks the other side too.
      s.on('error', () => {})
      s.on('close', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const s of sockets) s.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return `http://127.0.0.1:${server.address().port}`
}

const backend = (mock) => {
  const url = new URL(mock.url)
  return { host: url.hostname, port: Number(url.port) }
}

test('a dropped stream resumes on the other instance of a Redis-backed pool', async (t) => {
  const redisUrl = await startRedis(t)
  const options = { hmacSecret: SECRET, redisUrl, redisPrefix: 'node-pool:' }
  const a = await startMock(t, options)
  const b = await startMock(t, options)
  for (const mock of [a, b]) mock.injectFault('drop-after-events=2,times=1', { path: STREAM })
  const baseUrl = await roundRobinProxy(t, [backend(a), backend(b)])
  const client = clientFor({ url: baseUrl }, { hmacSecret: SECRET, maxRetries: 0 })
  const events = await collect(client.streamDraftGraph({ brief: BRIEF }))
  const shape = events
    .filter((e) => e.type !== 'heartbeat')
    .map((e) => (e.type === 'stage' ? `stage:${e.stage}` : e.type))
  assert.deepEqual(shape, ['stage:DRAFTING', 'resume', 'stage:DRAFTING', 'complete'])
  const done = events.at(-1)
  assert.equal(done.via, 'resume')
  assert.equal(done.summary.resumes, 1)
  assert.equal(done.summary.fallback, false)
  // The stream ran on A and the resume on B: one service, two processes.
  assert.deepEqual(
    a.journal().map((e) => e.target.split('?')[0]),
    [STREAM],
  )
  assert.equal(requestsTo(b, RESUME).length, 1)
  assert.equal(b.journal().length, 1)
})
