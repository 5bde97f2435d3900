// Level of detail in a real Chromium page: a dense board zoomed out is drawn from tiles of simplified ink, which
// look like the full drawing of the same board at that zoom, show edits (local and a peer's) at once, and leave the
// drawing at 100 % as it was.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { connectClient, syncUrl, type TestClient } from '../support/hostFixture'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

/** Strokes on the board: far more than the 1,500 a view draws directly, over an 8,000-unit square. */
const STROKES = 4000
const SPAN = 8000
/** Side of the squares (screen px) whose ink density the comparison averages. */
const BLOCK = 8

let dir: string
let browser: Browser
let host: HostProcess
let page: Page
let peer: TestClient

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-lod-'))
  browser = await launchBrowser()
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'dense.lanvas')])
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  // Pen strokes as people draw them (50-150 points, pressure varying), seeded so every run draws the same board.
  await page.evaluate(
    ({ count, span }) => {
      const board = (window.__lanvas as LanvasTestHandle).board
      // mulberry32: 32-bit multiplies, so the numbers do not repeat within the board.
      let seed = 7
      const rand = () => {
        seed = (seed + 0x6d2b79f5) | 0
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
      }
      const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44']
      board.transact(() => {
        for (let i = 0; i < count; i++) {
          let x = rand() * span
          let y = rand() * span
          let heading = rand() * 2 * Math.PI
          let pressure = 0.2 + rand() * 0.6
          const flat: number[] = []
          const n = 50 + Math.floor(rand() * 100)
          for (let p = 0; p < n; p++) {
            heading += (rand() - 0.5) * 0.3
            pressure = Math.min(1, Math.max(0.05, pressure + (rand() - 0.5) * 0.05))
            x += Math.cos(heading) * 4
            y += Math.sin(heading) * 4
            flat.push(x, y, pressure)
          }
          const id = board.beginStroke({ color: colors[i % 4] as string, width: 2 + (i % 4) * 2 }, flat)
          board.finishStroke(id)
        }
      })
    },
    { count: STROKES, span: SPAN },
  )
  const boardId = await page.evaluate(async () => {
    const res = await fetch('/api/boards/default')
    return ((await res.json()) as { id: string }).id
  })
  peer = connectClient(syncUrl(host.port, boardId), 'peer')
  await peer.connection.whenSynced()
  await waitUntil('the peer has the board', () => peer.board.elementIds().length === STROKES, 120_000)
}, 240_000)

afterAll(async () => {
  peer?.destroy()
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** Waits until finished ink is drawn at its final detail for the view, then one more frame. */
async function settled(): Promise<void> {
  await waitUntil(
    'the drawing settles',
    () => page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingSettled()),
    60_000,
  )
  await frames(2)
}

function frames(n: number): Promise<void> {
  return page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r))
  }, n)
}

/** Ink density (alpha, 0-1) of the finished layer in BLOCK × BLOCK squares, row by row. */
function inkBlocks(): Promise<number[]> {
  return page.evaluate((block) => {
    const canvas = document.querySelector('canvas.draws-theme') as HTMLCanvasElement
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
    const { width, height } = canvas
    const data = ctx.getImageData(0, 0, width, height).data
    const bw = Math.floor(width / block)
    const bh = Math.floor(height / block)
    const out = new Float64Array(bw * bh)
    for (let y = 0; y < bh * block; y++)
      for (let x = 0; x < bw * block; x++)
        out[Math.floor(y / block) * bw + Math.floor(x / block)] =
          (out[Math.floor(y / block) * bw + Math.floor(x / block)] as number) +
          (data[(y * width + x) * 4 + 3] as number) / 255
    return Array.from(out, (v) => v / (block * block))
  }, BLOCK)
}

/**
 * Keeps the finished layer's pixels in the page under `name` and returns how many of its pixels are inked and, when
 * `compareWith` names an earlier capture, how many bytes differ from it (compared in the page: 2.8 MB stay there).
 */
function capture(name: string, compareWith?: string): Promise<{ inked: number; differing: number }> {
  return page.evaluate(
    ({ name, compareWith }) => {
      const kept = window as unknown as Record<string, Uint8ClampedArray>
      const canvas = document.querySelector('canvas.draws-theme') as HTMLCanvasElement
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      kept[name] = data
      let inked = 0
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) inked++
      const other = compareWith ? kept[compareWith] : undefined
      let differing = other && other.length === data.length ? 0 : data.length
      if (other && other.length === data.length)
        for (let i = 0; i < data.length; i++) if (data[i] !== other[i]) differing++
      return { inked, differing }
    },
    { name, compareWith },
  )
}

/** Counts pixels of the finished layer near a board point whose colour is close to `rgb`. */
function colourAt(x: number, y: number, rgb: [number, number, number], radius = 6): Promise<number> {
  return page.evaluate(
    ({ x, y, rgb, radius }) => {
      const at = (window.__lanvas as LanvasTestHandle).boardToScreen(x, y)
      const canvas = document.querySelector('canvas.draws-theme') as HTMLCanvasElement
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      const scale = canvas.width / canvas.clientWidth
      const data = ctx.getImageData(
        Math.round((at.x - radius) * scale),
        Math.round((at.y - radius) * scale),
        Math.ceil(2 * radius * scale),
        Math.ceil(2 * radius * scale),
      ).data
      let n = 0
      for (let i = 0; i < data.length; i += 4)
        if (
          (data[i + 3] as number) > 200 &&
          Math.abs((data[i] as number) - rgb[0]) < 40 &&
          Math.abs((data[i + 1] as number) - rgb[1]) < 40 &&
          Math.abs((data[i + 2] as number) - rgb[2]) < 40
        )
          n++
      return n
    },
    { x, y, rgb, radius },
  )
}

/** Ctrl+wheel at the middle of the page, one notch a frame (negative `dy` zooms in). */
async function wheelZoom(notches: number, dy: number): Promise<void> {
  await page.mouse.move(500, 350)
  await page.keyboard.down('Control')
  for (let i = 0; i < notches; i++) {
    await page.mouse.wheel(0, dy)
    await frames(1)
  }
  await page.keyboard.up('Control')
}

/**
 * The same ink in the same places as `full`: total density within 10 %, and square by square a mean difference
 * under `tolerance` of the total (a blank drawing differs by 1).
 */
function expectLike(drawn: number[], full: number[], tolerance: number): void {
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0)
  expect(full.filter((v) => v > 0).length).toBeGreaterThan(1000)
  expect(sum(drawn) / sum(full)).toBeGreaterThan(0.9)
  expect(sum(drawn) / sum(full)).toBeLessThan(1.1)
  let diff = 0
  for (let i = 0; i < full.length; i++) diff += Math.abs((drawn[i] as number) - (full[i] as number))
  expect(diff / sum(full)).toBeLessThan(tolerance)
}

describe('level of detail', () => {
  it('draws a dense board zoomed out from tiles that look like the full drawing', async () => {
    await page.keyboard.press('Escape')
    await page.keyboard.press('Shift+Digit1')
    await settled()
    const fit = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport().zoom)
    expect(fit).toBeLessThan(0.2)
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe('tiles')
    const lod = await inkBlocks()

    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(true))
    await settled()
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe('snapshot')
    const full = await inkBlocks()
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(false))
    await settled()

    // The same ink in the same places: total density within 10 %, and square by square a small mean difference.
    const sum = (a: number[]) => a.reduce((s, v) => s + v, 0)
    const inked = full.filter((v) => v > 0).length
    expect(inked).toBeGreaterThan(1000)
    expect(sum(lod) / sum(full)).toBeGreaterThan(0.9)
    expect(sum(lod) / sum(full)).toBeLessThan(1.1)
    let diff = 0
    for (let i = 0; i < full.length; i++) diff += Math.abs((lod[i] as number) - (full[i] as number))
    expect(diff / sum(full)).toBeLessThan(0.15)
  }, 180_000)

  /**
   * Zooms with drawing paused and checks what stands in (like the full drawing), then lets it refine and checks the
   * refined drawing against the full one.
   */
  const expectStandInThenFull = async (zoom: () => Promise<void>, mode: 'tiles' | 'snapshot') => {
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(true))
    try {
      await zoom()
      await frames(3)
      expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe(mode)
      expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingSettled())).toBe(false)
      const standIn = await inkBlocks()
      await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(false))
      await settled()
      const refined = await inkBlocks()
      await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(true))
      await settled()
      const full = await inkBlocks()
      await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(false))
      await settled()
      expectLike(standIn, full, 0.3)
      expectLike(refined, full, 0.15)
    } finally {
      await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(false))
    }
  }

  it('shows a stand-in, never blank paper, while the tiles of a new zoom render, then the full drawing', async () => {
    await page.keyboard.press('Escape')
    await page.keyboard.press('Shift+Digit1')
    await settled()
    // Nothing renders from here on: whatever shows at the new zoom stands in for tiles not drawn yet.
    await expectStandInThenFull(() => wheelZoom(9, -40), 'tiles') // ×2: the tiles of the next level, none rendered yet
  }, 180_000)

  it('shows the last drawing scaled while a new one renders below 100 %, then the full drawing', async () => {
    await page.keyboard.press('Control+Digit0')
    await settled()
    // Out to about 79 %: few enough strokes for one bitmap, drawn anew.
    await expectStandInThenFull(() => wheelZoom(3, 40), 'snapshot')
  }, 180_000)

  it('draws at 100 % exactly as the full drawing does', async () => {
    await page.keyboard.press('Control+Digit0')
    await settled()
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport().zoom)).toBe(1)
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe('snapshot')
    const drawn = await capture('drawn')
    expect(drawn.inked).toBeGreaterThan(1000)
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(true))
    await settled()
    const full = await capture('full', 'drawn')
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).setFullDetail(false))
    expect(full.inked).toBe(drawn.inked)
    expect(full.differing).toBe(0)
  }, 180_000)

  it("zooms to fit from the bounds the scene keeps, reading no stroke's points again", async () => {
    await page.keyboard.press('Control+Digit0')
    await settled()
    const before = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).strokesDecoded())
    await page.keyboard.press('Shift+Digit1')
    await settled()
    // On 100,000 strokes reading every stroke's points for their bounds was one frame of 17-27 s (issue 9).
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).strokesDecoded())).toBe(before)
    // And the whole board is in view, as when the bounds came from the points.
    const { content, zoom } = await page.evaluate(() => {
      const l = window.__lanvas as LanvasTestHandle
      return { content: l.board.contentBounds(), zoom: l.viewport().zoom }
    })
    expect(content).toBeDefined()
    const c = content as { minX: number; minY: number; maxX: number; maxY: number }
    const corners = await page.evaluate(
      (c) => [
        (window.__lanvas as LanvasTestHandle).boardToScreen(c.minX, c.minY),
        (window.__lanvas as LanvasTestHandle).boardToScreen(c.maxX, c.maxY),
      ],
      c,
    )
    for (const p of corners) {
      expect(p.x).toBeGreaterThanOrEqual(0)
      expect(p.y).toBeGreaterThanOrEqual(0)
      expect(p.x).toBeLessThanOrEqual(1000)
      expect(p.y).toBeLessThanOrEqual(700)
    }
    // Fitted, not merely zoomed out: the board fills most of the page one way or the other.
    const [a, b] = corners as [{ x: number; y: number }, { x: number; y: number }]
    expect(Math.max((b.x - a.x) / 1000, (b.y - a.y) / 700)).toBeGreaterThan(0.5)
    expect(zoom).toBeLessThan(0.2)
  }, 180_000)

  it('shows a stroke added, moved, restyled and deleted over ready tiles at once', async () => {
    await page.keyboard.press('Shift+Digit1')
    await settled()
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe('tiles')
    const green: [number, number, number] = [0, 255, 0]
    const magenta: [number, number, number] = [255, 0, 255]
    const id = await page.evaluate(() => {
      const board = (window.__lanvas as LanvasTestHandle).board
      const id = board.beginStroke({ color: '#00ff00', width: 300 }, [3000, 3000, 0.5, 3600, 3000, 0.5])
      board.finishStroke(id)
      return id
    })
    await frames(2)
    expect(await colourAt(3300, 3000, green)).toBeGreaterThan(0)

    await page.evaluate(
      (id) => (window.__lanvas as LanvasTestHandle).board.updateElement(id, { x: 2000, y: 1000 }),
      id,
    )
    await frames(2)
    expect(await colourAt(5300, 4000, green)).toBeGreaterThan(0)
    expect(await colourAt(3300, 3000, green)).toBe(0)

    await page.evaluate(
      (id) => (window.__lanvas as LanvasTestHandle).board.updateElement(id, { color: '#ff00ff' }),
      id,
    )
    await frames(2)
    expect(await colourAt(5300, 4000, magenta)).toBeGreaterThan(0)
    expect(await colourAt(5300, 4000, green)).toBe(0)

    await page.evaluate((id) => (window.__lanvas as LanvasTestHandle).board.deleteElements([id]), id)
    await frames(2)
    expect(await colourAt(5300, 4000, magenta)).toBe(0)
  }, 180_000)

  it("shows a peer's strokes added, moved, restyled and deleted over ready tiles at once", async () => {
    await page.keyboard.press('Shift+Digit1')
    await settled()
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).drawingMode())).toBe('tiles')
    const green: [number, number, number] = [0, 255, 0]
    const magenta: [number, number, number] = [255, 0, 255]
    /** Waits until the page's board has what the peer did, then gives the page two frames to draw it. */
    const arrived = async (check: string, id: string, attr: string, value: unknown) => {
      await waitUntil(check, () =>
        page.evaluate(
          ({ id, attr, value }) => {
            const el = (window.__lanvas as LanvasTestHandle).board.readElement(id) as unknown as
              | Record<string, unknown>
              | undefined
            return attr === 'gone' ? el === undefined : el?.[attr] === value
          },
          { id, attr, value },
        ),
      )
      await frames(2)
    }
    const id = peer.board.beginStroke({ color: '#00ff00', width: 300 }, [1500, 6000, 0.5, 2100, 6000, 0.5])
    peer.board.finishStroke(id)
    await arrived('the stroke arrives', id, 'done', true)
    expect(await colourAt(1800, 6000, green)).toBeGreaterThan(0)

    peer.board.updateElement(id, { x: 3000, y: -3000 })
    await arrived('the move arrives', id, 'x', 3000)
    expect(await colourAt(4800, 3000, green)).toBeGreaterThan(0)
    expect(await colourAt(1800, 6000, green)).toBe(0)

    peer.board.updateElement(id, { color: '#ff00ff' })
    await arrived('the colour arrives', id, 'color', '#ff00ff')
    expect(await colourAt(4800, 3000, magenta)).toBeGreaterThan(0)

    peer.board.deleteElements([id])
    await arrived('the deletion arrives', id, 'gone', true)
    expect(await colourAt(4800, 3000, magenta)).toBe(0)
  }, 180_000)
})
