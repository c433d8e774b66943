// A tiny HTTP server for bench.mjs: answers every request with one pre-built event stream of N
// events written at once, so that the clients, not the server, are measured. Prints its URL.
//   node bench/sse-server.mjs 10000 [preview]
import { createServer } from 'node:http'

const events = Number(process.argv[2] ?? 10_000)
// `preview`: every DRAFTING event carries a graph preview as its payload (as the service's do, about
// 1 KB), so the cost of the payload's JSON is measured too.
const withPreview = process.argv[3] === 'preview'
const nodes = ['decision', 'option', 'option', 'factor', 'outcome', 'goal'].map((kind, i) => ({
  id: `${kind}_${i}`,
  kind,
  label: `A ${kind} the draft found (${i})`,
}))
const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, from: nodes[i].id, to: node.id, weight: 0.5 }))
const preview = JSON.stringify({ graph: { version: '1', default_seed: 17, nodes, edges } })
const parts = []
for (let i = 0; i < events - 1; i++) {
  const payload = withPreview ? `,"payload":${preview}` : ''
  parts.push(`event: stage\ndata: {"stage":"DRAFTING","seq":${i}${payload}}\n\n`)
}
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
