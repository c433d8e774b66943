// Runs a command with OLUMI_BASE_URL pointing at an in-process mock server on 127.0.0.1:
//   node scripts/with-mock.mjs node ../examples/node/quickstart.mjs
// The mock verifies HMAC signatures with OLUMI_HMAC_SECRET (default test-hmac-secret).
import { spawn } from 'node:child_process'

import { MockServer } from '../index.mjs'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('usage: node scripts/with-mock.mjs COMMAND [ARGS...]')
  process.exit(2)
}
const hmacSecret = process.env.OLUMI_HMAC_SECRET ?? 'test-hmac-secret'
const mock = await MockServer.start({ hmacSecret, heartbeatMs: 100 })
let code = 1
try {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, OLUMI_BASE_URL: mock.url } })
  code = await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)))
  })
} finally {
  await mock.close()
}
process.exit(code)
