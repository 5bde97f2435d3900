// The real desktop app in Electron, through Playwright's Electron support, for machines that have Electron's binary.
// Where there is none (it is not fetched at install time, and cannot be downloaded everywhere), the suite is skipped
// and says so in its name and in one line of output; everything it drives is also tested without Electron.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeBoardFile } from '../../src/shared/boardFile'

/** The page's view of the preload, as far as this test uses it. */
type AppWindow = { lanvas?: { recentBoards(): Promise<string[]> } }

const root = new URL('../../', import.meta.url).pathname

/** Electron's binary as its package records it after a download; never fetched here (requiring 'electron' would). */
function electronBinary(): string | undefined {
  const dir = join(root, 'node_modules/electron')
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : undefined
}

const binary = electronBinary()
const SKIPPED =
  'SKIPPED: no Electron binary on this machine (node_modules/electron/path.txt); `npm start` fetches it'
if (!binary) console.log(`test/e2e/electronApp.test.ts ${SKIPPED}`)

describe.skipIf(!binary)(
  binary ? 'the desktop app in Electron' : `the desktop app in Electron: ${SKIPPED}`,
  () => {
    let dir: string
    let app: Awaited<ReturnType<typeof _electron.launch>>
    const boardPath = () => join(dir, 'Double-clicked.lanvas')

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lanvas-electron-'))
      await writeFile(boardPath(), encodeBoardFile(new Y.Doc()))
      // As a double-click does: the board's path on the command line; settings in a fresh data folder.
      app = await _electron.launch({
        executablePath: binary,
        args: [root, `--user-data-dir=${join(dir, 'data')}`, boardPath()],
      })
    })

    afterAll(async () => {
      await app?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('opens the board from the command line, with the preload API and the File menu', async () => {
      const page = await app.firstWindow()
      await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
      expect(await page.getByTestId('board-name').textContent()).toBe('Double-clicked')
      expect(await page.evaluate(() => typeof (window as unknown as AppWindow).lanvas?.recentBoards)).toBe(
        'function',
      )
      const menus = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label))
      expect(menus).toContain('File')
      expect(await page.evaluate(() => (window as unknown as AppWindow).lanvas?.recentBoards())).toEqual([
        boardPath(),
      ])
    })
  },
)
