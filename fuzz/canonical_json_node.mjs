// The reference canonical form, computed by JavaScript itself: JSON.stringify of a key-sorted
// JSON.parse (docs/protocol.md, "Response hash"). Used by sdk-core/tests/canonical_json_node.rs
// to compare olumi's canonical_json with node on the fuzz corpus.
//
// stdin: a JSON array of hex-encoded bodies. stdout: a JSON array, one entry per body:
// {"ok": "<canonical JSON>"} or {"error": "<why JSON.parse refused it>"}.
import { readFileSync } from 'node:fs'

// The service's canonicalize: objects rebuilt with their keys in JavaScript's default sort
// (UTF-16 code units); assigning into `{}` makes array-index keys come first and drops a key
// named `__proto__`, exactly as in the service.
const canonicalize = (value) => {
  if (Array.isArray(value)) return value.map(canonicalize)
  if (value === null || typeof value !== 'object') return value
  const out = {}
  for (const key of Object.keys(value).sort()) out[key] = canonicalize(value[key])
  return out
}

// Bodies are bytes: invalid UTF-8 is refused (fatal), and a BOM is kept (JSON.parse refuses it).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const bodies = JSON.parse(readFileSync(0, 'utf8'))
const results = bodies.map((hex) => {
  try {
    const text = utf8.decode(Buffer.from(hex, 'hex'))
    return { ok: JSON.stringify(canonicalize(JSON.parse(text))) }
  } catch (error) {
    return { error: String(error) }
  }
})
process.stdout.write(JSON.stringify(results))
