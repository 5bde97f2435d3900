import type { Page } from 'playwright-core'

type Recorder = Window & { __frames?: number[]; __long?: number[]; __recording?: boolean }

/**
 * Records a page's requestAnimationFrame deltas and long tasks while `action` runs and for `settleMs` after (the
 * Chromium benches' frame figures).
 */
export async function frameTimes(
  page: Page,
  action: () => Promise<void>,
  settleMs = 600,
): Promise<{ frames: number[]; longTasks: number[] }> {
  await page.evaluate(() => {
    const w = window as Recorder
    w.__frames = []
    w.__long = []
    w.__recording = true
    new PerformanceObserver((list) => {
      if (w.__recording) for (const e of list.getEntries()) w.__long?.push(e.duration)
    }).observe({ type: 'longtask' })
    let last = -1
    const tick = (t: number) => {
      if (last >= 0) w.__frames?.push(t - last)
      last = t
      if (w.__recording) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  await action()
  await page.waitForTimeout(settleMs)
  return page.evaluate(() => {
    const w = window as Recorder
    w.__recording = false
    return { frames: w.__frames ?? [], longTasks: w.__long ?? [] }
  })
}
