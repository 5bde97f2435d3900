import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS, commandById, shortcutText, TOOL_COMMANDS, toolCommandId } from '../../src/shared/commands'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'

// One command list serves the toolbar, the top bar, the zoom controls, the context menu and the keyboard: what each
// shows is read off the real page and compared with the list.
let dir: string
let host: HostProcess
let browser: Browser
let page: Page

/** What a tooltip or menu shows for a command's keys (not on a Mac: Chromium here reports Linux). */
const keysOf = (id: string) => (commandById(id)?.shortcuts ?? []).map((s) => shortcutText(s)).join(' or ')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-commands-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'commands.lanvas')])
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1100, height: 700 } })
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('the command list', () => {
  it('gives every button of a command the tooltip of that command, with its keys', async () => {
    const buttons = await page
      .locator('button[data-command]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-command'), el.getAttribute('title')]))
    const ids = buttons.map(([id]) => id)
    // The toolbar's tools, undo and redo, the top bar's file commands and the zoom controls.
    expect(ids).toEqual(
      expect.arrayContaining([
        ...TOOL_COMMANDS.map((t) => toolCommandId(t.tool)),
        'undo',
        'redo',
        'save',
        'open',
      ]),
    )
    expect(ids).toEqual(
      expect.arrayContaining(['export', 'zoom-in', 'zoom-out', 'reset-zoom', 'zoom-to-fit']),
    )
    for (const [id, title] of buttons) {
      const command = COMMANDS.find((c) => c.id === id)
      expect(title, String(id)).toBe(`${command?.label} (${keysOf(String(id))})`)
    }
    expect(buttons.find(([id]) => id === 'tool-select')?.[1]).toBe('Select (V or 1)')
  })

  it('picks each tool with each of its keys, as the toolbar says', async () => {
    for (const t of TOOL_COMMANDS)
      for (const s of t.shortcuts) {
        // Image opens a file picker and hands the tool back; laser and hand are not writing tools: all count.
        if (t.tool === 'image') continue
        await page.keyboard.press(s.key ?? '')
        expect(await page.getByTestId(toolCommandId(t.tool)).getAttribute('aria-pressed'), s.key).toBe('true')
      }
  })

  it('P and 7 give the plain pen after Shift+P picked the highlighter', async () => {
    for (const key of ['p', '7']) {
      await page.keyboard.press('Shift+P')
      expect(await page.getByTestId('style-highlighter').getAttribute('aria-pressed')).toBe('true')
      await page.keyboard.press(key)
      expect(await page.getByTestId('tool-pen').getAttribute('aria-pressed'), key).toBe('true')
      expect(await page.getByTestId('style-pen').getAttribute('aria-pressed'), key).toBe('true')
    }
  })

  it('shows in the context menu the keys the command list gives', async () => {
    await page.keyboard.press('r')
    await page.mouse.move(300, 250)
    await page.mouse.down()
    await page.mouse.move(420, 330, { steps: 4 })
    await page.mouse.up()
    await page.keyboard.press('v')
    await page.mouse.click(300, 290, { button: 'right' })
    const menu = page.getByTestId('selection-menu')
    await menu.waitFor()
    const items = await menu
      .locator('[data-command]')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-command'), el.querySelector('kbd')?.textContent]),
      )
    expect(items.map(([id]) => id)).toEqual([
      'copy',
      'cut',
      'duplicate',
      'delete',
      'bring-forward',
      'bring-to-front',
      'send-backward',
      'send-to-back',
      'group',
      'ungroup',
      'toggle-lock',
      'zoom-to-selection',
    ])
    for (const [id, keys] of items) expect(keys, String(id)).toBe(keysOf(String(id)))
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'detached' })
  })
})
