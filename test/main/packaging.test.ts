// electron.builder.yml against electron-builder's own schema and validator, the icons it names, and `npm run dist`'s
// pre-check (scripts/dist.mjs), run as a process against local servers standing in for Electron's release server.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LANVAS_SCHEME } from '../../src/shared/joinLink'

const root = new URL('../../', import.meta.url).pathname
const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load: (s: string) => unknown }
// The function electron-builder itself runs on a configuration (ajv with its options), not a copy of it.
const { validateSchema } = require('app-builder-lib/out/util/config/schemaValidator') as {
  validateSchema: (schema: unknown, data: unknown, config?: { name?: string }) => void
}
const { minimatch } = require('minimatch') as { minimatch: (path: string, pattern: string) => boolean }

type Config = Record<string, unknown> & {
  asarUnpack: string[]
  fileAssociations: { ext: string; mimeType: string; icon: string; name: string }[]
  protocols: { schemes: string[] }[]
  linux: {
    target: string[]
    icon: string
    category: string
    mimeTypes: string[]
    desktop: { entry: Record<string, string> }
  }
  mac: { target: string; icon: string }
  win: { target: string; icon: string }
}
let config: Config
let scheme: unknown

beforeAll(async () => {
  config = yaml.load(await readFile(join(root, 'electron.builder.yml'), 'utf8')) as Config
  scheme = JSON.parse(await readFile(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'))
})

/** Width and height from a PNG's header. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) })

describe('electron.builder.yml', () => {
  it("passes electron-builder's own schema, and a misspelt or mistyped option does not", () => {
    expect(() => validateSchema(scheme, structuredClone(config))).not.toThrow()
    expect(() => validateSchema(scheme, { ...structuredClone(config), fileAsociations: [] })).toThrow(
      /fileAsociations/,
    )
    expect(() => validateSchema(scheme, { ...structuredClone(config), nsis: { oneClick: 'often' } })).toThrow(
      /oneClick/,
    )
  })

  it('opens .lanvas files as Lanvas boards with their MIME type and icon, and lanvas: links', () => {
    expect(config).toMatchObject({ appId: 'app.lanvas.desktop', productName: 'Lanvas' })
    expect(config.fileAssociations).toEqual([
      expect.objectContaining({ ext: 'lanvas', mimeType: 'application/x-lanvas', icon: 'file-icon' }),
    ])
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual([LANVAS_SCHEME])
    expect(config.linux.mimeTypes).toEqual(['application/x-lanvas', `x-scheme-handler/${LANVAS_SCHEME}`])
    // %U hands over boards as file: URLs and lanvas: links, both of which src/main/launch.ts reads.
    expect(config.linux.desktop.entry.Exec).toBe('lanvas %U')
  })

  it('builds an AppImage and a deb on Linux, NSIS on Windows, a dmg on macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.linux.category).toBe('Graphics')
    expect(config.win.target).toBe('nsis')
    expect(config.mac.target).toBe('dmg')
  })

  it.each([
    'node_modules/@napi-rs/canvas/index.js',
    'node_modules/@napi-rs/canvas-linux-x64-gnu/skia.linux-x64-gnu.node',
    'node_modules/@napi-rs/canvas-win32-x64-msvc/skia.win32-x64-msvc.node',
  ])('unpacks %s from the asar archive (a native module cannot load from inside it)', (path) => {
    expect(config.asarUnpack.some((pattern) => minimatch(path, pattern))).toBe(true)
  })

  it('finds every icon it names in resources/, each PNG at its size', async () => {
    const resources = join(root, 'resources')
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      for (const folder of [config.linux.icon, 'file-icons']) {
        const png = await readFile(join(resources, folder, `${size}x${size}.png`))
        expect(pngSize(png), `${folder}/${size}`).toEqual({ width: size, height: size })
      }
    }
    for (const name of [config.win.icon, `${config.fileAssociations[0]?.icon}.ico`]) {
      const ico = await readFile(join(resources, name))
      expect([ico.readUInt16LE(2), ico.readUInt16LE(4)], name).toEqual([1, 7])
    }
    for (const name of [config.mac.icon, `${config.fileAssociations[0]?.icon}.icns`]) {
      const icns = await readFile(join(resources, name))
      expect([icns.toString('ascii', 0, 4), icns.readUInt32BE(4)], name).toEqual(['icns', icns.length])
    }
  })
})

describe('npm run dist (scripts/dist.mjs --check)', () => {
  let dir: string
  const servers: Server[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanvas-dist-'))
  })
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections()
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
    await rm(dir, { recursive: true, force: true })
  })

  const serve = async (answer: (res: import('node:http').ServerResponse) => void): Promise<string> => {
    const server = createServer((_req, res) => answer(res))
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  }

  /** Runs the script with only the caches and the mirror given; its exit code and output. */
  const check = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'scripts/dist.mjs'), '--check'], {
        env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), ...env },
      })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      child.on('close', (code) => resolve({ code, out }))
    })

  it('says in one line that the archive cannot be fetched, and builds nothing', async () => {
    const refused = await serve((res) => res.writeHead(404).end())
    const { code, out } = await check({ ELECTRON_MIRROR: refused })
    expect(code).toBe(1)
    expect(out).toMatch(
      /^npm run dist: Electron [\d.]+'s release archive \(electron-v[\d.]+-\w+-\w+\.zip\) is not cached and cannot be fetched here \(.* answered 404\); nothing was built\.\n$/,
    )
  })

  it('gives up on a server that never answers, instead of hanging', async () => {
    const silent = await serve(() => {})
    const { code, out } = await check({ ELECTRON_MIRROR: silent, LANVAS_DIST_TIMEOUT_MS: '300' })
    expect(code).toBe(1)
    expect(out).toContain('no answer in 0.3 s); nothing was built.')
    expect(out.trim().split('\n')).toHaveLength(1)
  })

  it('goes on when the release server has the archive', async () => {
    const found = await serve((res) => res.writeHead(200).end())
    const { code, out } = await check({ ELECTRON_MIRROR: found })
    expect(code).toBe(0)
    expect(out).toMatch(/is available\.\n$/)
  })

  it('goes on without asking any server when the archive is in the Electron cache', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'node_modules/electron/package.json'), 'utf8'))
    const platform = process.platform === 'win32' ? 'win32' : process.platform
    const cache = join(dir, 'electron-cache', 'sha')
    await mkdir(cache, { recursive: true })
    await writeFile(join(cache, `electron-v${version}-${platform}-${process.arch}.zip`), 'zip')
    const refused = await serve((res) => res.writeHead(404).end())
    const { code } = await check({
      ELECTRON_MIRROR: refused,
      electron_config_cache: join(dir, 'electron-cache'),
    })
    expect(code).toBe(0)
  })
})
