// The Electron entry as it ships: out/main/index.js, built by electron-vite with the host's dependencies bundled in
// (yjs, ws, the crypto and the rest: electron.vite.config.ts). Electron does not run here, so its module is the
// recorder of test/support/electronStandIn.ts; everything else is the bundle itself. A dependency the bundle
// cannot load, or a host it cannot start, would leave a person with an app that shows nothing: this starts the
// bundle on a board file and checks that its window gets the page and the board, and that a drawing comes back.
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { knownBoard } from '../shared/exportFixtures'
import { builtFile } from '../support/built'
import { electron, type StandInWindowType } from '../support/electronStandIn'
import { connectClient, syncUrl } from '../support/hostFixture'
import { waitUntil } from '../support/waitUntil'

vi.mock('electron', async () => (await import('../support/electronStandIn')).electron.module)

const BUNDLE = builtFile('main/index.js')
let dir: string
const window = () => electron.BrowserWindow.windows[0] as StandInWindowType

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npx electron-vite build\` first`)
  dir = await mkdtemp(join(tmpdir(), 'lanvas-bundle-'))
  electron.paths.root = dir
  await writeFile(join(dir, 'lesson.lanvas'), encodeBoardFile(knownBoard().doc))
  const argv = process.argv
  process.argv = [argv[0] as string, join(dir, 'lesson.lanvas')]
  try {
    await import(/* @vite-ignore */ BUNDLE)
  } finally {
    process.argv = argv
  }
  electron.resolveReady()
  await waitUntil('the window opens', () => window()?.url)
})

afterAll(async () => {
  electron.appHandlers.get('before-quit')?.({ preventDefault: () => {} })
  await waitUntil('the host stops', () => electron.calls.includes('quit'))
  await rm(dir, { recursive: true, force: true })
})

describe('the built Electron entry (out/main/index.js)', () => {
  it("serves its window's page from its own host", async () => {
    const url = new URL(window().url)
    expect(url.hostname).toBe('127.0.0.1')
    const page = await fetch(url.href.split('#')[0] as string)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<script')
  })

  it("gives the board it was started on to its window's board id, and takes a drawing back", async () => {
    const url = new URL(window().url)
    const params = new URLSearchParams(url.hash.slice(1))
    const owner = connectClient(syncUrl(Number(url.port), params.get('board') as string), 'me', {
      ownerKey: params.get('owner') as string,
      plain: true,
    })
    await owner.connection.whenSynced()
    const known = knownBoard()
    expect(owner.board.readElements().map((e) => e.kind)).toEqual(known.readElements().map((e) => e.kind))
    expect(owner.board.strokes().map((s) => s.points)).toEqual(known.strokes().map((s) => s.points))
    // A second window on the same board sees a stroke the first one draws: the bundled relay works.
    const other = connectClient(syncUrl(Number(url.port), params.get('board') as string), 'other', {
      ownerKey: params.get('owner') as string,
      plain: true,
    })
    await other.connection.whenSynced()
    const id = owner.board.beginStroke({ color: '#aa3300', width: 4 }, [0, 0, 0.5, 40, 40, 0.5])
    owner.board.finishStroke(id)
    await waitUntil('the stroke reaches the other window', () => other.board.getStroke(id) !== undefined)
    expect(other.board.getStroke(id)?.color).toBe('#aa3300')
    owner.destroy()
    other.destroy()
  })
})
