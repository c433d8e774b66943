// A tiny HTTP server for bench.mjs: answers every request with one pre-built event stream of N
// events written at once, so that the clients, not the server, are measured. Prints its URL.
//   node bench/sse-server.mjs 10000
import { createServer } from 'node:http'

const events = Number(process.argv[2] ?? 10_000)
const parts = []
for (let i = 0; i < events - 1; i++) parts.push(`event: stage\ndata: {"stage":"DRAFTING","seq":${i}}\n\n`)
const result = {
  graph: { version: '1', default_seed: 17, nodes: [], edges: [] },
  patch: { adds: { nodes: [], edges: [] }, updates: [], removes: [] },
  rationales: [],
}
parts.push(`event: stage\ndata: ${JSON.stringify({ stage: 'COMPLETE', payload: result })}\n\n`)
const body = Buffer.from(parts.join(''))

const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': body.length })
    res.end(body)
  })
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
