import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as encoding from 'lib0/encoding'
import { beforeEach, describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { assetIdOf } from '../../../src/shared/elements/image'
import { CloseReason, MessageType } from '../../../src/shared/sync/protocol'
import { decodeImage } from '../../shared/exportFixtures'
import { recordFigures } from '../../support/figures'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { gifWithLargeFrame, jpegHeader, solidPng, webpVp8x } from '../../support/imageBombs'
import { waitUntil } from '../../support/waitUntil'

const TEST = 'test/main/host/imageBombs.test.ts'
// 17,000 × 4,000 px of red in 8 KB: 68 Mpx, 272 MB once decoded (over both caps, yet safe to decode in a test).
const BOMB = () => solidPng(17_000, 4_000)

/** A board with one image element whose asset is `bytes` (as a hand-made file could hold it). */
function boardWithImage(bytes: Uint8Array): Board {
  const board = new Board(new Y.Doc(), 'ann')
  const id = board.addImage(solidPng(4, 4, [0, 0, 255]), 'image/png', 800, 188, { x: 0, y: 0 })
  const assetId = assetIdOf(bytes)
  const asset = new Y.Map<unknown>()
  board.assets.set(assetId, asset)
  asset.set('mime', 'image/png')
  asset.set('bytes', bytes)
  asset.set('width', 800)
  asset.set('height', 188)
  board.elements.get(id)?.set('assetId', assetId)
  return board
}

describe('image decompression bombs', () => {
  const scope = eachTestHost()
  let lines: string[]
  beforeEach(() => {
    lines = []
  })

  it.each([
    ['a PNG of 17,000 × 4,000', BOMB, '17000 × 4000 px'],
    ['a GIF whose frame is 20,000 px wide', () => gifWithLargeFrame(20_000, 300), '20000 × 300 px'],
    ['a JPEG of 30,000 × 20', () => jpegHeader(30_000, 20), '30000 × 20 px'],
    ['a WebP of 30,000 × 30,000', () => webpVp8x(30_000, 30_000), '30000 × 30000 px'],
  ])(
    'closes a participant who sends %s (claiming 100 × 100), and the board never gets it',
    async (_what, make, size) => {
      const host = await scope.start()
      const peer = scope.raw(syncUrl(host.port, host.defaultBoardId), { name: 'mallory' }, { plain: true })
      await waitUntil('mallory is welcomed', () => peer.welcome())
      const bytes = make()
      const doc = new Y.Doc()
      const asset = new Y.Map<unknown>()
      doc.getMap('assets').set(assetIdOf(bytes), asset)
      asset.set('mime', 'image/png')
      asset.set('bytes', bytes)
      asset.set('width', 100)
      asset.set('height', 100)
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
      peer.sendFrame(encoding.toUint8Array(encoder))
      const closed = await peer.closed
      expect(closed.code).toBe(CloseReason.InvalidMessage)
      expect(closed.reason).toContain(`an image of ${size}`)
      expect(openBoardFile(host.boardFileBytes(host.defaultBoardId)).assets.size).toBe(0)
    },
  )

  it('refuses a bomb added on this computer (paste, drop, the image tool) with a message that says why', () => {
    const board = new Board(new Y.Doc(), 'ann')
    // The renderer passes the size it decoded; a caller that lies about it is still refused by the header.
    expect(() => board.addImage(solidPng(12_000, 12_000), 'image/png', 100, 100, { x: 0, y: 0 })).toThrow(
      'This image is 12,000 × 12,000 px; images on a board can be at most 16,384 px a side and 64 megapixels. Make it smaller and add it again.',
    )
    expect(board.assets.size).toBe(0)
  })

  it('opens a board file holding a bomb: keeps it, says so in the log, and exports a grey box instead', async () => {
    const bomb = BOMB()
    await writeFile(join(scope.dir, 'board.lanvas'), encodeBoardFile(boardWithImage(bomb).doc))
    const host = await scope.start({ log: (line) => lines.push(line) })
    expect(lines.join('\n')).toMatch(
      /image [0-9a-f]{12} is kept but never drawn or exported: This image is 17,000 × 4,000 px, over the cap/,
    )
    const before = process.memoryUsage().rss
    const res = await fetch(
      `${host.url}api/boards/${host.defaultBoardId}/export?format=png&scale=1&padding=0`,
    )
    expect(res.status).toBe(200)
    const image = await decodeImage(new Uint8Array(await res.arrayBuffer()))
    const growth = Math.max(0, process.memoryUsage().rss - before)
    const centre = (Math.floor(image.height / 2) * image.width + Math.floor(image.width / 2)) * 4
    // The scene's grey box (#e9ecef), not the bomb's red.
    expect([...image.data.subarray(centre, centre + 3)]).toEqual([0xe9, 0xec, 0xef])
    for (const format of ['svg', 'pdf']) {
      const other = await fetch(`${host.url}api/boards/${host.defaultBoardId}/export?format=${format}`)
      expect(other.status).toBe(200)
      const text = Buffer.from(await other.arrayBuffer()).toString('latin1')
      expect(text).not.toContain(Buffer.from(bomb).toString('base64').slice(0, 40))
    }
    // Nothing the file held is lost: the image is still in the board.
    expect(openBoardFile(host.boardFileBytes(host.defaultBoardId)).asset(assetIdOf(bomb))?.bytes).toEqual(
      bomb,
    )
    await recordFigures('image-bombs', [
      {
        label: 'image bombs tried over the network (PNG, GIF, JPEG, WebP)',
        value: 4,
        test: TEST,
        key: 'bombs',
      },
      { label: 'image bombs tried in a board file, exported as PNG, SVG and PDF', value: 1, test: TEST },
      {
        label: 'host memory growth exporting a 17,000 × 4,000 px bomb (MB)',
        value: Math.round(growth / 2 ** 20),
        test: TEST,
      },
    ])
  })
})
