// The layering of ARCHITECTURE.md, checked on the import graph of the code: an import that points the wrong way
// fails here (tsc's per-layer projects catch DOM and Node globals; this catches the imports themselves).
import { describe, expect, it } from 'vitest'
import {
  electronReachedFromHost,
  type Import,
  importSpecifiers,
  importsOf,
  readSources,
  repoRoot,
  ruleBroken,
} from './importGraph'

// Imports that break a rule on purpose, each with its reason (none today: keep it that way).
const KNOWN_EXCEPTIONS: string[] = []

const describeImport = (i: Import) => `${i.from} -> ${i.target}`

async function graph(): Promise<Import[]> {
  // src, and the code outside it that drives the host like a client would (benchmarks, the host fixture).
  const files = await readSources(repoRoot, ['src', 'bench', 'test/support'])
  return importsOf(files)
}

describe('the import graph', () => {
  it('has no import that points the wrong way between layers', async () => {
    const broken = (await graph())
      .map((i) => ({ i, rule: ruleBroken(i) }))
      .filter(({ i, rule }) => rule && !KNOWN_EXCEPTIONS.includes(describeImport(i)))
      .map(({ i, rule }) => `${describeImport(i)}: ${rule}`)
    expect(broken).toEqual([])
  })

  it('lists only exceptions that still exist', async () => {
    const all = new Set((await graph()).filter((i) => ruleBroken(i)).map(describeImport))
    expect(KNOWN_EXCEPTIONS.filter((e) => !all.has(e))).toEqual([])
  })

  it('has the host runtime reach electron through no other file', async () => {
    expect(electronReachedFromHost(await graph())).toEqual([])
  })
})

describe('the checker', () => {
  const check = (path: string, text: string) =>
    importsOf([{ path, text }])
      .filter((i) => ruleBroken(i))
      .map((i) => i.specifier)

  it('reads every form of import, and none inside comments', () => {
    const text = [
      "import a from 'a'",
      "import type { B } from './b'",
      "import {\n  c,\n  type C,\n} from '../c'",
      "import * as d from 'd'",
      "import 'e.css'",
      "export { f } from './f'",
      "export * from 'g'",
      "const h = await import('h')",
      "const i = require('i')",
      '/// <reference types="j" />',
      "// import k from 'k'",
      "/* import l from 'l' */",
      "const url = 'http://x' // import m from 'm'",
    ].join('\n')
    expect(importSpecifiers(text)).toEqual(['a', './b', '../c', 'd', './f', 'g', 'e.css', 'h', 'i', 'j'])
  })

  it('refuses shared importing main, preload, renderer, Node or Electron', () => {
    const text = [
      "import { a } from '../main/host/server'",
      "import { b } from '../preload/api'",
      "import { c } from '../renderer/src/App'",
      "import { readFile } from 'node:fs/promises'",
      "import { join } from 'path'",
      "import { app } from 'electron'",
      "import { WebSocket } from 'ws'",
      '/// <reference lib="dom" />',
      "import * as Y from 'yjs'",
      "import { rect } from './geometry'",
    ].join('\n')
    expect(check('src/shared/board.ts', text)).toEqual([
      '../main/host/server',
      '../preload/api',
      '../renderer/src/App',
      'node:fs/promises',
      'path',
      'electron',
      'ws',
      'dom',
    ])
  })

  it('refuses the renderer importing Node, Electron or main', () => {
    const text = [
      "import { a } from '../../main/settings'",
      "import { readFile } from 'node:fs'",
      "import { ipcRenderer } from 'electron'",
      "import type { Api } from '../../preload/api'",
      "import { Board } from '../../shared/board'",
    ].join('\n')
    expect(check('src/renderer/src/App.tsx', text)).toEqual(['../../main/settings', 'node:fs', 'electron'])
  })

  it('refuses the host importing electron, directly or through another file', () => {
    expect(check('src/main/host/server.ts', "import { app } from 'electron'")).toEqual(['electron'])
    expect(check('src/main/index.ts', "import { app } from 'electron'")).toEqual([])
    const imports = importsOf([
      { path: 'src/main/host/server.ts', text: "import { load } from '../settings'" },
      { path: 'src/main/settings.ts', text: "import { app } from 'electron'" },
    ])
    expect(electronReachedFromHost(imports)).toEqual([
      ['src/main/host/server', 'src/main/settings', 'electron'],
    ])
  })

  it('refuses anything outside the renderer importing it', () => {
    const text = "import { connectBoard } from '../../src/renderer/src/session/connection'"
    expect(check('test/support/hostFixture.ts', text)).toHaveLength(1)
    expect(check('src/main/host/api.ts', "import { App } from '../../renderer/src/App'")).toHaveLength(1)
    expect(check('src/renderer/src/main.tsx', "import { App } from './App'")).toEqual([])
  })
})
