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
