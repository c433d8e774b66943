// The quickstart from CommonJS: the same package, loaded with require().
//
// Run against a mock server: `olumi-mock --port 8787 --hmac-secret test-hmac-secret`, then
// `node examples/node/quickstart.cjs` (after `cd sdk-node && npm ci && npm run build`).
// In your own project: `const { OlumiClient } = require('@olumi/sdk')`.
const { OlumiAPIError, OlumiClient } = require('../../sdk-node/index.js')

const baseUrl = process.env.OLUMI_BASE_URL ?? 'http://127.0.0.1:8787'
const hmacSecret = process.env.OLUMI_HMAC_SECRET ?? 'test-hmac-secret'

async function main() {
  const client = new OlumiClient({ baseUrl, hmacSecret })
  const limits = await client.limits()
  console.log(`signed call ok: GET /v1/limits -> key_id ${limits.key_id} (response hash verified)`)

  const request = { brief: 'Should we expand our SaaS product into the European market next year?' }
  let stages = 0
  for await (const event of client.streamDraftGraph(request)) {
    if (event.type === 'stage') stages += 1
    if (event.type === 'complete') {
      console.log(`stream: ${stages} stages, complete via ${event.via}: ${event.result.graph.nodes.length} nodes`)
    }
  }

  try {
    await client.draftGraph({ brief: 'too short' })
    throw new Error('a too-short brief was accepted')
  } catch (err) {
    if (!(err instanceof OlumiAPIError)) throw err
    console.log(`typed error ok: ${err.statusCode} ${err.code}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
