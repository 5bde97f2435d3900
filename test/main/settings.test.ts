// The settings store on real files in a temporary folder: defaults, round trips, damaged files, concurrent changes.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DAMAGED_FILE,
  DEFAULT_SETTINGS,
  readSettings,
  type Settings,
  Theme,
  updateSettings,
  writeSettings,
} from '../../src/main/settings'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-settings-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const full: Settings = {
  lastBoardPath: '/home/ada/Lanvas/Plan.lanvas',
  identity: { name: 'Ada', color: '#1c7ed6' },
  theme: Theme.Dark,
  sharePort: 48000,
  shareNetwork: '192.168.1.5',
  autosaveDir: '/home/ada/Boards',
  recentBoards: ['/home/ada/Lanvas/Plan.lanvas', '/home/ada/b.lanvas'],
  window: { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: false },
}

describe('the settings store', () => {
  it('gives the defaults without a message on a first run (no file, no folder)', async () => {
    expect(await readSettings(join(dir, 'not-yet'))).toEqual({ settings: DEFAULT_SETTINGS })
    expect(DEFAULT_SETTINGS).toEqual({ theme: 'system', sharePort: 47800, recentBoards: [] })
  })

  it('reads back every setting it wrote, creating the folder', async () => {
    await writeSettings(join(dir, 'app'), full)
    expect(await readSettings(join(dir, 'app'))).toEqual({ settings: full })
  })

  it('reads the file older versions wrote (only the last board)', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ lastBoardPath: '/b/x.lanvas' }))
    expect(await readSettings(dir)).toEqual({
      settings: { ...DEFAULT_SETTINGS, lastBoardPath: '/b/x.lanvas' },
    })
  })

  it.each([
    ['not JSON', '{"theme": "dark",'],
    ['an empty file', ''],
    ['a list', '[1, 2]'],
    ['null', 'null'],
  ])('falls back to the defaults on %s, says so, and keeps the damaged file aside', async (_what, text) => {
    await writeFile(join(dir, 'settings.json'), text)
    const read = await readSettings(dir)
    expect(read.settings).toEqual(DEFAULT_SETTINGS)
    expect(read.message).toBe(
      `Lanvas's settings file was damaged; it starts with the defaults and kept the old file as ${DAMAGED_FILE}.`,
    )
    expect(await readFile(join(dir, DAMAGED_FILE), 'utf8')).toBe(text)
    expect(await readdir(dir)).toEqual([DAMAGED_FILE])
  })

  it('resets only the settings that cannot be used, and names them', async () => {
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({
        ...full,
        theme: 'purple',
        sharePort: 80,
        identity: { name: 'Eve', color: 'red' },
        autosaveDir: 'relative/dir',
      }),
    )
    const read = await readSettings(dir)
    expect(read.settings).toEqual({
      ...full,
      theme: 'system',
      sharePort: 47800,
      identity: undefined,
      autosaveDir: undefined,
    })
    expect(read.message).toBe(
      'Some settings could not be used and are back to their defaults: identity, theme, sharePort, autosaveDir.',
    )
  })

  it('cleans a name as the host would (controls and bidi overrides out) and keeps a colour in one case', async () => {
    await writeSettings(dir, {
      ...DEFAULT_SETTINGS,
      identity: { name: ' Ada\u202e\u0000 ', color: '#ABCDEF' },
    })
    expect((await readSettings(dir)).settings.identity).toEqual({ name: 'Ada', color: '#abcdef' })
  })

  it('says what went wrong when the file cannot be read at all (a folder in its place) and uses the defaults', async () => {
    await mkdir(join(dir, 'settings.json'))
    const read = await readSettings(dir)
    expect(read.settings).toEqual(DEFAULT_SETTINGS)
    expect(read.message).toMatch(/^Lanvas could not read its settings \(.+\) and uses the defaults\.$/)
  })

  it('keeps every one of many changes made at once (one after another, none lost)', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        updateSettings(dir, (s) => ({ ...s, recentBoards: [...s.recentBoards, `/b/${i}.lanvas`] })),
      ),
    )
    expect((await readSettings(dir)).settings.recentBoards).toEqual(
      Array.from({ length: 8 }, (_, i) => `/b/${i}.lanvas`),
    )
  })

  it('keeps the other settings when one changes', async () => {
    await writeSettings(dir, full)
    await updateSettings(dir, (s) => ({ ...s, theme: Theme.Light }))
    expect((await readSettings(dir)).settings).toEqual({ ...full, theme: 'light' })
  })
})
