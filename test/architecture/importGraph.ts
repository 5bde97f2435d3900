// The import graph of the code, read from its source text (TypeScript 7 has no compiler API), and the rules of
// ARCHITECTURE.md's "Rules of the house" checked against it.
import { readdir, readFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { dirname, join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One import: the file it is in, what it names as written, and that resolved (a repo path, or a package). */
export interface Import {
  from: string
  specifier: string
  /** A repo-relative path without extension for relative imports; the specifier itself for packages. */
  target: string
}

/** A source file by repo-relative path and its text. */
export interface SourceFile {
  path: string
  text: string
}

/** Blanks out comments (keeping strings and line numbers), so an import inside a comment is not read. */
function withoutComments(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end < 0 ? text.length : end + 2
      out += text.slice(i, stop).replace(/[^\n]/g, ' ')
      i = stop
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
    } else {
      out += c
      i++
    }
  }
  return out
}

const PATTERNS = [
  // import x from 'y', import type { x } from 'y', export { x } from 'y', export * from 'y'
  /\b(?:import|export)\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // import 'y' (for its side effects)
  /\bimport\s*(['"])([^'"\n]+)\1/g,
  // import('y'), require('y')
  /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
]
const REFERENCE = /^\/\/\/\s*<reference\s+(?:path|types|lib)\s*=\s*(['"])([^'"]+)\1/gm

/** The specifiers a TypeScript file imports, in any form (static, type-only, re-export, dynamic, triple-slash). */
export function importSpecifiers(text: string): string[] {
  const code = withoutComments(text)
  const found: string[] = []
  for (const pattern of PATTERNS) for (const m of code.matchAll(pattern)) found.push(m[2] as string)
  for (const m of text.matchAll(REFERENCE)) found.push(m[2] as string)
  return found
}

/** The imports of a set of files, relative specifiers resolved to repo paths (no extension). */
export function importsOf(files: SourceFile[]): Import[] {
  const out: Import[] = []
  for (const file of files) {
    for (const specifier of importSpecifiers(file.text)) {
      const target = specifier.startsWith('.')
        ? posix.join(posix.dirname(file.path), specifier).replace(/\.(d\.ts|tsx?|m?js|cjs)$/, '')
        : specifier
      out.push({ from: file.path, specifier, target })
    }
  }
  return out
}

const NODE_BUILTINS = new Set(builtinModules)
/** Packages that only run in Node or Electron's main process (their types bring Node's in, too). */
const NODE_ONLY_PACKAGES = ['electron', 'ws', '@napi-rs/canvas', 'bonjour-service', 'multicast-dns']

const isNode = (t: string) => t.startsWith('node:') || NODE_BUILTINS.has(t.split('/')[0] as string)
const isPackage = (t: string, name: string) => t === name || t.startsWith(`${name}/`)
const isNodeOnly = (t: string) => isNode(t) || NODE_ONLY_PACKAGES.some((p) => isPackage(t, p))
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`)

/** What is wrong with one import by the rules of the house, or undefined when it points the right way. */
export function ruleBroken(i: Import): string | undefined {
  const { from, target } = i
  if (under(from, 'src/shared')) {
    if (under(target, 'src/main') || under(target, 'src/preload') || under(target, 'src/renderer'))
      return 'src/shared imports nothing from main, preload or renderer'
    if (isNodeOnly(target)) return 'src/shared runs in browsers too: no Node modules, no Electron'
    if (target === 'dom' || target === 'node') return 'src/shared takes neither DOM nor Node types'
  }
  if (under(from, 'src/renderer')) {
    if (under(target, 'src/main')) return 'the renderer imports nothing from main or the host'
    if (isNodeOnly(target))
      return 'the renderer reaches the platform only through its Bridge: no Node, no Electron'
    if (target === 'node') return 'the renderer takes no Node types'
  }
  if (under(from, 'src/main/host') && isPackage(target, 'electron'))
    return 'the host runtime never imports electron'
  // Browser tests read the page through its test handle; that one type is theirs to import.
  if (under(from, 'test') && target === 'src/renderer/src/testHandle') return undefined
  if (!under(from, 'src/renderer') && under(target, 'src/renderer'))
    return 'nothing outside the renderer imports from it'
  return undefined
}

/** Imports of the host runtime that reach electron through other files of the repo, as chains of paths. */
export function electronReachedFromHost(imports: Import[]): string[][] {
  const byFile = new Map<string, Import[]>()
  for (const i of imports) {
    const key = i.from.replace(/\.(d\.ts|tsx?)$/, '')
    byFile.set(key, [...(byFile.get(key) ?? []), i])
  }
  const chains: string[][] = []
  const walk = (file: string, chain: string[], seen: Set<string>) => {
    for (const i of byFile.get(file) ?? []) {
      if (isPackage(i.target, 'electron')) chains.push([...chain, 'electron'])
      else if (byFile.has(i.target) && !seen.has(i.target)) {
        seen.add(i.target)
        walk(i.target, [...chain, i.target], seen)
      } else if (byFile.has(`${i.target}/index`) && !seen.has(`${i.target}/index`)) {
        seen.add(`${i.target}/index`)
        walk(`${i.target}/index`, [...chain, `${i.target}/index`], seen)
      }
    }
  }
  for (const file of byFile.keys()) if (under(file, 'src/main/host')) walk(file, [file], new Set([file]))
  return chains.filter((c) => c.length > 2)
}

/** The TypeScript files under the given repo folders, read. */
export async function readSources(root: string, dirs: string[]): Promise<SourceFile[]> {
  const files: SourceFile[] = []
  const visit = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) await visit(full)
      else if (/\.(tsx?|mts|cts)$/.test(entry.name))
        files.push({ path: relative(root, full).split('\\').join('/'), text: await readFile(full, 'utf8') })
    }
  }
  for (const dir of dirs) await visit(join(root, dir))
  return files
}

/** The repository's root folder. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..')
