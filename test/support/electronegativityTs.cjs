// Loaded with `node -r` before Electronegativity: its TypeScript parser (typescript-estree 4) needs the
// TypeScript 4 API that Electronegativity installs for itself, but Node would hand it the project's
// TypeScript 7, which has no JavaScript API. This points `require('typescript')` at Electronegativity's own.
const Module = require('node:module')
const { dirname } = require('node:path')

const own = dirname(require.resolve('@doyensec/electronegativity/package.json'))
const typescript4 = require.resolve('typescript', { paths: [own] })
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (request === 'typescript') return typescript4
  return resolve.call(this, request, ...rest)
}
