import { createHash } from 'node:crypto'
import { type FileHandle, open, readdir, rename, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import * as Y from 'yjs'
import { BoardFileError, loadBoardFile, MAX_BOARD_FILE_BYTES } from '../../shared/boardFile'
import { errorMessage } from '../../shared/errors'
import { CheckedBoards } from './checkedBoards'
import { readRegularFile, UnreadableFileError } from './fileRead'
import {
  BASE_BYTES,
  encodeJournalHeader,
  encodeJournalRecord,
  JOURNAL_HEADER_BYTES,
  journalPathFor,
  parseJournal,
} from './journalFile'
import { isTempFileOf, syncDir, writeFileAtomic } from './storage'

/**
 * Longest time an applied update waits in memory before it is written and fsynced. 100 ms keeps what a
 * power cut can take to a tenth of a second of drawing and acks prompt, while a burst of updates (a pen
 * sends one per frame) shares one fsync: at most ten per second per board.
 */
export const JOURNAL_FLUSH_MS = 100
/** The largest journal the host reads: far more than it writes between two saves, even while saves fail. */
export const MAX_JOURNAL_BYTES = 4 * MAX_BOARD_FILE_BYTES
/** After a failed write (disk full, unplugged), the next try waits this long instead. */
const RETRY_MS = 1000

/**
 * A board file up to this size is rewritten whole on every autosave (a few milliseconds). A bigger one is
 * rewritten only once its journal has grown to JOURNAL_SHARE of it: until then an autosave is the journal's
 * append, so a large board's save never holds the host's main thread (and the relay) for the seconds that
 * encoding it takes. Every edit is on disk either way (the journal is fsynced within JOURNAL_FLUSH_MS).
 */
export const WHOLE_FILE_BYTES = 1024 * 1024
/** How large a big board's journal grows, as a share of its file, before an autosave rewrites the file. */
export const JOURNAL_SHARE = 0.25

/** The journal base of "no board file yet". */
export const NO_BOARD_FILE = new Uint8Array(BASE_BYTES)

/** The journal base of a board file: the SHA-256 of its bytes. */
export function boardFileHash(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest())
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-')
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** A board as the host finds it on start: its file, with the updates its journal holds applied. */
export interface RecoveredBoard {
  /**
   * The board's whole state in a document of its own, which the caller takes over (the board file is applied
   * once, into this document: docs/decisions.md, "One apply per open"); undefined for a new, empty board.
   */
  doc: Y.Doc | undefined
  /** The size of the board file's Yjs update (0 without a file): a first estimate of the board's size. */
  bytes: number
  /** The journal base of the board file as it is on disk. */
  base: Uint8Array
  /** Journal records applied on top of the file; when above 0 the board must be compacted before use. */
  replayed: number
}

/**
 * Reads a board file and replays its journal. A damaged or foreign board file throws BoardFileError and
 * nothing is touched. A journal that is cut short or damaged gives its good prefix (and a log line); one
 * that belongs to another version of the board file is set aside, never applied, never deleted.
 */
export async function recoverBoard(
  boardPath: string,
  log: (line: string) => void,
  checked: CheckedBoards = new CheckedBoards(),
): Promise<RecoveredBoard> {
  let fileBytes: Uint8Array | undefined
  // The journal base, hashed as the file is read.
  const digest = createHash('sha256')
  try {
    fileBytes = await readRegularFile(boardPath, MAX_BOARD_FILE_BYTES, 'a Lanvas board file', digest)
  } catch (error) {
    // A folder, a pipe, a device or a huge file: the host does not start on it, and changes nothing.
    if (error instanceof UnreadableFileError) throw new BoardFileError(error.message)
    throw error
  }
  const base = fileBytes ? new Uint8Array(digest.digest()) : NO_BOARD_FILE
  // A file this computer wrote or checked, byte for byte, is not checked again (docs/decisions.md).
  const known = fileBytes !== undefined ? await checked.has(boardPath, base) : undefined
  // Node's CRC-32 reads 46 MB in ~20 ms, the portable one in 70-380 ms.
  const loaded = fileBytes && loadBoardFile(fileBytes, known !== undefined, crc32, known === 'written')
  const fileDoc = loaded ? loaded.doc : undefined
  const bytes = loaded ? loaded.payload.update.byteLength : 0
  // The file's document as it is: no journal to replay on top of it.
  const asFiled = (): RecoveredBoard => ({ doc: fileDoc, bytes, base, replayed: 0 })
  if (known)
    log(
      `board ${boardPath}: as this computer last ${known === 'written' ? 'wrote' : 'checked'} it (same SHA-256): not checked again`,
    )
  if (fileBytes && !known)
    await checked
      .remember(boardPath, base, 'checked')
      .catch((error: Error) => log(`could not note ${boardPath} as checked: ${error.message}`))
  await removeTempFiles(boardPath)
  const journalPath = journalPathFor(boardPath)
  const setAside = async (why: string, copyName: string): Promise<void> => {
    const kept = `${journalPath}.${copyName}-${stamp()}`
    await rename(journalPath, kept)
    await syncDir(dirname(journalPath))
    log(`journal ${journalPath}: ${why}; not applied, kept as ${kept}`)
  }
  let journalBytes: Uint8Array | undefined
  try {
    journalBytes = await readRegularFile(journalPath, MAX_JOURNAL_BYTES, 'a Lanvas journal')
  } catch (error) {
    // Not a journal the host can read: moved aside (never deleted), so the board opens and a new journal starts.
    if (!(error instanceof UnreadableFileError) || error.kind === 'no permission') throw error
    await setAside(error.message, 'unreadable')
    return asFiled()
  }
  if (journalBytes === undefined) return asFiled()

  const journal = parseJournal(journalBytes)
  if (journal.problem?.kind === 'foreign' || journal.problem?.kind === 'newer') {
    await setAside(journal.problem.message, 'unreadable')
    return asFiled()
  }
  // The journal's records go on top of the file's document (a new one without a file): the board's own.
  const doc = fileDoc ?? new Y.Doc()
  let result: RecoveredBoard | undefined
  try {
    if (journal.base && !sameBytes(journal.base, base)) {
      // The journal was started on another version of the file. Either the host stopped between writing a
      // compacted board file and restarting the journal (the file then holds every record), or the file was
      // replaced: its records are then kept aside, not mixed into a board they do not belong to.
      const snapshot = Y.snapshot(doc)
      const saved = journal.records.every((r) => {
        try {
          return Y.snapshotContainsUpdate(snapshot, r)
        } catch {
          return false
        }
      })
      if (!saved) {
        await setAside('it was written for another version of the board file', 'unused')
        result = asFiled()
        return result
      }
      await removeIfPresent(journalPath)
      log(`journal ${journalPath}: already saved in the board file; removed`)
      result = asFiled()
      return result
    }
    let replayed = 0
    let threw = false
    let damage = journal.problem?.kind === 'damaged' ? journal.problem.message : undefined
    for (const record of journal.records) {
      try {
        Y.applyUpdate(doc, record)
      } catch (error) {
        threw = true
        damage = `record ${replayed + 1} cannot be read as a board update (${errorMessage(error)}); it and the records after it were left out`
        break
      }
      replayed++
    }
    if (journal.problem?.kind === 'torn')
      log(`journal ${journalPath}: ${journal.problem.message} (the host stopped while writing it); dropped`)
    if (damage) {
      // The damaged bytes may matter to someone repairing them: a copy stays beside the board.
      const kept = `${journalPath}.damaged-${stamp()}`
      await writeFileAtomic(kept, journalBytes)
      log(`journal ${journalPath}: damaged: ${damage}; ${replayed} records replayed, a copy kept as ${kept}`)
    }
    if (replayed === 0) {
      await removeIfPresent(journalPath)
      // The file as it is: a first record that failed half applied is not part of it (read again, rarely).
      result =
        threw && fileBytes
          ? { doc: loadBoardFile(fileBytes, true).doc, bytes, base, replayed: 0 }
          : { doc: threw ? undefined : fileDoc, bytes, base, replayed: 0 }
      return result
    }
    log(`journal ${journalPath}: replayed ${replayed} updates`)
    result = { doc, bytes: bytes + journalBytes.byteLength, base, replayed }
    return result
  } finally {
    // The document goes to the caller or nowhere (a failure, or a board without a file that stays empty).
    if (result?.doc !== doc) doc.destroy()
  }
}

/** Removes the temporary files a crash mid-write left beside a board; the board file itself is whole. */
async function removeTempFiles(boardPath: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dirname(boardPath))
  } catch {
    return
  }
  for (const name of names)
    if (isTempFileOf(boardPath, name)) await unlink(join(dirname(boardPath), name)).catch(() => {})
}

/** What a Journal needs from its board. */
export interface JournalOptions {
  /** The board's whole state as .lanvas file bytes, taken at the moment of the call. */
  snapshot: () => Uint8Array
  /** Called with the new durable position each time more of the board is safely on disk. */
  onDurable: (position: number) => void
  log: (line: string) => void
  flushMs?: number
  /** Called with what is wrong when writing to disk fails, and with undefined once a write works again. */
  onTrouble?: (problem: string | undefined) => void
  /** Called with the board file's path and SHA-256 each time the whole board file was written. */
  onWritten?: (path: string, digest: Uint8Array) => void
  /** The size of the board file on disk as the journal starts (0 or unknown: it is rewritten on the first save). */
  fileSize?: number
  /** Board files up to this size are rewritten on every autosave (WHOLE_FILE_BYTES by default; tests lower it). */
  wholeFileBytes?: number
}

/**
 * A board's journal (NAME.lanvas.journal): every update the host applies is appended, written and fsynced
 * within JOURNAL_FLUSH_MS; compaction writes the whole board file (temporary name, fsync, rename, fsync of
 * the folder) and starts the journal over. One file operation runs at a time.
 *
 * Positions count the bytes of records ever appended, so "position P is durable" means every update
 * appended before position() returned P will be in the board after a crash.
 */
export class Journal {
  private readonly records: Uint8Array[] = []
  private appended = 0
  private durable = 0
  private handle: FileHandle | undefined
  /** Bytes of the journal file written and synced (header included); 0 while there is no file. */
  private fileBytes = 0
  /** The journal on disk cannot be appended to (replayed on start, or a write failed): compact first. */
  private mustCompact: boolean
  private timer: ReturnType<typeof setTimeout> | undefined
  private chain: Promise<void> = Promise.resolve()
  private closed = false
  /** What last went wrong writing to disk, until a write works again. */
  private troubled: string | undefined
  /** The board file's size when it was last written (or as the journal started). */
  private boardFileSize: number

  constructor(
    private boardPath: string,
    /** The journal base of the board file on disk. */
    private base: Uint8Array,
    private readonly options: JournalOptions,
    /** True after a replay: the old journal stays until the board file holds what it replayed. */
    compactFirst = false,
  ) {
    this.mustCompact = compactFirst
    this.boardFileSize = options.fileSize ?? 0
  }

  /** The position after the last appended update. */
  get position(): number {
    return this.appended
  }

  /** The position up to which everything is on disk. */
  get durablePosition(): number {
    return this.durable
  }

  /** Whether there are updates not yet in the board file (in memory or in the journal file). */
  get hasUpdates(): boolean {
    return this.records.length > 0 || this.fileBytes > JOURNAL_HEADER_BYTES || this.mustCompact
  }

  /** Adds an applied update; it is on disk within the flush interval. Returns the new position. */
  append(update: Uint8Array): number {
    if (this.closed) return this.appended
    const record = encodeJournalRecord(update)
    this.records.push(record)
    this.appended += record.byteLength
    this.schedule(this.options.flushMs ?? JOURNAL_FLUSH_MS)
    return this.appended
  }

  /** Writes and fsyncs every appended update now. */
  flush(): Promise<void> {
    return this.enqueue(() => this.writeRecords())
  }

  /** Writes the whole board file and starts the journal over (the board's save). */
  compact(): Promise<void> {
    return this.enqueue(() => this.compactNow(this.boardPath))
  }

  /**
   * The autosave: rewrites the board file when it is small or its journal has grown to JOURNAL_SHARE of it,
   * else writes and fsyncs the journal only (see WHOLE_FILE_BYTES).
   */
  autosave(): Promise<void> {
    return this.enqueue(async () => {
      const journalBytes = this.fileBytes + this.records.reduce((n, r) => n + r.byteLength, 0)
      const whole =
        this.mustCompact ||
        this.boardFileSize <= (this.options.wholeFileBytes ?? WHOLE_FILE_BYTES) ||
        journalBytes >= this.boardFileSize * JOURNAL_SHARE
      if (whole) await this.compactNow(this.boardPath)
      else await this.writeRecords()
    })
  }

  /** Saves the board in another file, which is its file from now on (Save As); the old file is saved first. */
  moveTo(path: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.hasUpdates) await this.compactNow(this.boardPath)
      await this.compactNow(path)
    })
  }

  /** Saves what is unsaved into the board file and removes the journal; later appends are ignored. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      clearTimeout(this.timer)
      this.timer = undefined
      if (this.hasUpdates) await this.compactNow(this.boardPath)
      this.closed = true
      await this.closeHandle()
    })
  }

  private schedule(delay: number): void {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush().catch((error: Error) => {
        this.options.log(`could not write the journal of ${this.boardPath}: ${error.message}`)
        this.trouble(error)
        if (this.records.length > 0) this.schedule(RETRY_MS)
      })
    }, delay)
    // The journal never keeps a process alive on its own: close() flushes.
    this.timer.unref?.()
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.chain.then(operation)
    this.chain = run.catch(() => {})
    return run
  }

  /** Tells the board that its edits no longer reach the disk (said once per spell of failures). */
  trouble(error: unknown): void {
    const problem = errorMessage(error)
    if (this.troubled === problem) return
    this.troubled = problem
    this.options.onTrouble?.(problem)
  }

  private advance(position: number): void {
    if (this.troubled !== undefined) {
      this.troubled = undefined
      this.options.onTrouble?.(undefined)
    }
    if (position <= this.durable) return
    this.durable = position
    this.options.onDurable(position)
  }

  private async writeRecords(): Promise<void> {
    if (this.records.length === 0) return
    if (this.mustCompact) return this.compactNow(this.boardPath)
    const count = this.records.length
    const end = this.appended
    const bytes = Buffer.concat(this.records.slice(0, count))
    const handle = this.handle ?? (await this.create())
    try {
      await handle.write(bytes, 0, bytes.byteLength, this.fileBytes)
      await handle.datasync()
    } catch (error) {
      // The file may now end in part of a record: cut it back to the last whole one, or start over by
      // compacting when even that fails. The records stay in memory meanwhile.
      try {
        await handle.truncate(this.fileBytes)
      } catch {
        this.mustCompact = true
        await this.closeHandle()
      }
      throw error
    }
    this.fileBytes += bytes.byteLength
    this.records.splice(0, count)
    this.advance(end)
  }

  /** Creates the journal file: its header, synced, and its name made durable in the folder. */
  private async create(): Promise<FileHandle> {
    const path = journalPathFor(this.boardPath)
    const handle = await open(path, 'w', 0o644)
    try {
      const header = encodeJournalHeader(this.base)
      await handle.write(header, 0, header.byteLength, 0)
      await handle.datasync()
      await syncDir(dirname(path))
    } catch (error) {
      await handle.close()
      throw error
    }
    this.handle = handle
    this.fileBytes = JOURNAL_HEADER_BYTES
    return handle
  }

  private async compactNow(path: string): Promise<void> {
    const position = this.appended
    const count = this.records.length
    const bytes = this.options.snapshot()
    // The snapshot holds every update appended so far; those records are dropped only once it is on disk.
    await writeFileAtomic(path, bytes)
    this.boardFileSize = bytes.byteLength
    this.records.splice(0, count)
    await this.closeHandle()
    const oldJournal = journalPathFor(this.boardPath)
    this.boardPath = path
    this.base = boardFileHash(bytes)
    this.options.onWritten?.(path, this.base)
    this.fileBytes = 0
    this.mustCompact = false
    // A crash before this removal leaves a journal the new file already holds: the next start sees that.
    await removeIfPresent(oldJournal)
    await syncDir(dirname(oldJournal))
    this.advance(position)
    if (this.records.length > 0) this.schedule(this.options.flushMs ?? JOURNAL_FLUSH_MS)
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle
    this.handle = undefined
    await handle?.close().catch(() => {})
  }
}
