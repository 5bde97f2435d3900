// Reading a large board's elements must leave nothing behind: every reader (a host's overview, an export's layout, a
// page's scene) reads each of 100,000 strokes, and what one read makes must die young. Before, each stroke read was
// an object spread with more keys after it, which V8 made in a way that outlived the young generation: ~3 KB of
// old-generation garbage a stroke (~300 MB on the 100,000-stroke bench board, and twice the time).
import { GCProfiler } from 'node:v8'
import { expect, it } from 'vitest'
import { makeInkBoard } from '../../bench/boards'
import { strokeOptions } from '../../src/shared/scene/outline'

interface SpaceStats {
  spaceName: string
  spaceUsedSize: number
}
interface GcStat {
  gcType: string
  beforeGC: { heapSpaceStatistics: SpaceStats[] }
  afterGC: { heapSpaceStatistics: SpaceStats[] }
}

/** Bytes the young generation's collections moved to the old generation while `work` ran (V8's own GC records). */
function promotedBy(work: () => void): number {
  const profiler = new GCProfiler()
  profiler.start()
  work()
  const stats = (profiler.stop() as unknown as { statistics: GcStat[] }).statistics
  const old = (spaces: SpaceStats[]) => spaces.find((s) => s.spaceName === 'old_space')?.spaceUsedSize ?? 0
  let promoted = 0
  for (const gc of stats)
    if (gc.gcType === 'Scavenge')
      promoted += old(gc.afterGC.heapSpaceStatistics) - old(gc.beforeGC.heapSpaceStatistics)
  return promoted
}

it('reads every stroke of a 5,000-stroke board without filling the old generation', () => {
  const board = makeInkBoard(5_000, 'compact')
  const ids = board.elementIds()
  expect(ids.length).toBe(5_000)
  // Warm: the readers' code optimized, as in a host that has read the board before.
  for (let round = 0; round < 3; round++) for (const id of ids) board.readElement(id)
  let points = 0
  const promoted = promotedBy(() => {
    for (let round = 0; round < 4; round++)
      for (const id of ids) {
        const el = board.readElement(id)
        if (el?.kind === 'stroke') points += el.points.length
      }
  })
  expect(points).toBeGreaterThan(0)
  // 20,000 reads at ~3 KB each would be ~60 MB; what is alive at a collection (the stroke being read) is a few KB.
  expect(promoted).toBeLessThan(8 * 2 ** 20)
  board.destroy()
})

it("makes a stroke's outline options without filling the old generation", () => {
  const points = new Float32Array([0, 0, 0.5, 3, 4, 0.7, 9, 2, 0.6])
  const mouse = new Float32Array([0, 0, 0.5, 3, 4, 0.5])
  for (let i = 0; i < 20_000; i++) strokeOptions({ width: 4, points, done: true })
  let widths = 0
  const promoted = promotedBy(() => {
    for (let i = 0; i < 100_000; i++) {
      const options = strokeOptions({ width: 1 + (i % 7), points: i % 2 ? points : mouse, done: i % 3 === 0 })
      widths += options.size ?? 0
    }
  })
  expect(widths).toBe(399_995)
  expect(strokeOptions({ width: 5, points: mouse, done: false })).toEqual({
    thinning: 0.2,
    smoothing: 0.5,
    streamline: 0.4,
    start: { cap: true, taper: false },
    end: { cap: true, taper: false },
    size: 5,
    simulatePressure: true,
    last: false,
  })
  expect(promoted).toBeLessThan(4 * 2 ** 20)
})
