import { describe, expect, it } from 'vitest'
import { peerOutlines } from '../../../src/renderer/src/presence/peerOutlines'
import type { PeerPresence } from '../../../src/renderer/src/presence/presence'
import { Board } from '../../../src/shared/board'

const peer = (clientId: number, color: string, selection: string[]): PeerPresence => ({
  clientId,
  laserReceivedAt: 0,
  user: { name: `P${clientId}`, color },
  viewport: { x: 0, y: 0, zoom: 1, width: 800, height: 600 },
  laser: [],
  selection,
})

describe("others' selections on this screen", () => {
  const board = new Board()
  const near = board.addShape('rect', { x: 100, y: 100, width: 200, height: 100, strokeWidth: 1 })
  const far = board.addShape('rect', { x: 5000, y: 5000, width: 10, height: 10 })
  const element = (id: string) => board.readElement(id)

  it('outlines only elements in view, in screen pixels around their bounds, with the tag at the top left', () => {
    const view = { x: 50, y: 0, zoom: 2 }
    const [out, ...rest] = peerOutlines([peer(1, '#e8590c', [near, far, 'gone'])], element, view, 1000, 700)
    expect(rest).toEqual([])
    expect(out?.rects).toHaveLength(1)
    const r = out?.rects[0]
    // Bounds (100..300, 100..200) at zoom 2 from x 50, outside the element by a few pixels.
    expect(r?.minX).toBeLessThan(100)
    expect(r?.minX).toBeGreaterThan(90)
    expect(r?.maxX).toBeGreaterThan(500)
    expect(r?.maxY).toBeGreaterThan(400)
    expect(out?.tag).toEqual({ x: r?.minX, y: r?.minY })
    expect(out?.color).toBe('#e8590c')
  })

  it('nests the outlines of two people on one element, and leaves out those with nothing in view', () => {
    const view = { x: 0, y: 0, zoom: 1 }
    const all = peerOutlines(
      [peer(1, '#e8590c', [near]), peer(2, '#2b8a3e', [near]), peer(3, '#1c7ed6', [far])],
      element,
      view,
      1000,
      700,
    )
    expect(all.map((p) => p.clientId)).toEqual([1, 2])
    expect(all[1]?.rects[0]?.minX).toBeLessThan(all[0]?.rects[0]?.minX as number)
  })
})
