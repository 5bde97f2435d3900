import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without declarations
import { atLeast, ELECTRON_TOOLS_NODE, electronToolsProblem } from '../../scripts/nodeVersion.mjs'

const root = join(import.meta.dirname, '../..')
const json = async (path: string) => JSON.parse(await readFile(join(root, path), 'utf8'))

describe('Node versions: package.json, the Electron tools and the README agree', () => {
  it('asks Node 20.19 for Lanvas, and names the tools that want more with the version they want', async () => {
    expect((await json('package.json')).engines).toEqual({ node: '>=20.19' })
    // The tools that ask for more, each as its own package.json says: the number the scripts and README give.
    for (const tool of ['electron', '@electron/get', '@electron/rebuild', 'node-abi'])
      expect((await json(`node_modules/${tool}/package.json`)).engines.node.replace(/[>= ]/g, ''), tool).toBe(
        ELECTRON_TOOLS_NODE,
      )
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    expect(readme).toContain('Node 20.19 or newer')
    expect(readme).toContain(`Node ${ELECTRON_TOOLS_NODE.replace(/\.0$/, '')} or newer`)
  })

  it('compares versions part by part', () => {
    expect(atLeast('22.12.0', '22.12.0')).toBe(true)
    expect(atLeast('22.9.1', '22.12.0')).toBe(false)
    expect(atLeast('24.0.0', '22.12.0')).toBe(true)
    expect(atLeast('20.20.2', '22.12.0')).toBe(false)
  })

  it('says in one line why npm start cannot fetch Electron on an older Node, and what works instead', () => {
    expect(electronToolsProblem('npm run dist', '22.12.0')).toBeUndefined()
    const line = electronToolsProblem('Fetching the Electron binary', '20.20.2') as string
    expect(line).toBe(
      "Fetching the Electron binary needs Node 22.12.0 or newer for Electron's download and packaging tools (this is Node 20.20.2); the host, the tests and the build run on this one: `npm run host` opens the board in a browser.",
    )
    expect(line).not.toContain('\n')
  })
})
