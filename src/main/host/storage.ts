import { randomBytes } from 'node:crypto'
import { link, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/** The extension of board files. */
export const BOARD_FILE_EXTENSION = '.lanvas'

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
}

async function writeTemp(path: string, bytes: Uint8Array, mode: number): Promise<string> {
  const temp = tempPathFor(path)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(bytes)
    // On disk before the rename, so a crash leaves either the old file or the new one, never half of one.
    await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  return temp
}

/**
 * Makes a folder's entries (a file created, renamed or removed in it) durable: without this a power cut can
 * undo a rename that the file system had only in memory. Where folders cannot be opened (Windows) it does nothing.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(dir, 'r')
  } catch (error) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return
    throw error
  }
  try {
    await handle.sync()
  } catch (error) {
    // Some file systems refuse fsync on a folder; the rename itself has happened.
    if (!['EINVAL', 'EBADF', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    await handle.close()
  }
}

/**
 * Replaces a file as a whole: the bytes go to a temporary name in the same folder, are synced, and the name
 * is renamed over the file, then the folder is synced. A crash at any point leaves the old file or the new one.
 * `mode` is the new file's permissions (0o600 for a file only its owner may read).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  const temp = await writeTemp(path, bytes, mode)
  try {
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  await syncDir(dirname(path))
}

/** Whether a name in a folder is a temporary file writeFileAtomic left behind for `boardPath` (a crash mid-write). */
export function isTempFileOf(boardPath: string, name: string): boolean {
  const prefix = `.${basename(boardPath)}.`
  return name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))
}

/** A file name from a name a user or a browser suggested: no folders, no characters file systems refuse. */
export function boardFileName(suggested: string): string {
  const withoutExt = suggested.replace(/\.lanvas$/i, '')
  const cleaned = withoutExt
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, 100)
    .trim()
  return cleaned === '' ? 'Imported board' : cleaned
}

/** The board name shown to people: the file name without its extension. */
export function boardNameOf(path: string): string {
  const name = basename(path)
  return extname(name).toLowerCase() === BOARD_FILE_EXTENSION
    ? name.slice(0, -BOARD_FILE_EXTENSION.length)
    : name
}

/**
 * Writes bytes as a new file "name.lanvas" in dir, or "name (2).lanvas", ... when taken; an existing file is
 * never overwritten (the complete file is linked into place, which fails when the name exists).
 */
export async function writeNewBoardFile(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const base = boardFileName(name)
  const temp = await writeTemp(join(dir, base), bytes, 0o644)
  try {
    for (let n = 1; n < 10_000; n++) {
      const path = join(dir, `${n === 1 ? base : `${base} (${n})`}${BOARD_FILE_EXTENSION}`)
      try {
        await link(temp, path)
        await syncDir(dir)
        return path
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
    throw new Error(`No free file name for "${base}" in ${dir}`)
  } finally {
    await unlink(temp).catch(() => {})
  }
}

/** Autosave timing: saved this long after the last change... */
export const AUTOSAVE_QUIET_MS = 1000
/** ...but never later than this after the first unsaved change, so continuous drawing is still saved. */
export const AUTOSAVE_MAX_DELAY_MS = 5000

/** Saves a board some time after it changes (debounced with a deadline), one save at a time. */
export class Autosave {
  private dirty = false
  private firstChangeAt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private closed = false

  constructor(
    private readonly save: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly quietMs = AUTOSAVE_QUIET_MS,
    private readonly maxDelayMs = AUTOSAVE_MAX_DELAY_MS,
  ) {}

  /** Whether there are changes not yet saved. */
  get pending(): boolean {
    return this.dirty
  }

  /** Records a change; the save is scheduled. */
  changed(): void {
    if (this.closed) return
    const now = Date.now()
    if (!this.dirty) this.firstChangeAt = now
    this.dirty = true
    if (this.timer) clearTimeout(this.timer)
    const delay = Math.max(0, Math.min(this.quietMs, this.firstChangeAt + this.maxDelayMs - now))
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush().catch(this.onError)
    }, delay)
  }

  /** Saves now when there are unsaved changes; resolves when everything changed so far is on disk. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    while (this.running) await this.running.catch(() => {})
    if (!this.dirty) return
    this.dirty = false
    this.running = this.save()
    try {
      await this.running
    } catch (error) {
      // Still unsaved: the next change or flush tries again.
      if (!this.dirty) this.firstChangeAt = Date.now()
      this.dirty = true
      throw error
    } finally {
      this.running = undefined
    }
  }

  /** Final save; later changes are ignored. */
  async close(): Promise<void> {
    this.closed = true
    await this.flush()
  }
}
