import type { Page } from 'playwright-core'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'

/**
 * Counts dark ink pixels that the page's canvas layers show within `radius` screen pixels of a board point.
 * Reads the real canvas pixels, so it sees what a person would see, not the model.
 */
export function inkPixelsAt(page: Page, boardX: number, boardY: number, radius = 6): Promise<number> {
  return page.evaluate(
    ({ boardX, boardY, radius }) => {
      const lanvas = window.__lanvas
      if (!lanvas) return -1
      const at = lanvas.boardToScreen(boardX, boardY)
      const container = document.querySelector('[data-testid="board-canvas"]')
      if (!container) return -1
      let count = 0
      for (const canvas of container.querySelectorAll('canvas')) {
        const scale = canvas.width / canvas.clientWidth || 1
        const ctx = canvas.getContext('2d')
        if (!ctx) continue
        const x0 = Math.max(0, Math.floor((at.x - radius) * scale))
        const y0 = Math.max(0, Math.floor((at.y - radius) * scale))
        const size = Math.ceil(2 * radius * scale)
        if (x0 >= canvas.width || y0 >= canvas.height) continue
        const data = ctx.getImageData(x0, y0, size, size).data
        for (let i = 0; i < data.length; i += 4) {
          if (
            (data[i + 3] as number) > 200 &&
            (data[i] as number) < 90 &&
            (data[i + 1] as number) < 90 &&
            (data[i + 2] as number) < 90
          )
            count++
        }
      }
      return count
    },
    { boardX, boardY, radius },
  )
}

/**
 * The RGBA bytes every canvas layer of the page shows within `radius` screen pixels of a board point, layer after
 * layer (a square of device pixels each; outside a canvas reads as transparent), to count what matches in Node.
 */
export function pixelsNear(page: Page, at: [number, number], radius: number): Promise<number[]> {
  return page.evaluate(
    ({ at, radius }) => {
      const s = (window.__lanvas as LanvasTestHandle).boardToScreen(at[0], at[1])
      const out: number[] = []
      for (const canvas of document.querySelectorAll('[data-testid="board-canvas"] canvas')) {
        const c = canvas as HTMLCanvasElement
        const k = c.width / c.clientWidth || 1
        const ctx = c.getContext('2d')
        if (!ctx) continue
        const size = Math.ceil(2 * radius * k)
        const data = ctx.getImageData(
          Math.floor((s.x - radius) * k),
          Math.floor((s.y - radius) * k),
          size,
          size,
        )
        for (const v of data.data) out.push(v)
      }
      return out
    },
    { at, radius },
  )
}

/** How many RGBA pixels of `rgba` (as pixelsNear gives them) `match` holds for. */
export function countPixels(
  rgba: number[],
  match: (r: number, g: number, b: number, a: number) => boolean,
): number {
  let n = 0
  for (let i = 0; i < rgba.length; i += 4)
    if (match(rgba[i] as number, rgba[i + 1] as number, rgba[i + 2] as number, rgba[i + 3] as number)) n++
  return n
}

/** Screen (page) coordinates of a board point on a page, for driving the mouse there. */
export async function screenPointOf(
  page: Page,
  boardX: number,
  boardY: number,
): Promise<{ x: number; y: number }> {
  const at = await page.evaluate(
    ({ boardX, boardY }) => {
      const lanvas = window.__lanvas as LanvasTestHandle
      const p = lanvas.boardToScreen(boardX, boardY)
      const box = document.querySelector('[data-testid="board-canvas"]')?.getBoundingClientRect()
      return { x: p.x + (box?.left ?? 0), y: p.y + (box?.top ?? 0) }
    },
    { boardX, boardY },
  )
  return at
}

/** The colour of the topmost opaque canvas pixel at a board point, as #rrggbb, or '' where there is none. */
export function colourAt(page: Page, x: number, y: number): Promise<string> {
  return page.evaluate(
    ({ x, y }) => {
      const at = (window.__lanvas as LanvasTestHandle).boardToScreen(x, y)
      const container = document.querySelector('[data-testid="board-canvas"]')
      let colour = ''
      for (const canvas of container?.querySelectorAll('canvas') ?? []) {
        const scale = canvas.width / canvas.clientWidth || 1
        const data = canvas
          .getContext('2d')
          ?.getImageData(Math.round(at.x * scale), Math.round(at.y * scale), 1, 1).data
        if (!data || (data[3] as number) < 250) continue
        colour = `#${[data[0], data[1], data[2]].map((v) => (v as number).toString(16).padStart(2, '0')).join('')}`
      }
      return colour
    },
    { x, y },
  )
}
