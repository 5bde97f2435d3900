/**
 * A host keeps the overview it drew of a large board (src/main/host/savedOverviews.ts): started again on the board,
 * it serves that picture at once, pixel for pixel what a fresh drawing gives, without drawing it; strokes its journal
 * added since are drawn onto it alone; a board changed under it elsewhere, another board, or a damaged kept file gets
 * a fresh drawing (with one log line), and the board opens all the same.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { journalPathFor } from '../../../src/main/host/journalFile'
import { decodeSaved, encodeSaved } from '../../../src/main/host/savedOverviews'
import type { Host } from '../../../src/main/host/server'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, loadBoardFile } from '../../../src/shared/boardFile'
import { BoardOverview, type OverviewImage } from '../../../src/shared/sync/overview'
import { BoardPreview } from '../../../src/shared/sync/preview'
import { builtFile } from '../../support/built'
import {
  BLOCK,
  EMPTY_PLACES,
  expectAsFreshDrawing,
  fillDense,
  redAcross,
  TOP_BAND,
} from '../../support/denseInk'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { joinHost } from '../../support/joinHost'
import { waitUntil } from '../../support/waitUntil'

/** A part of a joiner's sync this small makes the test board large (it gets an overview). */
const PART_BYTES = 8 * 1024
/** A drawing of the host's in this run (whole or of strokes added), not one taken up from before. */
const DRAWN = /overview (\(\d+ added\) )?\d+×\d+ px, \d+ KB, in \d+ ms/
const ADDED = /overview \((\d+) added\) /
const TAKEN_UP = /overview \d+×\d+ px, \d+ KB, as drawn before/
const NOT_USED = /overview kept from before not used: (.*)/
const KEPT_PREVIEW =
  /the first preview \(\d+ frames?\) from the opening kept from before, the board not indexed yet/
/** A page's view where pages open (the top left of the board at 100 %): through the top band. */
const PAGE_VIEW = { minX: 0, minY: 0, maxX: 1280, maxY: 800 }

/** The test board's file bytes: a band of strokes across the top, a block at the bottom right. */
function boardFile(): Uint8Array {
  const board = new Board(new Y.Doc(), 'author')
  fillDense(board, TOP_BAND, '#1e1e1e')
  fillDense(board, BLOCK, '#1971c2')
  return encodeBoardFile(board.doc)
}

/** An overview's pixels, RGBA, as @napi-rs/canvas decodes its PNG. */
/**
 * The host's overview pictures made on its own thread (the code run from source), and by its picture worker (the
 * built one, as the host runs from out/): the same files, the same pictures.
 */
const PICTURE_WAYS = [
  { way: "on the host's thread", overviewWorker: false as const },
  { way: 'by its picture worker', overviewWorker: builtFile('main/overviewWorker.js') },
]

describe.each(PICTURE_WAYS)(
  'the overview a host drew of a board, kept for its next start ($way)',
  ({ overviewWorker }) => {
    const scope = eachTestHost()
    let log: string[] = []
    const boardPath = () => join(scope.dir, 'board.lanvas')
    const overviewsDir = () => join(scope.dir, 'data', 'overviews')

    const start = (autosave?: { quietMs: number; maxDelayMs: number }): Promise<Host> => {
      log = []
      return scope.start({
        overviewsDir: overviewsDir(),
        checkedBoardsDir: join(scope.dir, 'data', 'checked-boards'),
        limits: { syncPartBytes: PART_BYTES, overviewWorker },
        log: (line) => log.push(line),
        ...(autosave ? { autosave } : {}),
      })
    }

    /** Starts a host on the board and waits until it drew its overview and kept it; returns the host. */
    const drawnAndKept = async (autosave?: { quietMs: number; maxDelayMs: number }): Promise<Host> => {
      const host = await start(autosave)
      await waitUntil('the host drew the overview', () => log.some((l) => DRAWN.test(l)))
      await waitUntil('the host kept it', async () => (await keptFiles()).length > 0)
      // Made where this suite says.
      expect(log.some((l) => l.includes('for the worker'))).toBe(overviewWorker !== false)
      return host
    }

    /**
     * The overview files kept in the data folder: not the temporary file a write renames into place (it is in the same
     * folder, and a test that read it could read half of it, or a name gone by the time it reads).
     */
    const keptFiles = async (): Promise<string[]> =>
      (await readdir(overviewsDir()).catch(() => [])).filter((name) => name.endsWith('.overview'))

    /**
     * The overview a late joiner of the host's board gets once the host has one (drawn in this run or taken up), and
     * the board the joiner then holds.
     */
    const joinerOverview = async (host: Host): Promise<{ image: OverviewImage; board: Board }> => {
      await waitUntil('the host has an overview', () => log.some((l) => DRAWN.test(l) || TAKEN_UP.test(l)))
      const overview = new BoardOverview()
      let first: OverviewImage | undefined
      overview.onChange(() => {
        first ??= overview.image
      })
      const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'joiner', {
        ownerKey: host.ownerKey,
        overview,
      })
      await client.connection.whenSynced()
      await waitUntil('the joiner got the overview', () => first !== undefined)
      return { image: first as OverviewImage, board: client.board }
    }

    /** The strokes of the preview a fresh page gets from `host` (bottom to top), as it held them at the board's first part. */
    const previewOf = async (host: Host, view = PAGE_VIEW): Promise<string[]> => {
      const preview = new BoardPreview(() => view)
      const { joiner, connection } = joinHost(syncUrl(host.port, host.defaultBoardId), host.ownerKey, {
        preview,
      })
      let atFirstPart: string[] | undefined
      connection.onProgress(() => {
        atFirstPart ??= [...preview.elements.keys()]
      })
      await connection.whenSynced()
      connection.close()
      joiner.destroy()
      return atFirstPart ?? []
    }

    it('answers the first page of a board opened again unchanged from what it kept: the same preview, the board not indexed yet', async () => {
      await writeFile(boardPath(), boardFile())
      const first = await drawnAndKept()
      // A host that indexed the board and measured its strokes.
      const indexed = await previewOf(first)
      expect(indexed.length).toBeGreaterThan(0)
      await first.close()

      const again = await start()
      expect(log.some((l) => TAKEN_UP.test(l))).toBe(true)
      expect(await previewOf(again)).toEqual(indexed)
      // Answered from the opening kept with the overview, before the host's own index (which waits for that page).
      expect(log.filter((l) => KEPT_PREVIEW.test(l))).toHaveLength(1)

      // After an edit the board is no longer the one kept: the next page's preview comes from the index, with the stroke
      // (in a view under the band: the band's first strokes fill a preview's bytes).
      const writer = scope.connect(syncUrl(again.port, again.defaultBoardId), 'ann', {
        ownerKey: again.ownerKey,
      })
      await writer.connection.whenSynced()
      const added = redAcross(writer.board, { x: 600, y: 500 })
      await waitUntil('the host has the stroke', () =>
        loadBoardFile(again.boardFileBytes(again.defaultBoardId)).doc.getMap('elements').has(added),
      )
      expect(await previewOf(again, { ...PAGE_VIEW, minY: 450 })).toEqual([added])
      expect(log.filter((l) => KEPT_PREVIEW.test(l))).toHaveLength(1)
    })

    it('takes up a file kept before openings were (format 1): the overview as drawn, the preview from the index', async () => {
      await writeFile(boardPath(), boardFile())
      const first = await drawnAndKept()
      const indexed = await previewOf(first)
      await first.close()
      const [name] = await readdir(overviewsDir())
      const kept = join(overviewsDir(), name as string)
      const saved = decodeSaved(await readFile(kept))
      expect(saved.opening?.ids.length).toBeGreaterThan(0)
      // The same file as the round before wrote it: format 1, nothing after the PNG.
      const { opening: _, ...without } = saved
      const old = encodeSaved(without).slice(0, -1)
      old[4] = 1
      new DataView(old.buffer).setUint32(5, crc32(old.subarray(9)) >>> 0, true)
      await writeFile(kept, old)

      const again = await start()
      expect(log.some((l) => TAKEN_UP.test(l))).toBe(true)
      expect(await previewOf(again)).toEqual(indexed)
      expect(log.filter((l) => KEPT_PREVIEW.test(l))).toEqual([])
    })

    it('serves the overview it drew before at once, pixel for pixel, without drawing it again', async () => {
      await writeFile(boardPath(), boardFile())
      const first = await drawnAndKept()
      await first.close()
      // One file, in the data folder, for the one board.
      expect(await readdir(overviewsDir())).toHaveLength(1)

      const again = await start()
      expect(log.some((l) => TAKEN_UP.test(l))).toBe(true)
      const { image } = await joinerOverview(again)
      expect(log.filter((l) => DRAWN.test(l))).toEqual([])
      await expectAsFreshDrawing(image, loadBoardFile(await readFile(boardPath())).doc)

      // A stroke drawn now is drawn alone onto the canvas kept (decoded from its PNG), as on a host that drew it.
      const writer = scope.connect(syncUrl(again.port, again.defaultBoardId), 'ann', {
        ownerKey: again.ownerKey,
      })
      await writer.connection.whenSynced()
      redAcross(writer.board, EMPTY_PLACES[0] as { x: number; y: number })
      await waitUntil('the host drew the stroke onto it', () => log.some((l) => ADDED.test(l)))
      expect(log.filter((l) => DRAWN.test(l)).map((l) => ADDED.exec(l)?.[1])).toEqual(['1'])
      const next = await joinerOverview(again)
      await expectAsFreshDrawing(next.image, next.board.doc)
    })

    it('draws onto it only the strokes its journal added since, with the pixels a whole drawing has', async () => {
      await writeFile(boardPath(), boardFile())
      // No whole-file save while it runs: what the strokes add stays in the journal.
      const slow = { quietMs: 600_000, maxDelayMs: 600_000 }
      const first = await drawnAndKept(slow)
      const [keptName] = await keptFiles()
      const keptPath = join(overviewsDir(), keptName as string)
      const keptBytes = await readFile(keptPath)
      const writer = scope.connect(syncUrl(first.port, first.defaultBoardId), 'ann', {
        ownerKey: first.ownerKey,
      })
      await writer.connection.whenSynced()
      const added = EMPTY_PLACES.map((p) => redAcross(writer.board, p))
      await waitUntil('the strokes are in the journal', () => writer.connection.unsaved === 0)
      // The board as a host that stopped now finds it: the file as it was, its journal, the overview drawn before.
      const fileBytes = await readFile(boardPath())
      const journalBytes = await readFile(journalPathFor(boardPath()))
      writer.destroy()
      await first.close()
      await writeFile(boardPath(), fileBytes)
      await writeFile(journalPathFor(boardPath()), journalBytes)
      await writeFile(keptPath, keptBytes)

      const again = await start()
      expect(log.some((l) => /replayed \d+ updates/.test(l))).toBe(true)
      const { image, board } = await joinerOverview(again)
      for (const id of added) expect(board.readElement(id)).toBeDefined()
      // Drawn once in this run: the three strokes alone, onto the canvas kept.
      const drawn = log.filter((l) => DRAWN.test(l))
      expect(drawn).toHaveLength(1)
      expect(ADDED.exec(drawn[0] as string)?.[1]).toBe('3')
      await expectAsFreshDrawing(image, board.doc)
      // And kept again: a third start takes that one up as it is.
      await again.close()
      await start()
      expect(log.some((l) => TAKEN_UP.test(l))).toBe(true)
    })

    it('draws afresh a board changed under it elsewhere, and another board copied over it', async () => {
      await writeFile(boardPath(), boardFile())
      await (await drawnAndKept()).close()
      // Elsewhere, the block's first stroke (under the rest of the block) is deleted and the file saved.
      const elsewhere = new Board(loadBoardFile(await readFile(boardPath())).doc, 'elsewhere')
      const block = elsewhere
        .readElements()
        .filter((el) => (el as { color?: string }).color === '#1971c2')
        .map((el) => el.id)
      elsewhere.deleteElements(block.slice(0, 1))
      await writeFile(boardPath(), encodeBoardFile(elsewhere.doc))

      const changed = await start()
      expect(log.map((l) => NOT_USED.exec(l)?.[1]).filter(Boolean)).toEqual([
        'the board changed under it since',
      ])
      const { image, board } = await joinerOverview(changed)
      expect(board.readElement(block[0] as string)).toBeUndefined()
      expect(log.filter((l) => DRAWN.test(l) && !ADDED.test(l))).toHaveLength(1)
      await expectAsFreshDrawing(image, board.doc)
      await changed.close()

      // Another board altogether (the same ink, drawn by someone else) copied over the file.
      await writeFile(boardPath(), boardFile())
      const other = await start()
      expect(log.map((l) => NOT_USED.exec(l)?.[1]).filter(Boolean)).toEqual([
        'the board lacks items the overview showed',
      ])
      const theirs = await joinerOverview(other)
      expect(log.filter((l) => DRAWN.test(l))).toHaveLength(1)
      await expectAsFreshDrawing(theirs.image, theirs.board.doc)
    })

    it('passes over a damaged kept overview with one log line: the board opens and is drawn afresh', async () => {
      await writeFile(boardPath(), boardFile())
      await (await drawnAndKept()).close()
      const [name] = await readdir(overviewsDir())
      const kept = join(overviewsDir(), name as string)
      const bytes = await readFile(kept)
      bytes.fill(0x55, 100, 140)
      await writeFile(kept, bytes)

      const host = await start()
      expect(log.filter((l) => /overview kept in .* not used/.test(l))).toEqual([
        expect.stringMatching(/damaged \(its checksum does not match\)$/),
      ])
      const { image, board } = await joinerOverview(host)
      expect(log.filter((l) => DRAWN.test(l))).toHaveLength(1)
      await expectAsFreshDrawing(image, board.doc)
      await host.close()

      // Then one cut short.
      await writeFile(kept, bytes.subarray(0, 3))
      const next = await start()
      expect(log.filter((l) => /overview kept in .* not used: it is no kept overview$/.test(l))).toHaveLength(
        1,
      )
      await joinerOverview(next)
      expect(log.filter((l) => DRAWN.test(l))).toHaveLength(1)
    })
  },
)
