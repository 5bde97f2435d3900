/**
 * View first on the in-memory network: the host writes a joiner's preview out before it starts cutting the board's
 * parts (a large board's first cut takes its host a while; the preview waited for it when both left in one turn).
 */
import { describe, expect, it } from 'vitest'
import { ManualTimers, type MemoryLink, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { BoardPreview } from '../../../../src/shared/sync/preview'
import { MessageType } from '../../../../src/shared/sync/protocol'
import { MemoryRoom } from '../../../support/memoryRoom'

const VIEW = { minX: 0, minY: 0, maxX: 800, maxY: 600 }

function types(link: MemoryLink): number[] {
  return link.toClient.flatMap((d) => (d.kind === 'frame' ? [d.data[0] ?? -1] : []))
}

describe('a preview on a board of several parts', () => {
  it('is written out before the host cuts the first part, and the board follows it', () => {
    const timers = new ManualTimers(seededRandom(3))
    const host = new MemoryRoom(timers, false, { syncPartBytes: 8 * 1024 })
    const writer = host.join('writer')
    host.network.flush()
    const random = seededRandom(11)
    for (let i = 0; i < 200; i++) {
      const flat: number[] = []
      let x = random() * 3000
      let y = random() * 2000
      for (let p = 0; p < 40; p++) {
        x += random() * 8 - 4
        y += random() * 8 - 4
        flat.push(x, y, 0.5)
      }
      writer.board.finishStroke(writer.board.beginStroke({ color: '#1e1e1e', width: 3 }, flat))
    }
    host.network.flush()
    expect(host.room.doc.getMap('elements').size).toBe(200)

    const preview = new BoardPreview(() => VIEW)
    const { board: joiner, connection } = host.join('joiner', { preview })
    const link = host.network.links.at(-1) as MemoryLink
    // Until the host answers the joiner's SyncStep1 with its preview.
    for (let n = 0; n < 1000 && !types(link).includes(MessageType.Preview); n++)
      if (!link.deliver('host')) link.deliver('client')
    expect(types(link)).toContain(MessageType.Preview)
    // Nothing of the board yet: the host cuts it once the preview left.
    expect(types(link)).not.toContain(MessageType.SyncPart)
    while (types(link).includes(MessageType.Preview)) link.deliver('client')
    expect(preview.elements.size).toBeGreaterThan(0)
    expect(joiner.elementIds()).toHaveLength(0)
    expect(types(link)).toContain(MessageType.SyncPart)
    host.network.flush()
    expect(joiner.elementIds()).toHaveLength(200)
    expect(preview.ended).toBe(true)
    connection.close()
  })
})
