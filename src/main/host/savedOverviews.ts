/**
 * The overviews this computer's host drew of its boards (./room/overview.ts), kept for its next start: a host that
 * opens a large board again serves the overview at once instead of spending seconds of CPU drawing it, and draws only
 * what was added since. One file per board path in a folder of this computer's own data (beside the checked-board
 * notes, ./checkedBoards.ts), replaced by each new drawing: at most one per board the host ever opened large, each
 * under a MB for a board of thousands of strokes and about 12 MB for a dense 100,000-stroke one (its canvas of 2,048
 * px a side, as PNG: what strokes added later are drawn onto). A file holds the board's Yjs snapshot (state vector and delete set) the picture shows, the Overview frame
 * as sent, and the drawing's canvas as a PNG; what changed since is read from the board (./room/sinceSnapshot.ts),
 * never from the board file's bytes, which the host rewrites after it draws. A missing file is no overview; a
 * damaged one is passed over with a log line: a kept overview never stops a board from opening.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Rect } from '../../shared/geometry'
import { MAX_OVERVIEW_SIDE } from '../../shared/sync/overview'
import type { CanvasToKeep } from './room/overviewDraw'
import type { KeptOpening } from './room/viewPreview'
import { writeFileAtomic } from './storage'

/** The first bytes of a kept overview's file, then its format's version. */
const MAGIC = [0x4c, 0x56, 0x4f, 0x56] // "LVOV"
const FORMAT = 2
/** The format before the opening was kept (read still: no opening). */
const FORMAT_WITHOUT_OPENING = 1
/** Most strokes a kept opening holds (a bound on what a damaged file makes the host allocate). */
const MAX_OPENING_STROKES = 1_000_000
/** The largest file read back (a canvas of MAX_OVERVIEW_SIDE squared as PNG, its frame and snapshot fit in far less). */
const MAX_FILE_BYTES = 64 * 1024 * 1024

/** An overview a host drew: the board's state it shows, the frame it sent, and its canvas. */
export interface SavedOverview {
  /** Y.encodeSnapshot of the board the picture shows. */
  snapshot: Uint8Array
  /** The Overview frame (src/shared/sync/overview.ts) as joiners got it. */
  frame: Uint8Array
  canvas: CanvasToKeep
  /**
   * What the first pages' previews need, as the board was when the picture was drawn (./room/viewPreview.ts,
   * KeptOpening); undefined when none was kept (a board with move or style records, or an older file).
   */
  opening?: KeptOpening
}

/** The kept overviews; without a folder the host keeps none (tests, one-off hosts). */
export class SavedOverviews {
  /** Writes one after the other, so that the last drawing's file is the one left. */
  private writing: Promise<void> = Promise.resolve()

  constructor(readonly dir?: string) {}

  /** The overview kept for the board at `path`, or undefined (none, or none readable: `log` says why). */
  async load(path: string, log: (line: string) => void): Promise<SavedOverview | undefined> {
    if (!this.dir) return undefined
    const file = this.filePath(path)
    let bytes: Uint8Array
    try {
      bytes = await readFile(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log(`overview kept in ${file} not read: ${(error as Error).message}`)
      return undefined
    }
    try {
      return decodeSaved(bytes)
    } catch (error) {
      log(`overview kept in ${file} not used: ${(error as Error).message}`)
      return undefined
    }
  }

  /** Keeps `saved` as the overview of the board at `path` (replacing the one kept before). */
  save(path: string, saved: Promise<SavedOverview>): Promise<void> {
    const dir = this.dir
    if (!dir) return Promise.resolve()
    const write = async () => {
      const bytes = encodeSaved(await saved)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      await writeFileAtomic(this.filePath(path), bytes)
    }
    this.writing = this.writing.then(write, write)
    return this.writing
  }

  /** Where the overview of the board at `path` is kept. */
  filePath(path: string): string {
    return join(this.dir as string, `${createHash('sha256').update(path).digest('hex')}.overview`)
  }
}

/**
 * A kept overview's file: MAGIC, FORMAT, the CRC-32 of the rest, then the canvas's placement, snapshot, frame, PNG,
 * and (format 2) the opening.
 */
export function encodeSaved({ snapshot, frame, canvas, opening }: SavedOverview): Uint8Array {
  const { png, ...placement } = canvas
  const body = encoding.createEncoder()
  encoding.writeVarString(body, JSON.stringify(placement))
  encoding.writeVarUint8Array(body, snapshot)
  encoding.writeVarUint8Array(body, frame)
  encoding.writeVarUint8Array(body, png)
  // Format 2: the opening, after a byte that says whether there is one.
  encoding.writeUint8(body, opening ? 1 : 0)
  if (opening) {
    const { area } = opening
    for (const n of [area.minX, area.minY, area.maxX, area.maxY]) encoding.writeFloat64(body, n)
    encoding.writeVarUint(body, opening.ids.length)
    for (const id of opening.ids) encoding.writeVarString(body, id)
    for (const n of opening.rects) encoding.writeFloat64(body, n)
    for (const n of opening.starts) encoding.writeFloat64(body, n)
  }
  const rest = encoding.toUint8Array(body)
  const out = new Uint8Array(MAGIC.length + 1 + 4 + rest.byteLength)
  out.set(MAGIC, 0)
  out[MAGIC.length] = FORMAT
  new DataView(out.buffer).setUint32(MAGIC.length + 1, crc32(rest) >>> 0, true)
  out.set(rest, MAGIC.length + 5)
  return out
}

/** Reads a kept overview's file; throws with what is wrong for one that is damaged or of another format. */
export function decodeSaved(bytes: Uint8Array): SavedOverview {
  if (bytes.byteLength > MAX_FILE_BYTES) throw new Error('it is larger than any kept overview')
  if (bytes.byteLength < MAGIC.length + 5 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('it is no kept overview')
  const format = bytes[MAGIC.length]
  if (format !== FORMAT && format !== FORMAT_WITHOUT_OPENING)
    throw new Error(`its format ${format} is not ${FORMAT}`)
  const rest = bytes.subarray(MAGIC.length + 5)
  const sum = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length + 1, true)
  if (crc32(rest) >>> 0 !== sum) throw new Error('it is damaged (its checksum does not match)')
  const decoder = decoding.createDecoder(rest)
  const placement = JSON.parse(decoding.readVarString(decoder)) as Omit<CanvasToKeep, 'png'>
  const snapshot = decoding.readVarUint8Array(decoder)
  const frame = decoding.readVarUint8Array(decoder)
  const png = decoding.readVarUint8Array(decoder)
  if (!isPlacement(placement)) throw new Error('its canvas is not one an overview draws')
  const opening = format === FORMAT && decoding.readUint8(decoder) === 1 ? readOpening(decoder) : undefined
  return { snapshot, frame, canvas: { ...placement, png }, ...(opening ? { opening } : {}) }
}

/** A kept opening as encodeSaved writes it; throws for one that is not (numbers where numbers go). */
function readOpening(decoder: decoding.Decoder): KeptOpening {
  const [minX, minY, maxX, maxY] = [0, 1, 2, 3].map(() => decoding.readFloat64(decoder)) as number[]
  const area = { minX, minY, maxX, maxY } as Rect
  const count = decoding.readVarUint(decoder)
  if (count > MAX_OPENING_STROKES) throw new Error(`its opening of ${count} strokes is not one a host keeps`)
  const ids: string[] = []
  for (let i = 0; i < count; i++) ids.push(decoding.readVarString(decoder))
  const rects = new Float64Array(4 * count)
  for (let i = 0; i < rects.length; i++) rects[i] = decoding.readFloat64(decoder)
  const starts = new Float64Array(2 * count)
  for (let i = 0; i < starts.length; i++) starts[i] = decoding.readFloat64(decoder)
  if (![area.minX, area.minY, area.maxX, area.maxY].every(Number.isFinite) || !rects.every(Number.isFinite))
    throw new Error('its opening is not one a host keeps')
  return { area, ids, rects, starts }
}

/** Whether a placement read back is one a drawing makes (numbers where numbers go, a canvas within the bounds). */
function isPlacement(p: Omit<CanvasToKeep, 'png'>): boolean {
  const rect = (r: Rect | undefined) =>
    r !== undefined &&
    [r.minX, r.minY, r.maxX, r.maxY].every((n) => typeof n === 'number' && Number.isFinite(n))
  const side = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_OVERVIEW_SIDE
  return (
    typeof p === 'object' &&
    p !== null &&
    rect(p.box) &&
    rect(p.extent) &&
    typeof p.s === 'number' &&
    p.s > 0 &&
    side(p.width) &&
    side(p.height) &&
    Number.isFinite(p.steps) &&
    Number.isInteger(p.halvings)
  )
}
