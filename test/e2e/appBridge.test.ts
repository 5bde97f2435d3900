import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'

// The app's own window runs this same page with the preload's `window.lanvas`. Electron cannot run here, so a
// stand-in with the preload's shape records what the page asks of the app; the page itself is the real one.
let dir: string
let host: HostProcess
let browser: Browser

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-app-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'app.lanvas')])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

async function appPage(extra?: () => void): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } })
  await page.addInitScript(() => {
    const calls: unknown[][] = []
    ;(window as unknown as { appCalls: unknown[][] }).appCalls = calls
    ;(window as unknown as { lanvas: unknown }).lanvas = {
      openBoard: async () => null,
      // What the save dialog does next: the test sets it (null: the person cancels).
      saveBoardBytes: async () => (window as unknown as { nextSave: unknown }).nextSave ?? null,
      saveExport: async () => null,
      // The desktop menu: the test chooses an item by calling window.chooseMenu(id), as main's menu would.
      onMenuCommand: (listener: (id: string) => void) => {
        ;(window as unknown as { chooseMenu: (id: string) => void }).chooseMenu = listener
        return () => {}
      },
      hostBoard: async () => ({ error: 'not here' }),
      joinSession: async (url: string) => {
        calls.push(['joinSession', url])
        return null
      },
      networkAddresses: async () => ['192.168.1.5', '10.0.0.7', 'fd00::5'],
      shareSession: async (address?: string) => {
        calls.push(['shareSession', address])
        return { joinLinks: [`http://${address ?? '192.168.1.5'}:47800/#join=abcdefghijklmnopqrstuv`] }
      },
      discoverSessions: async () => [
        {
          name: 'Design review',
          hostName: 'studio',
          boardName: 'Wireframes',
          addresses: ['192.168.1.9'],
          port: 47800,
          approval: true,
          participants: 3,
        },
      ],
    }
  })
  if (extra) await page.addInitScript(extra)
  const owner = /Host link \(keep private\): (\S+)/.exec(host.output())?.[1]
  await page.goto(owner ?? host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  return page
}

const appCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { appCalls: unknown[][] }).appCalls)

describe('the app-only panels', () => {
  it("uses the name and colour from the app's settings, and saves a change there (not in the page's storage)", async () => {
    const page = await appPage(() => {
      const w = window as unknown as { lanvas: Record<string, unknown>; appCalls: unknown[][] }
      w.lanvas.identity = async () => ({ identity: { name: 'Ada', color: '#7048e8' } })
      w.lanvas.setIdentity = async (identity: unknown) => {
        w.appCalls.push(['setIdentity', identity])
        return { identity }
      }
    })
    await page.getByTestId('participants-toggle').click()
    const you = page.locator('[data-testid="participant"][data-you="true"]')
    await expect.poll(() => you.getAttribute('data-name')).toBe('Ada')
    await page.getByTestId('identity-edit').click()
    await page.fill('[data-testid="identity-name"]', 'Ada L.')
    await page.click('[data-testid="identity-color-2b8a3e"]')
    await page.click('[data-testid="identity-submit"]')
    await expect.poll(() => you.getAttribute('data-name')).toBe('Ada L.')
    expect(await appCalls(page)).toEqual([['setIdentity', { name: 'Ada L.', color: '#2b8a3e' }]])
    expect(await page.evaluate(() => localStorage.getItem('lanvas.name'))).toBeNull()
    await page.close()
  })

  it('shares on the one network the person picks, and shows its link and QR code', async () => {
    const page = await appPage()
    await page.getByTestId('share-open').click()
    const networks = page.getByTestId('share-network')
    expect(await networks.locator('option').allTextContents()).toEqual([
      'All networks',
      '192.168.1.5',
      '10.0.0.7',
      'fd00::5',
    ])
    await networks.selectOption('10.0.0.7')
    await page.getByTestId('share-start').click()
    await expect
      .poll(() => page.getByTestId('share-link').first().inputValue())
      .toContain('http://10.0.0.7:47800/')
    await page.getByTestId('share-qr').waitFor()
    expect(await appCalls(page)).toEqual([['shareSession', '10.0.0.7']])
    await page.close()
  })

  it("picks the network the app's settings name in the Share panel", async () => {
    const page = await appPage(() => {
      const w = window as unknown as { lanvas: Record<string, unknown> }
      w.lanvas.settings = async () => ({
        settings: {
          identity: null,
          theme: 'system',
          sharePort: 47800,
          shareNetwork: 'fd00::5',
          autosaveDir: null,
        },
      })
    })
    await page.getByTestId('share-open').click()
    await expect.poll(() => page.getByTestId('share-network').inputValue()).toBe('fd00::5')
    await page.getByTestId('share-start').click()
    await expect.poll(() => appCalls(page)).toEqual([['shareSession', 'fd00::5']])
    await page.close()
  })

  it('lists sessions with how many are in, and joins the one picked', async () => {
    const page = await appPage()
    await page.getByTestId('join-open').click()
    const listed = page.getByTestId('join-session')
    await expect.poll(() => listed.first().textContent()).toContain('3 in')
    expect(await listed.first().textContent()).toContain('Design review')
    await listed.first().click()
    await expect.poll(() => appCalls(page)).toEqual([['joinSession', 'http://192.168.1.9:47800/#knock']])
    await page.close()
  })

  it('opens the Join panel with a join link pasted on the board, and joins on Join; a foreign one says why', async () => {
    const page = await appPage()
    const paste = (text: string) =>
      page.evaluate((t) => {
        const data = new DataTransfer()
        data.setData('text/plain', t)
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }))
      }, text)
    const count = () => page.evaluate(() => window.__lanvas?.board.elementIds().length ?? 0)
    const before = await count()
    await paste('Join us: lanvas://join?address=192.168.1.20:47800&token=abcdefghijklmnopqrstuv, see you')
    await expect
      .poll(() => page.getByTestId('join-address').inputValue())
      .toBe('http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv')
    expect(await appCalls(page)).toEqual([])
    await page.getByTestId('join-submit').click()
    await expect
      .poll(() => appCalls(page))
      .toEqual([['joinSession', 'http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv']])
    await paste('http://8.8.8.8:47800/#join=abcdefghijklmnopqrstuv')
    await expect
      .poll(() => page.getByTestId('message-error').textContent())
      .toContain('8.8.8.8 is not on your local network')
    expect(await count()).toBe(before)
    await page.close()
  })

  it('shows the start screen: new, open, recent boards, sessions on the network, join by link', async () => {
    const page = await appPage(() => {
      const w = window as unknown as { lanvas: Record<string, unknown>; appCalls: unknown[][] }
      w.lanvas.recentBoards = async () => ['/home/ada/Boards/Plan.lanvas', '/home/ada/Old/Gone.lanvas']
      w.lanvas.newBoard = async () => {
        w.appCalls.push(['newBoard'])
        return null
      }
      w.lanvas.openRecentBoard = async (path: string) => {
        w.appCalls.push(['openRecentBoard', path])
        // The board this page shows: opening it again is a board the host has.
        const id = new URLSearchParams(location.hash.slice(1)).get('board') ?? ''
        return path.includes('Gone') ? { error: 'The file is gone.' } : { id }
      }
    })
    // The window's title is the board's name (Electron takes the page's title as the window's).
    const name = await page.getByTestId('board-name').textContent()
    await expect.poll(() => page.title()).toBe(`${name} — Lanvas`)
    await page.getByTestId('start-screen-open').click()
    const screen = page.getByTestId('start-screen')
    const recent = screen.getByTestId('start-recent')
    await expect.poll(() => recent.allTextContents()).toEqual(['Plan/home/ada/Boards', 'Gone/home/ada/Old'])
    await expect.poll(() => screen.getByTestId('join-session').first().textContent()).toContain('3 in')
    await screen.getByTestId('start-new').click()
    await recent.last().click()
    await expect.poll(() => page.getByTestId('message-error').textContent()).toContain('The file is gone.')
    await screen.getByTestId('join-address').fill('lanvas://join?address=192.168.1.20:47800')
    await screen.getByTestId('join-submit').click()
    await expect
      .poll(() => appCalls(page))
      .toEqual([
        ['newBoard'],
        ['openRecentBoard', '/home/ada/Old/Gone.lanvas'],
        ['joinSession', 'http://192.168.1.20:47800/#knock'],
      ])
    await recent.first().click()
    await screen.waitFor({ state: 'detached' })
    expect((await appCalls(page)).at(-1)).toEqual(['openRecentBoard', '/home/ada/Boards/Plan.lanvas'])
    await page.close()
  })

  it("shows and changes the app's settings, says when one was kept, and follows the app's theme", async () => {
    const page = await appPage(() => {
      const w = window as unknown as { lanvas: Record<string, unknown>; appCalls: unknown[][] }
      let current: Record<string, unknown> = {
        identity: null,
        theme: 'system',
        sharePort: 47800,
        shareNetwork: null,
        autosaveDir: null,
      }
      w.lanvas.newBoard = async () => null
      w.lanvas.settings = async () => ({
        settings: current,
        message: "Lanvas's settings file was damaged; it starts with the defaults.",
      })
      w.lanvas.setSettings = async (change: { sharePort?: number }) => {
        w.appCalls.push(['setSettings', change])
        // As main does: a port below 1024 is kept as it was, and named.
        if (change.sharePort !== undefined && change.sharePort < 1024)
          return { settings: current, message: 'These settings were not changed: sharePort.' }
        current = { ...current, ...change }
        return { settings: current }
      }
      w.lanvas.chooseBoardsFolder = async () => {
        current = { ...current, autosaveDir: '/home/ada/Boards' }
        return { settings: current }
      }
    })
    await page.getByTestId('start-screen-open').click()
    await page.getByTestId('start-settings').click()
    await expect.poll(() => page.getByTestId('settings-message').textContent()).toContain('damaged')
    await page.getByTestId('settings-theme-dark').check()
    await page.getByTestId('settings-port').fill('80')
    await page.getByTestId('settings-port').press('Enter')
    await expect
      .poll(() => page.getByTestId('settings-message').textContent())
      .toBe('These settings were not changed: sharePort.')
    expect(await page.getByTestId('settings-port').inputValue()).toBe('47800')
    await page.getByTestId('settings-network').selectOption('10.0.0.7')
    await page.getByTestId('settings-folder-choose').click()
    await expect.poll(() => page.getByTestId('settings-folder').textContent()).toBe('/home/ada/Boards')
    await page.getByTestId('settings-folder-default').click()
    expect(await appCalls(page)).toEqual([
      ['setSettings', { theme: 'dark' }],
      ['setSettings', { sharePort: 80 }],
      ['setSettings', { shareNetwork: '10.0.0.7' }],
      ['setSettings', { autosaveDir: null }],
    ])
    // Main applies the theme as the page's prefers-color-scheme (nativeTheme); the page follows it at once.
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    await page.close()
  })

  it('runs the commands of the desktop menu in the page: a tool, and undo of a drawn line', async () => {
    const page = await appPage()
    const choose = (id: string) =>
      page.evaluate((cmd) => (window as unknown as { chooseMenu: (id: string) => void }).chooseMenu(cmd), id)
    await choose('tool-rectangle')
    expect(await page.getByTestId('tool-rectangle').getAttribute('aria-pressed')).toBe('true')
    await choose('tool-pen')
    const count = () => page.evaluate(() => window.__lanvas?.board.elementIds().length ?? 0)
    const before = await count()
    await page.mouse.move(400, 300)
    await page.mouse.down()
    await page.mouse.move(500, 350, { steps: 5 })
    await page.mouse.up()
    await expect.poll(count).toBe(before + 1)
    await choose('undo')
    await expect.poll(count).toBe(before)
    await page.close()
  })

  it('says where Save put the board, why it could not, and nothing when the person cancels', async () => {
    const page = await appPage()
    const nextSave = (result: unknown) =>
      page.evaluate((r) => {
        ;(window as unknown as { nextSave: unknown }).nextSave = r
      }, result)
    await nextSave({ path: '/home/me/Lanvas/Plan.lanvas' })
    await page.keyboard.press('Control+s')
    await expect
      .poll(() => page.getByTestId('message-info').textContent())
      .toContain('Saved to /home/me/Lanvas/Plan.lanvas')
    await nextSave({ error: 'The disk is full.' })
    await page.getByTestId('save-board').click()
    await expect.poll(() => page.getByTestId('message-error').textContent()).toContain('The disk is full.')
    await page.getByTestId('message-dismiss').last().click()
    await nextSave(null)
    await page.keyboard.press('Control+s')
    // A cancelled dialog says nothing: the save after it is the next thing said, and no error came first.
    await nextSave({ path: '/home/me/Lanvas/Plan 2.lanvas' })
    await page.getByTestId('save-board').click()
    await expect
      .poll(() => page.getByTestId('message-info').last().textContent())
      .toContain('Saved to /home/me/Lanvas/Plan 2.lanvas')
    expect(await page.getByTestId('message-error').count()).toBe(0)
    await page.close()
  })
})
