// No panic crosses into JS: every export is declared with `catch_unwind`, and a panic, in a
// synchronous export, in a core future or in an async export, becomes `OlumiInternalError`
// (`ERR_INTERNAL`) instead of aborting the process or leaving a Promise pending.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import * as sdk from '../index.mjs'

const { OlumiError, OlumiInternalError } = sdk

const isInternal = (err) => {
  assert.ok(err instanceof OlumiInternalError, `${err?.constructor?.name}: ${err?.message}`)
  assert.ok(err instanceof OlumiError && err instanceof Error)
  assert.equal(err.code, 'ERR_INTERNAL')
  assert.equal(err.kind, 'ERR_INTERNAL')
  assert.equal(err.isRetryable(), false)
  assert.match(err.message, /internal error in the olumi SDK.*deliberate panic/)
  return true
}

describe('a panic in the addon', () => {
  // `_panicForTests` is a test-only entry point that panics inside the addon on purpose.
  test('in a synchronous export throws OlumiInternalError', () => {
    assert.throws(() => sdk._panicForTests('sync'), isInternal)
  })

  test('in a core future (the helper every async method uses) rejects with OlumiInternalError', async () => {
    await assert.rejects(sdk._panicForTests('call'), isInternal)
  })

  test('in an async export rejects with OlumiInternalError', async () => {
    await assert.rejects(sdk._panicForTests('task'), isInternal)
  })

  test('leaves the addon usable', async () => {
    await assert.rejects(sdk._panicForTests('call'), isInternal)
    assert.throws(() => sdk._panicForTests('sync'), isInternal)
    assert.match(sdk.generateNonce(), /^[0-9a-f-]{36}$/)
    assert.ok(sdk.errorKinds().includes('ERR_INTERNAL'))
  })

  test('an unknown site is a config error, not a panic', async () => {
    await assert.rejects(sdk._panicForTests('nowhere'), sdk.OlumiConfigError)
  })
})

test('every #[napi] function, method and constructor is declared with catch_unwind', () => {
  const src = new URL('../src/', import.meta.url).pathname
  const unguarded = []
  for (const file of readdirSync(src).filter((name) => name.endsWith('.rs'))) {
    const lines = readFileSync(join(src, file), 'utf8').split('\n')
    lines.forEach((line, i) => {
      const attribute = /^\s*#\[napi(\((.*)\))?\]\s*$/.exec(line)
      if (!attribute) return
      let next = i + 1
      while (/^\s*(#\[|\/\/\/)/.test(lines[next])) next += 1
      const isFunction = /\bfn\s/.test(lines[next])
      if (isFunction && !/\bcatch_unwind\b/.test(attribute[2] ?? '')) unguarded.push(`${file}:${i + 1}`)
    })
  }
  assert.deepEqual(unguarded, [], 'exports a panic could unwind out of')
})
