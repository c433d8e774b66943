// ESM entry point: the same module instance as the CommonJS one, so `instanceof` agrees. The
// named exports come from Node's detection of index.js's `module.exports = { ... }` literal
// (cjs-module-lexer); test/exports.test.mjs checks that they match the CommonJS keys.
export * from './index.js'
export { default } from './index.js'
