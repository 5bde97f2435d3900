import { createHash, randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import * as Y from 'yjs'
import { BOARD_SCHEMA_VERSION } from '../../shared/board'
import { encodeBoardFile, loadBoardFile } from '../../shared/boardFile'
import { oversizeProblem } from '../../shared/elements/imageHeader'
import { recordFinishedStrokes } from '../../shared/elements/inkRecord'
import { errorMessage } from '../../shared/errors'
import { CheckedBoards } from './checkedBoards'
import { boardFileHash, Journal, type RecoveredBoard, recoverBoard } from './journal'
import { BoardRoom } from './room/boardRoom'
import { SavedOverviews } from './savedOverviews'
import { Autosave, boardNameOf, writeNewBoardFile } from './storage'

/** A board open on the host, as the app and the HTTP API describe it. */
export interface OpenedBoard {
  id: string
  /** The file name without its extension. */
  name: string
  /** Absolute path of the board's file (it may not exist yet for a new, untouched board). */
  path: string
}

const GOING_AWAY = 1001
/** The origin of the host's own edit that converts a board's older strokes (no one's undo step). */
const COMPACTION_ORIGIN = Symbol('compact legacy strokes')

interface Entry {
  room: BoardRoom
  path: string
  /** Every applied update, on disk within JOURNAL_FLUSH_MS (src/main/host/journal.ts). */
  journal: Journal
  /** When the whole board file is rewritten (the journal's compaction). */
  autosave: Autosave
}

/** Autosave timing, shortened by tests. */
export interface AutosaveTiming {
  quietMs?: number
  maxDelayMs?: number
  /** The journal's flush interval (JOURNAL_FLUSH_MS by default). */
  journalFlushMs?: number
  /** Board files up to this size are rewritten on every autosave (WHOLE_FILE_BYTES by default). */
  wholeFileBytes?: number
}

/** The boards a host has open, each tied to its file and saved automatically. */
export class OpenBoards {
  private readonly byId = new Map<string, Entry>()
  /**
   * Notes of board files just written and overviews just drawn, still being saved (the host's last save before it
   * stops waits for them).
   */
  private readonly noting = new Set<Promise<void>>()

  constructor(
    private readonly log: (line: string) => void,
    /** The host's owner key: a hello carrying it enters any board as the host. */
    private readonly ownerKey: string,
    private readonly timing: AutosaveTiming = {},
    /** The board files this computer wrote or checked: they open without being checked again. */
    private readonly checked: CheckedBoards = new CheckedBoards(),
    /** The overviews the host drew of its boards: a board opened again has its overview at once. */
    private readonly overviews: SavedOverviews = new SavedOverviews(),
  ) {}

  /** Opens a board file (a missing file is a new empty board); the same file opened twice is one board. */
  async open(path: string): Promise<OpenedBoard> {
    const absolute = resolve(path)
    const already = this.findByPath(absolute)
    if (already) return describe(already)
    const recovered = await recoverBoard(absolute, this.log, this.checked)
    // Opened by another call while this one was reading.
    const raced = this.findByPath(absolute)
    if (raced) return describe(raced)
    const entry = this.add(absolute, recovered)
    // What the journal gave back goes into the board file before anyone edits: the old journal can then go.
    if (recovered.replayed > 0)
      await entry.journal
        .compact()
        .catch((error: Error) => this.log(`could not save ${absolute} after its recovery: ${error.message}`))
    // The overview drawn of the board before (file and journal as loaded: what changed since is read from the board).
    const log = (line: string) => this.log(`board ${entry.room.id}: ${line}`)
    const saved = await this.overviews.load(absolute, log)
    if (saved) {
      entry.room.overview.restore(saved)
      entry.room.restoreOpening(saved.opening)
    }
    return describe(entry)
  }

  /**
   * Checks the bytes of a board file, writes them as a new file next to `besidePath` (never overwriting) and
   * opens it. Throws BoardFileError for bytes that are no board; nothing is written then.
   */
  async import(bytes: Uint8Array, suggestedName: string, besidePath: string): Promise<OpenedBoard> {
    const { doc, payload } = loadBoardFile(bytes, false, crc32)
    let path: string
    try {
      path = await writeNewBoardFile(dirname(besidePath), suggestedName, bytes)
    } catch (error) {
      doc.destroy()
      throw error
    }
    this.log(`imported board ${path}`)
    const recovered = { doc, bytes: payload.update.byteLength, base: boardFileHash(bytes), replayed: 0 }
    return describe(this.add(path, recovered))
  }

  /** The live room of a board, or undefined for an unknown id. */
  room(id: string): BoardRoom | undefined {
    return this.byId.get(id)?.room
  }

  /** A board's description, or undefined for an unknown id. */
  get(id: string): OpenedBoard | undefined {
    const entry = this.byId.get(id)
    return entry && describe(entry)
  }

  /** The board's current state as .lanvas file bytes. */
  fileBytes(id: string): Uint8Array {
    return encodeBoardFile(this.entry(id).room.doc)
  }

  /** Saves the board to another file, which becomes its file from now on ("Save As"). */
  async saveAs(id: string, path: string): Promise<OpenedBoard> {
    const entry = this.entry(id)
    const absolute = resolve(path)
    const other = this.findByPath(absolute)
    if (other && other !== entry) throw new Error(`Another open board is saved in ${absolute}.`)
    await entry.journal.moveTo(absolute)
    entry.path = absolute
    this.log(`board ${id} saved as ${absolute}`)
    return describe(entry)
  }

  /** Saves every board with unsaved changes. */
  async flush(): Promise<void> {
    await Promise.all([...this.byId.values()].map((e) => e.autosave.flush()))
  }

  /** Disconnects everyone, saves every board and forgets them. */
  async close(): Promise<void> {
    const entries = [...this.byId.values()]
    this.byId.clear()
    // 1001 "going away", not BoardClosed: clients keep retrying and find the host again when it restarts.
    for (const e of entries) e.room.close(GOING_AWAY, 'The host is shutting down.')
    const results = await Promise.allSettled(
      entries.map(async (e) => {
        await e.autosave.close()
        await e.journal.close()
      }),
    )
    for (const e of entries) e.room.doc.destroy()
    // The last save's note, so that the next start knows the file as this host's own.
    await Promise.all([...this.noting])
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  private entry(id: string): Entry {
    const entry = this.byId.get(id)
    if (!entry) throw new Error(`No open board has the id ${id}.`)
    return entry
  }

  private findByPath(path: string): Entry | undefined {
    for (const entry of this.byId.values()) if (entry.path === path) return entry
    return undefined
  }

  private add(path: string, recovered: RecoveredBoard): Entry {
    // Derived from the path so a restarted host serves the same board under the same id: clients reconnect.
    let id = createHash('sha256').update(path).digest('base64url').slice(0, 16)
    if (this.byId.has(id)) id = randomBytes(12).toString('base64url')
    const entry = {} as Entry
    entry.path = path
    entry.journal = new Journal(
      path,
      recovered.base,
      {
        snapshot: () => encodeBoardFile(entry.room.doc),
        onDurable: (position) => entry.room.saved(position),
        log: this.log,
        flushMs: this.timing.journalFlushMs,
        onTrouble: (problem) => entry.room.storageTrouble(problem),
        onWritten: (written, digest) => {
          const noting = this.checked
            .remember(written, digest, 'written')
            .catch((error: Error) => this.log(`could not note ${written} as checked: ${error.message}`))
            .finally(() => this.noting.delete(noting))
          this.noting.add(noting)
        },
        fileSize: recovered.doc ? recovered.bytes : undefined,
        wholeFileBytes: this.timing.wholeFileBytes,
      },
      recovered.replayed > 0,
    )
    entry.autosave = new Autosave(
      () => entry.journal.autosave(),
      (error) => {
        this.log(`could not save ${entry.path}: ${errorMessage(error)}`)
        entry.journal.trouble(error)
      },
      this.timing.quietMs,
      this.timing.maxDelayMs,
    )
    const changed = (update: Uint8Array): number => {
      entry.autosave.changed()
      return entry.journal.append(update)
    }
    entry.room = new BoardRoom(
      id,
      recovered.doc && { doc: recovered.doc, bytes: recovered.bytes },
      changed,
      this.log,
      this.ownerKey,
    )
    this.byId.set(id, entry)
    entry.room.overview.keepEach((saved) => {
      const noting = this.overviews
        .save(entry.path, saved)
        .catch((error: Error) => this.log(`board ${id}: overview not kept: ${error.message}`))
        .finally(() => this.noting.delete(noting))
      this.noting.add(noting)
    })
    // Before anyone joins: peers only ever see the compact form, and the conversion is journaled and saved.
    const compacted = recordFinishedStrokes(entry.room.doc, COMPACTION_ORIGIN, BOARD_SCHEMA_VERSION)
    if (compacted > 0)
      this.log(`board ${path}: ${compacted} finished strokes stored compactly (flat records)`)
    logOversizedImages(entry.room.doc, path, this.log)
    return entry
  }
}

/**
 * Says which images of an opened board are over the pixel cap. They stay in the board and its file (nothing a
 * person made is dropped), but no decoder ever sees them: screens and exports draw a grey box instead.
 */
function logOversizedImages(doc: Y.Doc, path: string, log: (line: string) => void): void {
  for (const [id, asset] of doc.getMap<unknown>('assets')) {
    const bytes = asset instanceof Y.Map ? asset.get('bytes') : undefined
    if (!(bytes instanceof Uint8Array)) continue
    const problem = oversizeProblem(bytes)
    if (problem)
      log(
        `board ${path}: image ${id.slice(0, 12)} is kept but never drawn or exported: ${problem.split(';')[0]}, over the cap of 16,384 px a side and 64 megapixels`,
      )
  }
}

function describe(entry: Entry): OpenedBoard {
  return { id: entry.room.id, name: boardNameOf(entry.path), path: entry.path }
}
