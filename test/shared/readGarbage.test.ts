// Reading a large board's elements must leave nothing behind: every reader (a host's overview, an export's layout, a
// page's scene) reads each of 100,000 strokes, and what one read makes must die young. Before, each stroke read was
// an object spread with more keys after it, which V8 made in a way that outlived the young generation: ~3 KB of
// old-generation garbage a stroke (~300 MB on the 100,000-stroke bench board, and twice the time).
import { GCProfiler } from 'node:v8'
import { expect, it } from 'vitest'
import { makeInkBoard } from '../../bench/boards'

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
