// The ESM entry point re-exports the CommonJS one: the same names, the same objects.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as esm from '../index.mjs'

const cjs = createRequire(import.meta.url)('../index.js')

test('index.mjs exports every CommonJS name, as the same object, and the module as default', () => {
  // Node 23+ adds a 'module.exports' name to a CommonJS module's namespace.
  const named = Object.entries(esm).filter(([name]) => name !== 'default' && name !== 'module.exports')
  assert.deepEqual(named.map(([name]) => name).sort(), Object.keys(cjs).sort())
  for (const [name, value] of named) assert.equal(value, cjs[name], name)
  assert.equal(esm.default, cjs)
})
