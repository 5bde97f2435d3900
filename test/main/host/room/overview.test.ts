import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { HostLimits } from '../../../../src/main/host/limits'
import { OVERVIEW_GAP_PER_COST, QUICK_QUIET_MS } from '../../../../src/main/host/room/overview'
import {
  appendToOverview,
  type BoardSnapshot,
  boardSnapshot,
  canvasToKeep,
  drawOverview,
  type OverviewDrawing,
  PIECE_PIXELS,
  WALK_EVERY,
  yjsSnapshot,
} from '../../../../src/main/host/room/overviewDraw'
import { livePictureWorkers, PictureWorker } from '../../../../src/main/host/room/overviewPictures'
import type { SavedOverview } from '../../../../src/main/host/savedOverviews'
import type { Board } from '../../../../src/shared/board'
import { readFrame } from '../../../../src/shared/sync/frames'
import { ManualTimers, type MemoryLink, seededRandom } from '../../../../src/shared/sync/memorySocket'
import {
  BoardOverview,
  MAX_OVERVIEW_BYTES,
  MAX_OVERVIEW_SIDE,
  type OverviewImage,
  overviewProblem,
  pngSize,
} from '../../../../src/shared/sync/overview'
import { BoardPreview } from '../../../../src/shared/sync/preview'
import { MessageType } from '../../../../src/shared/sync/protocol'
import { builtFile } from '../../../support/built'
import {
  BLOCK,
  EMPTY_PLACES,
  expectAsFreshDrawing,
  fillDense,
  overviewPixels,
  redAcross,
  TOP_BAND,
} from '../../../support/denseInk'
import { MemoryRoom } from '../../../support/memoryRoom'

/** The built picture worker (`npx electron-vite build`): the host's own, as it runs from out/. */
const PICTURE_WORKER = builtFile('main/overviewWorker.js')

/** Places inside the ink areas, where dense strokes cover almost every pixel. */
const INK_PLACES = [
  { x: 300, y: 200 },
  { x: 3000, y: 200 },
  { x: 5700, y: 200 },
  { x: 5000, y: 3500 },
]

/** The ids of the block's strokes (the blue ones, drawn after the top band). */
function blockIds(board: Board): string[] {
  return board
    .readElements()
    .filter((el) => el.kind === 'stroke' && (el as { color?: string }).color === '#1971c2')
    .map((el) => el.id)
}

/** The room, a writer that filled the board, and a memory network delivering by hand. */
function bigBoard(limits: Partial<HostLimits> = { syncPartBytes: 8 * 1024 }) {
  const timers = new ManualTimers(seededRandom(5))
  const host = new MemoryRoom(timers, false, limits)
  const writer = host.join('writer')
  host.network.flush()
  fillDense(writer.board, TOP_BAND)
  fillDense(writer.board, BLOCK, '#1971c2')
  host.network.flush()
  return { host, writer }
}

/**
 * The newest joiner's link delivered a message at a time (`step`: false once nothing is left to deliver), and the
 * types of the frames the host sent it, in order.
 */
function stepLastLink(host: MemoryRoom) {
  const link = host.network.links.at(-1) as MemoryLink
  const types: number[] = []
  const step = () => {
    const head = link.toClient[0]
    if (head?.kind === 'frame') types.push(head.data[0] ?? -1)
    return link.deliver('client') || link.deliver('host')
  }
  return { types, step }
}

/** A late joiner asking for the overview (and a preview, as the page does), and the frames it got, in order. */
function lateJoin(host: MemoryRoom) {
  const overview = new BoardOverview()
  const shown: OverviewImage[] = []
  overview.onChange(() => {
    if (overview.image) shown.push(overview.image)
  })
  const { board: joiner, connection } = host.join('joiner', {
    preview: new BoardPreview(() => ({ minX: 0, minY: 0, maxX: 800, maxY: 600 })),
    overview,
  })
  const link = host.network.links.at(-1) as MemoryLink
  const got: { type: number; bytes: Uint8Array }[] = []
  for (let n = 0; n < 100_000; n++) {
    const head = link.toClient[0]
    if (head?.kind === 'frame') got.push({ type: head.data[0] ?? -1, bytes: head.data })
    if (!link.deliver('client') && !link.deliver('host')) break
  }
  return { joiner, overview, shown, connection, types: got.map((g) => g.type), got }
}

/**
 * The overview's pixels: the PNG decoded by @napi-rs/canvas, and a reader of the most opaque pixel within two pixels
 * of a board point (the ink's lines leave gaps of a pixel or so at this scale).
 */
function decode(image: OverviewImage): (x: number, y: number) => number {
  const img = overviewPixels(image)
  const { data } = img
  const { rect } = image
  return (x, y) => {
    const px = Math.floor(((x - rect.minX) / (rect.maxX - rect.minX)) * img.width)
    const py = Math.floor(((y - rect.minY) / (rect.maxY - rect.minY)) * img.height)
    let most = 0
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        const qx = Math.min(img.width - 1, Math.max(0, px + dx))
        const qy = Math.min(img.height - 1, Math.max(0, py + dy))
        most = Math.max(most, data[(qy * img.width + qx) * 4 + 3] as number)
      }
    return most
  }
}

/** An overview's pixels, RGBA, as @napi-rs/canvas decodes its PNG. */
describe("a large board's overview", () => {
  it('reaches a late joiner before the first part and shows the ink where the board has it', async () => {
    const { host } = bigBoard()
    await host.room.overview.refresh()
    const { joiner, overview, shown, types, connection } = lateJoin(host)
    // The overview, then the preview (the page decodes the picture while it draws the preview), then the board in parts.
    const at = types.indexOf(MessageType.Overview)
    expect(at).toBeGreaterThanOrEqual(0)
    expect(types.indexOf(MessageType.Preview)).toBeGreaterThan(at)
    expect(types.indexOf(MessageType.SyncPart)).toBeGreaterThan(types.lastIndexOf(MessageType.Preview))
    expect(types.indexOf(MessageType.SyncPart)).toBeGreaterThan(at)
    expect(types.filter((t) => t === MessageType.SyncPart).length).toBeGreaterThan(1)
    const image = shown[0] as OverviewImage
    expect(overviewProblem(image)).toBeUndefined()
    // It covers the board's extent (the ink's bounds, grown by half a stroke's width).
    expect(image.rect.minX).toBeLessThanOrEqual(0)
    expect(image.rect.maxX).toBeGreaterThanOrEqual(6000)
    expect(image.rect.maxY).toBeGreaterThanOrEqual(4000)
    expect(image.rect.maxX).toBeLessThan(6100)
    const size = pngSize(image.png)
    expect(Math.max(size?.width ?? 0, size?.height ?? 0)).toBeLessThanOrEqual(MAX_OVERVIEW_SIDE)
    expect(image.png.byteLength).toBeLessThanOrEqual(MAX_OVERVIEW_BYTES)
    const alpha = decode(image)
    for (const p of INK_PLACES) expect(alpha(p.x, p.y), `ink at ${p.x},${p.y}`).toBeGreaterThan(128)
    for (const p of EMPTY_PLACES) expect(alpha(p.x, p.y), `nothing at ${p.x},${p.y}`).toBe(0)
    // Once the board is all here, the overview is gone.
    expect(connection.synced).toBe(true)
    expect(joiner.elementIds()).toHaveLength(70)
    expect(overview.ended).toBe(true)
    expect(overview.image).toBeUndefined()
    host.room.close()
  })

  it('reaches a joiner that came before it was drawn, between the parts, once drawn', async () => {
    const { host } = bigBoard()
    const overview = new BoardOverview()
    const { connection } = host.join('joiner', { overview })
    const shown: boolean[] = []
    overview.onChange(() => shown.push(overview.image !== undefined))
    const { types, step } = stepLastLink(host)
    // Until the first part came: no overview had been drawn when the joiner asked.
    for (let n = 0; n < 10_000 && !types.includes(MessageType.SyncPart); n++) step()
    expect(types).toContain(MessageType.SyncPart)
    expect(types).not.toContain(MessageType.Overview)
    // The join asked the host to draw it; once drawn, it goes to the joiner whose board is still coming.
    await host.room.overview.refresh()
    for (let n = 0; n < 100_000 && step(); n++);
    const at = types.indexOf(MessageType.Overview)
    expect(at).toBeGreaterThan(types.indexOf(MessageType.SyncPart))
    // Shown while the rest came, then gone with the board.
    expect(shown).toEqual([true, false])
    expect(connection.synced).toBe(true)
    expect(overview.ended).toBe(true)
    host.room.close()
  })

  it('goes stale with an edit, is not sent so, and is drawn again with the edit in it', async () => {
    const { host, writer } = bigBoard()
    await host.room.overview.refresh()
    expect(host.room.overview.frame()).toBeDefined()
    // A stroke in a place that was empty.
    const empty = EMPTY_PLACES[0] as { x: number; y: number }
    redAcross(writer.board, empty)
    host.network.flush()
    expect(host.room.overview.frame()).toBeUndefined()
    const stale = lateJoin(host)
    expect(stale.types).not.toContain(MessageType.Overview)
    // Drawn again (the joiner above asked for it; the host also redraws once edits stop); that joiner's board came
    // once the quick drawing was (its parts wait for one a moment).
    await host.room.overview.refresh()
    await new Promise((r) => setImmediate(r))
    host.network.flush()
    expect(stale.connection.synced).toBe(true)
    expect(host.room.overview.frame()).toBeDefined()
    const fresh = lateJoin(host)
    expect(fresh.types).toContain(MessageType.Overview)
    const alpha = decode(fresh.shown[0] as OverviewImage)
    expect(alpha(empty.x, empty.y)).toBeGreaterThan(128)
    for (const p of INK_PLACES) expect(alpha(p.x, p.y)).toBeGreaterThan(128)
    host.room.close()
  })

  it('draws strokes added on top onto the last picture alone, with the pixels a whole drawing has', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    expect(overview.figures?.added).toBeUndefined()
    // Two strokes in places that were empty, one after the other (each its own edit).
    const [a, b] = EMPTY_PLACES as [{ x: number; y: number }, { x: number; y: number }]
    for (const p of [a, b]) redAcross(writer.board, p)
    host.network.flush()
    expect(overview.frame()).toBeUndefined()
    await overview.refresh()
    // Only the two new strokes were drawn, onto the last drawing's canvas.
    expect(overview.figures?.added).toBe(2)
    const join = lateJoin(host)
    expect(join.types).toContain(MessageType.Overview)
    const image = join.shown[0] as OverviewImage
    const alpha = decode(image)
    for (const p of [a, b]) expect(alpha(p.x, p.y), `new ink at ${p.x},${p.y}`).toBeGreaterThan(128)
    for (const p of INK_PLACES) expect(alpha(p.x, p.y)).toBeGreaterThan(128)
    expect(alpha((EMPTY_PLACES[2] as { x: number }).x, (EMPTY_PLACES[2] as { y: number }).y)).toBe(0)
    // The same picture as the whole board drawn afresh, pixel for pixel.
    await expectAsFreshDrawing(image, host.room.doc)
    host.room.close()
  })

  it('is drawn whole when many elements under the new ones changed: moved ink leaves its old place', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    // The block's strokes (drawn last but before the new one) move up by 1,000; a new stroke goes on top.
    const block = blockIds(writer.board)
    expect(block).toHaveLength(50)
    writer.board.moveElements(block, [], 0, -1000)
    const empty = EMPTY_PLACES[1] as { x: number; y: number }
    redAcross(writer.board, empty)
    host.network.flush()
    await overview.refresh()
    // Fifty of the board's 71 elements changed: more than a region redraw takes on (a quarter of them).
    expect(overview.figures?.added).toBeUndefined()
    expect(overview.figures?.redrawn).toBeUndefined()
    const alpha = decode(lateJoin(host).shown[0] as OverviewImage)
    expect(alpha(5000, 3500), 'the block is gone from where it was').toBe(0)
    expect(alpha(5000, 2500), 'the block is where it went').toBeGreaterThan(128)
    expect(alpha(empty.x, empty.y)).toBeGreaterThan(128)
    host.room.close()
  })

  it('rasterizes what each slice drew before the slice ends (whole, strokes added, regions), with the same pixels', async () => {
    // @napi-rs/canvas records what is drawn and rasterizes it at the canvas's first read, in one piece: each slice of
    // the drawing reads its canvas before it ends, so no drawing is left for a later step to rasterize all at once.
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    // The board's wide ink, drawn on the canvas itself over many slices: read by more than one of them.
    expect(overview.figures?.raster?.leftAtSliceEnd).toBe(0)
    expect(overview.figures?.raster?.reads).toBeGreaterThan(1)
    redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
    host.network.flush()
    await overview.refresh()
    expect(overview.figures?.added).toBe(1)
    expect(overview.figures?.raster?.leftAtSliceEnd).toBe(0)
    expect(overview.figures?.raster?.reads).toBeGreaterThan(0)
    await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
    writer.board.deleteElements([blockIds(writer.board)[10] as string])
    host.network.flush()
    await overview.refresh()
    expect(overview.figures?.redrawn?.changed).toBe(1)
    expect(overview.figures?.raster?.leftAtSliceEnd).toBe(0)
    expect(overview.figures?.raster?.reads).toBeGreaterThan(0)
    await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
    host.room.close()
  })

  it('walks the z-order in pieces at the start of each drawing (whole, strokes added, regions), with the same pixels', async () => {
    // Each drawing starts with walks over the whole z-order (read, made a set of, compared with the last drawing's):
    // tens of milliseconds in one piece on a 100,000-element board, holding the relay. They go in pieces of at most
    // WALK_EVERY entries, the clock looked at after each (the host's other work between slices).
    const { host, writer } = bigBoard()
    const random = seededRandom(9)
    for (let i = 0; i < 3 * WALK_EVERY; i++) {
      const x = 100 + random() * 5800
      const y = 20 + random() * 360
      writer.board.finishStroke(
        writer.board.beginStroke({ color: '#1e1e1e', width: 2 }, [x, y, 0.5, x + 4, y + 1, 0.5]),
      )
    }
    host.network.flush()
    const entries = host.room.doc.getArray('order').length
    expect(entries).toBeGreaterThan(3 * WALK_EVERY)
    const overview = host.room.overview
    await overview.refresh()
    // Read, then made a set of.
    expect(overview.figures?.walked?.total).toBeGreaterThanOrEqual(2 * entries)
    expect(overview.figures?.walked?.most).toBeLessThanOrEqual(WALK_EVERY)
    redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
    host.network.flush()
    await overview.refresh()
    expect(overview.figures?.added).toBe(1)
    // Read, then compared with the last drawing's.
    expect(overview.figures?.walked?.total).toBeGreaterThanOrEqual(2 * entries)
    expect(overview.figures?.walked?.most).toBeLessThanOrEqual(WALK_EVERY)
    await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
    writer.board.deleteElements([blockIds(writer.board)[10] as string])
    host.network.flush()
    await overview.refresh()
    expect(overview.figures?.redrawn?.changed).toBe(1)
    // Read, compared up to the element gone, made a set of, walked against the last drawing's.
    expect(overview.figures?.walked?.total).toBeGreaterThanOrEqual(3 * entries)
    expect(overview.figures?.walked?.most).toBeLessThanOrEqual(WALK_EVERY)
    await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
    host.room.close()
  })

  it("takes the board's snapshot it keeps in slices, the same as Yjs takes it", async () => {
    // The snapshot kept with each drawing (the board it shows, for the host's next start) walks every struct of the
    // board: 10–20 ms in one piece on a 100,000-stroke board, after each drawing. Taken in slices, it is Yjs's own.
    const { host, writer } = bigBoard()
    const other = host.join('other')
    host.network.flush()
    redAcross(other.board, EMPTY_PLACES[1] as { x: number; y: number })
    writer.board.deleteElements(blockIds(writer.board).slice(3, 9))
    redAcross(writer.board, EMPTY_PLACES[2] as { x: number; y: number })
    host.network.flush()
    const doc = host.room.doc
    const theirs = Y.snapshot(doc)
    expect([...theirs.ds.clients.values()].flat().length).toBeGreaterThan(50)
    expect(theirs.sv.size).toBe(2)
    const mine = await boardSnapshot(doc, () => false)
    expect(Y.encodeSnapshot(yjsSnapshot(mine as BoardSnapshot))).toEqual(Y.encodeSnapshot(theirs))
    // An edit while it is taken: none (it would not be one moment's board), or one taken before the edit.
    const during = boardSnapshot(doc, () => false)
    redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
    host.network.flush()
    const late = await during
    if (late) expect(Y.encodeSnapshot(yjsSnapshot(late))).toEqual(Y.encodeSnapshot(theirs))
    host.room.close()
  })

  it('is drawn again where deleted elements were, also many of them with nothing left there', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    writer.board.deleteElements(blockIds(writer.board))
    host.network.flush()
    await overview.refresh()
    // Fifty went and nothing lay under them: their places cleared, nothing drawn again (the band is far above).
    expect(overview.figures?.added).toBeUndefined()
    expect(overview.figures?.redrawn).toEqual({ drawn: 0, changed: 50 })
    const image = lateJoin(host).shown[0] as OverviewImage
    // The picture ends where the ink now does.
    expect(image.rect.maxY).toBeLessThan(1000)
    const alpha = decode(image)
    expect(alpha(300, 200)).toBeGreaterThan(128)
    expect(alpha(3000, 200)).toBeGreaterThan(128)
    host.room.close()
  })

  describe('after a delete, a move or a restyle under the top', () => {
    /** The red of redAcross, and a green it is restyled to. */
    const RED = '#e03131'
    const GREEN = '#2f9e44'
    /** How many of the picture's pixels are mostly `color` (#rrggbb), and whether the one at a board point is. */
    function pixelsOf(image: OverviewImage, color: string) {
      const img = overviewPixels(image)
      const want = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16))
      const near = (i: number) =>
        (img.data[i + 3] as number) > 200 &&
        want.every((v, k) => Math.abs((img.data[i + k] as number) - v) < 40)
      let count = 0
      for (let i = 0; i < img.data.length; i += 4) if (near(i)) count++
      const at = (x: number, y: number) => {
        const { rect } = image
        const px = Math.floor(((x - rect.minX) / (rect.maxX - rect.minX)) * img.width)
        const py = Math.floor(((y - rect.minY) / (rect.maxY - rect.minY)) * img.height)
        return near((py * img.width + px) * 4)
      }
      return { count, at }
    }

    /**
     * The test board with a wide red stroke over its block and a thin dark line across both on top (drawn as its
     * centre line), its overview drawn whole: the red stroke's neighbours under and over it.
     */
    async function drawnWithRed(limits?: Parameters<typeof bigBoard>[0]) {
      const { host, writer } = bigBoard(limits)
      const red = redAcross(writer.board, { x: 5000, y: 3500 })
      writer.board.finishStroke(
        writer.board.beginStroke({ color: '#1e1e1e', width: 2 }, [4950, 3200, 0.5, 5050, 3800, 0.5]),
      )
      host.network.flush()
      const overview = host.room.overview
      await overview.refresh()
      expect(overview.figures?.added).toBeUndefined()
      expect(overview.figures?.redrawn).toBeUndefined()
      const image = lateJoin(host).shown[0] as OverviewImage
      expect(pixelsOf(image, RED).at(4900, 3500)).toBe(true)
      return { host, writer, overview, red }
    }

    /** The next overview after an edit: a stale one is not sent meanwhile; then it is drawn, and a joiner gets it. */
    async function nextPicture(host: MemoryRoom): Promise<OverviewImage> {
      host.network.flush()
      expect(host.room.overview.frame()).toBeUndefined()
      expect(lateJoin(host).types).not.toContain(MessageType.Overview)
      await host.room.overview.refresh()
      const join = lateJoin(host)
      expect(join.types).toContain(MessageType.Overview)
      return join.shown[0] as OverviewImage
    }

    it('draws again only the region a deleted stroke covered: gone, its neighbours intact, as a whole drawing', async () => {
      const { host, writer, overview, red } = await drawnWithRed()
      writer.board.deleteElements([red])
      const image = await nextPicture(host)
      // Drawn again: the stroke's region only, a few of the board's 72 elements, not the whole board.
      expect(overview.figures?.redrawn?.changed).toBe(1)
      expect(overview.figures?.redrawn?.drawn).toBeLessThan(72 / 4)
      expect(host.log.at(-1)).toMatch(/overview \(\d+ redrawn around 1 changed\)/)
      expect(pixelsOf(image, RED).count).toBe(0)
      expect(pixelsOf(image, '#1971c2').at(4900, 3500)).toBe(true)
      // The block under it and the thin line over it as they were: the whole board drawn afresh, pixel for pixel.
      await expectAsFreshDrawing(image, host.room.doc)
      host.room.close()
    })

    it("reaches a joiner who came after the delete before the board's parts (they wait for the redraw)", async () => {
      // The parts wait for the redraw as long as it takes here: on a loaded machine the redraw once outlasted the
      // usual second's wait, and the parts went first.
      const { host, writer, red } = await drawnWithRed({
        syncPartBytes: 8 * 1024,
        quickOverviewWaitMs: 10 * 60_000,
      })
      writer.board.deleteElements([red])
      host.network.flush()
      expect(host.room.overview.frame()).toBeUndefined()
      // The joiner asks; the host draws the regions again (asynchronously) while the parts wait for it.
      const overview = new BoardOverview()
      const { connection } = host.join('joiner', {
        preview: new BoardPreview(() => ({ minX: 0, minY: 0, maxX: 800, maxY: 600 })),
        overview,
      })
      const { types, step } = stepLastLink(host)
      for (let n = 0; n < 10_000 && step(); n++);
      await host.room.overview.refresh()
      await new Promise((r) => setImmediate(r))
      for (let n = 0; n < 100_000 && step(); n++);
      expect(host.room.overview.figures?.redrawn?.changed).toBe(1)
      const at = types.indexOf(MessageType.Overview)
      expect(at).toBeGreaterThanOrEqual(0)
      expect(types.indexOf(MessageType.SyncPart)).toBeGreaterThan(at)
      expect(connection.synced).toBe(true)
      host.room.close()
    })

    it('draws again the old and new places of a moved stroke, as a whole drawing', async () => {
      const { host, writer, overview, red } = await drawnWithRed()
      writer.board.moveElements([red], [], 0, -300)
      const image = await nextPicture(host)
      expect(overview.figures?.redrawn?.changed).toBe(1)
      const reds = pixelsOf(image, RED)
      expect(reds.at(4900, 3500), 'gone from where it was').toBe(false)
      expect(reds.at(4900, 3200), 'where it went').toBe(true)
      await expectAsFreshDrawing(image, host.room.doc)
      host.room.close()
    })

    it('draws again the place of a restyled stroke, as a whole drawing', async () => {
      const { host, writer, overview, red } = await drawnWithRed()
      writer.board.updateElements([[red, { color: GREEN }]])
      const image = await nextPicture(host)
      expect(overview.figures?.redrawn?.changed).toBe(1)
      expect(pixelsOf(image, RED).count).toBe(0)
      expect(pixelsOf(image, GREEN).at(4900, 3500)).toBe(true)
      await expectAsFreshDrawing(image, host.room.doc)
      // A stroke drawn after it still goes onto that picture alone.
      const empty = EMPTY_PLACES[0] as { x: number; y: number }
      redAcross(writer.board, empty)
      const next = await nextPicture(host)
      expect(overview.figures?.added).toBe(1)
      await expectAsFreshDrawing(next, host.room.doc)
      host.room.close()
    })
  })

  describe('after a large move or restyle (a move or style record, not keys on each element)', () => {
    const RED = '#e03131'
    /**
     * The test board with 100 small red strokes in a cluster where it was empty (enough for a record) and 300 small
     * dark ones elsewhere (so that the cluster is under a quarter of the board: a region redraw, not a whole one), its
     * overview drawn whole.
     */
    async function drawnWithCluster() {
      const { host, writer } = bigBoard()
      const small = (x: number, y: number, color: string) => {
        const id = writer.board.beginStroke({ color, width: 8 }, [x, y, 0.5, x + 20, y + 10, 0.5])
        writer.board.finishStroke(id)
        return id
      }
      const filler: string[] = []
      for (let i = 0; i < 300; i++)
        filler.push(small(2000 + (i % 30) * 33, 1800 + Math.floor(i / 30) * 40, '#1e1e1e'))
      const cluster: string[] = []
      for (let i = 0; i < 100; i++)
        cluster.push(small(800 + (i % 10) * 40, 2300 + Math.floor(i / 10) * 40, RED))
      // A move record from before (the filler moved): a board with records is placed on its canvas by its elements'
      // bounds, not where strokes start, so a fresh drawing to compare with places it as the first drawing did.
      writer.board.beginAction()
      writer.board.moveElements(filler, [], 10, 0)
      host.network.flush()
      const overview = host.room.overview
      await overview.refresh()
      expect(overview.figures?.redrawn).toBeUndefined()
      return { host, writer, overview, cluster }
    }

    /** Whether the picture has opaque ink at a board point (within two pixels). */
    const inkAt = async (host: MemoryRoom, x: number, y: number) => {
      await host.room.overview.refresh()
      const join = lateJoin(host)
      expect(join.types).toContain(MessageType.Overview)
      return decode(join.shown[0] as OverviewImage)(x, y) > 128
    }

    it('draws again the old and new places of the elements a move record names, as a whole drawing', async () => {
      const { host, writer, overview, cluster } = await drawnWithCluster()
      writer.board.beginAction()
      writer.board.moveElements(cluster, [], 0, 800)
      host.network.flush()
      expect(host.room.doc.getArray('moves').length).toBe(2)
      expect(overview.frame()).toBeUndefined()
      expect(await inkAt(host, 1010, 3105), 'where it went').toBe(true)
      expect(await inkAt(host, 1010, 2305), 'gone from where it was').toBe(false)
      // The cluster's places only, not the whole board.
      expect(overview.figures?.redrawn).toEqual({ drawn: 100, changed: 100 })
      expect(host.log.at(-1)).toMatch(/overview \(100 redrawn around 100 changed\)/)
      await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
      // Undone: the record goes, and the cluster is drawn back where it was, again by regions.
      writer.board.undo()
      host.network.flush()
      expect(host.room.doc.getArray('moves').length).toBe(1)
      expect(await inkAt(host, 1010, 2305), 'back').toBe(true)
      expect(await inkAt(host, 1010, 3105)).toBe(false)
      expect(overview.figures?.redrawn).toEqual({ drawn: 100, changed: 100 })
      await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
      host.room.close()
    })

    it('draws again the places of the elements a style record names, as a whole drawing', async () => {
      const { host, writer, overview, cluster } = await drawnWithCluster()
      writer.board.beginAction()
      writer.board.updateElements(cluster.map((id) => [id, { color: '#2f9e44' }] as const))
      host.network.flush()
      expect(host.room.doc.getArray('styles').length).toBe(1)
      expect(overview.frame()).toBeUndefined()
      await overview.refresh()
      expect(overview.figures?.redrawn).toEqual({ drawn: 100, changed: 100 })
      const image = lateJoin(host).shown[0] as OverviewImage
      const { data } = overviewPixels(image)
      let red = 0
      for (let i = 0; i < data.length; i += 4)
        if ((data[i + 3] as number) > 200 && (data[i] as number) > 200 && (data[i + 1] as number) < 80) red++
      expect(red, 'no red left').toBe(0)
      await expectAsFreshDrawing(image, host.room.doc)
      host.room.close()
    })
  })

  it('gives way to an edit when the host drew it on its own, and goes on when a joiner waits for it', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
    const drawn = () => host.log.filter((line) => /overview \d+×\d+ px/.test(line))
    // The host indexes the board once it listens, then draws the overview on its own, a slice at a time.
    host.room.indexStrokes()
    for (let i = 0; i < 10_000 && !overview.drawing; i++) await turn()
    expect(overview.drawing).toBe(true)
    // An edit while it is drawn: the drawing would be stale, and its slices would hold up the relay; it stops.
    writer.board.finishStroke(
      writer.board.beginStroke({ color: '#e03131', width: 8 }, [100, 2000, 0.5, 900, 2000, 0.5]),
    )
    host.network.flush()
    // (A page that opened on this host just before may hold the drawing between slices for a moment:
    // pageOpening.ts; so the wait is for the drawing to end, not a count of turns.)
    for (let i = 0; i < 400 && overview.drawing; i++) await new Promise((r) => setTimeout(r, 25))
    expect(overview.drawing).toBe(false)
    expect(drawn()).toEqual([])
    expect(overview.frame()).toBeUndefined()
    // Drawn again on its own once the board is quiet.
    expect(overview.plannedAt).toBeDefined()
    // A joiner's ask is drawn to the end, edits meanwhile or not (the waiting joiner gets it).
    const asked = overview.refresh()
    writer.board.finishStroke(
      writer.board.beginStroke({ color: '#e03131', width: 8 }, [100, 2400, 0.5, 900, 2400, 0.5]),
    )
    host.network.flush()
    await asked
    expect(drawn()).toHaveLength(1)
    expect(drawn()[0]).toMatch(/stale already/)
    host.room.close()
  })

  it('is drawn again on its own once edits stop', async () => {
    const { host, writer } = bigBoard()
    await host.room.overview.refresh()
    writer.board.finishStroke(
      writer.board.beginStroke({ color: '#e03131', width: 8 }, [100, 2000, 0.5, 900, 2000, 0.5]),
    )
    host.network.flush()
    expect(host.room.overview.frame()).toBeUndefined()
    // No test time: the host's own timer starts the drawing (a few seconds); wait for the frame.
    for (let i = 0; i < 200 && !host.room.overview.frame(); i++) await new Promise((r) => setTimeout(r, 50))
    expect(host.room.overview.frame()).toBeDefined()
    host.room.close()
  })

  it('is drawn again on its own no sooner than ten times its cost after the last drawing (a tenth of the host)', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    const cost = overview.figures?.cpuMs ?? 0
    const drawnAt = overview.drawnAt ?? 0
    expect(cost).toBeGreaterThan(0)
    expect(overview.plannedAt).toBeUndefined()
    // A change the overview does not follow element by element (the board's meta map, here written by the host
    // itself): the next drawing is a whole one.
    void writer
    const meta = host.room.doc.getMap('meta')
    meta.set('schema', meta.get('schema'))
    expect(overview.quick).toBe(false)
    // Planned, not drawn at once: after the quiet time and after OVERVIEW_GAP_PER_COST times the last drawing's CPU.
    expect(overview.frame()).toBeUndefined()
    expect(overview.plannedAt).toBeGreaterThanOrEqual(drawnAt + OVERVIEW_GAP_PER_COST * cost)
    // A joiner's ask does not wait for the plan.
    await overview.refresh()
    expect(overview.frame()).toBeDefined()
    expect(overview.plannedAt).toBeUndefined()
    host.room.close()
  })

  it('is drawn again on its own soon after a small change (a quick drawing), its cost setting the next gap', async () => {
    const { host, writer } = bigBoard()
    const overview = host.room.overview
    await overview.refresh()
    const whole = { cost: overview.figures?.cpuMs ?? 0, at: overview.drawnAt ?? 0 }
    // A stroke added: drawn onto the last picture alone, after the short quiet time, not the whole drawing's gap.
    redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
    host.network.flush()
    expect(overview.quick).toBe(true)
    expect(overview.frame()).toBeUndefined()
    expect(overview.plannedAt).toBeLessThanOrEqual(performance.now() + QUICK_QUIET_MS)
    expect(overview.plannedAt).toBeLessThan(whole.at + OVERVIEW_GAP_PER_COST * whole.cost)
    // No joiner asks: the host's own timer draws it (wait for the frame, no time asserted).
    for (let i = 0; i < 200 && !overview.frame(); i++) await new Promise((r) => setTimeout(r, 25))
    expect(overview.frame()).toBeDefined()
    expect(overview.figures?.added).toBe(1)
    const quick = { cost: overview.figures?.cpuMs ?? 0, at: overview.drawnAt ?? 0 }
    // The next quick one waits ten times that drawing's CPU after it (its share of the host, as a whole drawing's).
    redAcross(writer.board, EMPTY_PLACES[1] as { x: number; y: number })
    host.network.flush()
    expect(overview.plannedAt).toBeGreaterThanOrEqual(quick.at + OVERVIEW_GAP_PER_COST * quick.cost)
    host.room.close()
  })

  it('is given up, and the board still comes, when its ink would cost the host more than an overview may', async () => {
    const timers = new ManualTimers(seededRandom(9))
    const host = new MemoryRoom(timers, false, { syncPartBytes: 8 * 1024 })
    const writer = host.join('writer')
    host.network.flush()
    // Thin strokes that cross the board at every point: at overview scale each segment steps over about a
    // thousand pixels, so 300 strokes of 1,000 points would step over some 300 million (MAX_OVERVIEW_STEPS: ~34).
    const random = seededRandom(3)
    for (let n = 0; n < 300; n++) {
      const flat: number[] = []
      for (let p = 0; p < 1000; p++) flat.push(random() * 20_000, random() * 20_000, 0.5)
      writer.board.finishStroke(writer.board.beginStroke({ color: '#1e1e1e', width: 2 }, flat))
    }
    host.network.flush()
    await host.room.overview.refresh()
    expect(host.room.overview.frame()).toBeUndefined()
    expect(host.log.some((line) => line.includes('overview not drawn: too much ink for an overview'))).toBe(
      true,
    )
    const join = lateJoin(host)
    expect(join.types).not.toContain(MessageType.Overview)
    expect(join.connection.synced).toBe(true)
    expect(join.joiner.elementIds()).toHaveLength(300)
    host.room.close()
  })

  it("is not made for a board that arrives at once, and that board's joiner gets none", async () => {
    const { host } = bigBoard({ syncPartBytes: 16 * 1024 * 1024 })
    await host.room.overview.refresh()
    expect(host.room.overview.frame()).toBeUndefined()
    const join = lateJoin(host)
    expect(join.types).not.toContain(MessageType.Overview)
    expect(join.types).not.toContain(MessageType.SyncPart)
    expect(join.connection.synced).toBe(true)
    host.room.close()
  })

  it('is refused from a client (only hosts send it)', async () => {
    const { host } = bigBoard()
    await host.room.overview.refresh()
    const frame = host.room.overview.frame() as Uint8Array
    expect(readFrame(frame).type).toBe('overview')
    lateJoin(host)
    const link = host.network.links.at(-1) as MemoryLink
    link.client.send(frame)
    host.network.flush()
    expect(host.log.join('\n')).toMatch(/unknown message type 8/)
    host.room.close()
  })
})

/** Waits until no more than `most` picture workers run (a worker's exit is reported a moment after it is ended). */
async function workersEnded(most: number): Promise<void> {
  for (let i = 0; i < 400 && livePictureWorkers() > most; i++) await new Promise((r) => setTimeout(r, 10))
  expect(livePictureWorkers()).toBeLessThanOrEqual(most)
}

describe("a large board's overview made by the host's picture worker", () => {
  it('is read off the drawing a piece at a time and made in the worker, the same PNG as on the host thread', async () => {
    // Made on the host's thread, the picture copies the whole crop (a fresh canvas of up to 16 MB) and halves it in
    // one step each: the relay of everyone's ink waits for each. With the worker, the host's thread only reads the
    // canvas's rows a piece at a time (at most PIECE_PIXELS); the worker makes the same picture of the same pixels.
    const { host, writer } = bigBoard()
    const doc = host.room.doc
    const pictures = new PictureWorker(PICTURE_WORKER)
    const both = async (
      draw: (pictures?: PictureWorker) => Promise<OverviewDrawing | 'whole' | undefined>,
    ) => {
      const own = (await draw()) as OverviewDrawing
      const made = (await draw(pictures)) as OverviewDrawing
      expect(own.picture.worker).toBe(false)
      expect(own.picture.mostPixels).toBeGreaterThan(PIECE_PIXELS)
      expect(made.picture.worker).toBe(true)
      expect(made.picture.pieces).toBeGreaterThan(1)
      expect(made.picture.mostPixels).toBeLessThanOrEqual(PIECE_PIXELS)
      expect([made.width, made.height]).toEqual([own.width, own.height])
      expect(made.image.rect).toEqual(own.image.rect)
      expect(Buffer.from(made.image.png).equals(Buffer.from(own.image.png))).toBe(true)
      return { own, made }
    }
    const whole = await both((p) => drawOverview(doc, () => false, p))
    const kept = { own: whole.own.kept, made: whole.made.kept }
    // The copy kept for the next start: the same PNG.
    const keptOwn = await canvasToKeep(kept.own)
    const read = pictures.read.pieces
    const keptMade = await canvasToKeep(kept.made, pictures)
    expect(pictures.read.pieces).toBeGreaterThan(read + 1)
    expect(pictures.read.mostPixels).toBeLessThanOrEqual(PIECE_PIXELS)
    expect(Buffer.from(keptMade.png).equals(Buffer.from(keptOwn.png))).toBe(true)
    expect({ ...keptMade, png: undefined }).toEqual({ ...keptOwn, png: undefined })
    // Strokes added onto each canvas, then a region drawn again, each picture starting from a halving (as after a
    // picture that had to be halved to fit): the same PNGs.
    kept.own.halvings = 1
    kept.made.halvings = 1
    const touched = new Set([redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })])
    host.network.flush()
    const added = await both((p) => appendToOverview(doc, p ? kept.made : kept.own, touched, () => false, p))
    expect(added.made.added).toBe(1)
    expect(added.made.width).toBeLessThan(whole.made.width)
    const gone = blockIds(writer.board)[10] as string
    writer.board.deleteElements([gone])
    host.network.flush()
    const redrawn = await both((p) =>
      appendToOverview(doc, p ? kept.made : kept.own, new Set([gone]), () => false, p),
    )
    expect(redrawn.made.redrawn?.changed).toBe(1)
    pictures.end()
    host.room.close()
    await workersEnded(0)
  })

  it('ends the worker when it has nothing to make, and starts it again for the next picture', async () => {
    const { host } = bigBoard()
    const doc = host.room.doc
    await workersEnded(0)
    const pictures = new PictureWorker(PICTURE_WORKER, 20)
    const first = (await drawOverview(doc, () => false, pictures)) as OverviewDrawing
    expect(first.picture.worker).toBe(true)
    // Idle: ended (its memory given back), not ended for good.
    await workersEnded(0)
    expect(pictures.usable).toBe(true)
    const again = (await drawOverview(doc, () => false, pictures)) as OverviewDrawing
    expect(again.picture.worker).toBe(true)
    expect(Buffer.from(again.image.png).equals(Buffer.from(first.image.png))).toBe(true)
    const kept = await canvasToKeep(again.kept, pictures)
    expect(kept.png.byteLength).toBeGreaterThan(0)
    pictures.end()
    await workersEnded(0)
    host.room.close()
  })

  it("is made in the worker for the host's drawings, kept for the next start, and ended with the board", async () => {
    const { host, writer } = bigBoard({ syncPartBytes: 8 * 1024, overviewWorker: PICTURE_WORKER })
    const overview = host.room.overview
    const kept: Promise<SavedOverview>[] = []
    overview.keepEach((saved) => kept.push(saved))
    const before = livePictureWorkers()
    await overview.refresh()
    expect(overview.figures?.picture?.worker).toBe(true)
    expect(overview.figures?.picture?.mostPixels).toBeLessThanOrEqual(PIECE_PIXELS)
    expect(livePictureWorkers()).toBe(before + 1)
    expect(host.log.at(-1)).toMatch(/its picture read in \d+ pieces for the worker/)
    const join = lateJoin(host)
    expect(join.types).toContain(MessageType.Overview)
    await expectAsFreshDrawing(join.shown[0] as OverviewImage, host.room.doc)
    // The whole drawing is kept at once: its canvas's PNG, made in the worker, is the canvas's pixels.
    const saved = await (kept[0] as Promise<SavedOverview>)
    expect(overviewPixels({ rect: join.shown[0]?.rect, png: saved.canvas.png } as OverviewImage).width).toBe(
      saved.canvas.width,
    )
    // Strokes added: drawn onto the same canvas, the picture made in the worker; kept when the board closes.
    redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
    host.network.flush()
    await overview.refresh()
    expect(overview.figures?.added).toBe(1)
    expect(overview.figures?.picture?.worker).toBe(true)
    await expectAsFreshDrawing(lateJoin(host).shown[0] as OverviewImage, host.room.doc)
    expect(kept).toHaveLength(1)
    host.room.close()
    expect(kept).toHaveLength(2)
    const last = await (kept[1] as Promise<SavedOverview>)
    expect(last.canvas.png.byteLength).toBeGreaterThan(0)
    // The worker ends once the last picture asked for is made.
    await workersEnded(before)
  })
})
