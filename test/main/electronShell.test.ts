// src/main/index.ts itself, with the recorder of test/support/electronStandIn.ts as the `electron` module (Electron
// does not run here): the app starts its real host on loopback, and every page it creates is locked down by lockDown.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { electron } from '../support/electronStandIn'
import { waitUntil } from '../support/waitUntil'

vi.mock('electron', async () => (await import('../support/electronStandIn')).electron.module)

interface FakeContents {
  openHandler?: (details: { url: string }) => unknown
  events: Map<string, (...args: unknown[]) => void>
}

let dir: string
let contents: FakeContents
let ownUrl: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-shell-'))
  electron.paths.root = dir
  await import('../../src/main/index')
  electron.resolveReady()
  const window = await waitUntil('the app opens its window', () => electron.BrowserWindow.windows[0]?.url)
  ownUrl = new URL(window).origin
  const fake: FakeContents = { events: new Map() }
  const webContents = {
    setWindowOpenHandler: (fn: FakeContents['openHandler']) => {
      fake.openHandler = fn
    },
    on: (name: string, fn: (...args: unknown[]) => void) => fake.events.set(name, fn),
  }
  electron.appHandlers.get('web-contents-created')?.({}, webContents)
  contents = fake
})

afterAll(async () => {
  // The app's own quit path: saves and stops the host.
  electron.appHandlers.get('before-quit')?.({ preventDefault: () => {} })
  await waitUntil('the host stops', () => electron.calls.includes('quit'))
  await rm(dir, { recursive: true, force: true })
})

beforeEach(() => {
  electron.calls.length = 0
  electron.user.answer = 1
  electron.user.hold = false
})

describe('new windows a page asks for (setWindowOpenHandler in src/main/index.ts)', () => {
  it('opens an http(s) link in the browser only after the user says yes in a native dialog', async () => {
    expect(contents.openHandler?.({ url: 'https://example.org/help' })).toEqual({ action: 'deny' })
    await waitUntil('the question is asked', () => electron.calls.length > 0)
    await new Promise((r) => setImmediate(r))
    expect(electron.calls).toEqual(['showMessageBox Open this link in your web browser?'])

    electron.calls.length = 0
    electron.user.answer = 0
    contents.openHandler?.({ url: 'https://example.org/help' })
    await waitUntil('the link opens', () => electron.calls.includes('openExternal https://example.org/help'))
    expect(electron.calls).toEqual([
      'showMessageBox Open this link in your web browser?',
      'openExternal https://example.org/help',
    ])
  })

  it('asks one question at a time: a page cannot stack dialogs, and refuses other schemes without asking', async () => {
    electron.user.hold = true
    for (let i = 0; i < 20; i++) contents.openHandler?.({ url: `https://example.org/${i}` })
    contents.openHandler?.({ url: 'file:///etc/passwd' })
    await waitUntil('the question is asked', () => electron.calls.length > 0)
    expect(electron.calls).toEqual(['showMessageBox Open this link in your web browser?'])
    for (const answer of electron.user.pending.splice(0)) answer()
  })
})

describe('navigation of every frame (src/main/index.ts)', () => {
  const decide = (event: string, url: string) => {
    let prevented = false
    const e = { url, preventDefault: () => (prevented = true) }
    const handler = contents.events.get(event)
    if (!handler) throw new Error(`no ${event} handler`)
    if (event === 'will-frame-navigate') handler(e)
    else handler(e, url)
    return prevented ? 'refused' : 'allowed'
  }

  it.each([
    ['the own page', 'allowed', () => `${ownUrl}/#board=x`],
    ['another site', 'refused', () => 'http://evil.example/'],
    ['a file', 'refused', () => 'file:///etc/passwd'],
    ['the own host on another port', 'refused', () => `${ownUrl.replace(/:\d+$/, ':1')}/`],
  ])(
    'applies the will-navigate rule to subframes too (will-frame-navigate): %s is %s',
    (_what, verdict, url) => {
      expect(decide('will-navigate', url())).toBe(verdict)
      expect(decide('will-frame-navigate', url())).toBe(verdict)
    },
  )
})
