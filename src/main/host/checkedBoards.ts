/**
 * Which board files this computer has already checked whole: for each board path, the SHA-256 of the bytes
 * the host last wrote there or last read and checked (a file per path in a folder of this computer's own
 * data, which no peer and no board file can write). A file with that digest opens without applying it to a
 * scratch document first; any other file (copied in, edited elsewhere, damaged) is checked in full.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './storage'

/** The record of checked board files; without a folder it lives in memory only (tests, one-off hosts). */
export class CheckedBoards {
  private readonly known = new Map<string, string>()

  constructor(private readonly dir?: string) {}

  /** Whether the file at `path` with SHA-256 `digest` is one this computer wrote or checked. */
  async has(path: string, digest: Uint8Array): Promise<boolean> {
    const hex = Buffer.from(digest).toString('hex')
    if (this.known.get(path) === hex) return true
    if (!this.dir) return false
    try {
      const saved = (await readFile(this.recordPath(path), 'utf8')).trim()
      if (saved !== hex) return false
      this.known.set(path, hex)
      return true
    } catch {
      return false
    }
  }

  /** Records that the file at `path` now holds bytes with SHA-256 `digest`, checked or written here. */
  async remember(path: string, digest: Uint8Array): Promise<void> {
    const hex = Buffer.from(digest).toString('hex')
    this.known.set(path, hex)
    if (!this.dir) return
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    await writeFileAtomic(this.recordPath(path), new TextEncoder().encode(`${hex}\n`))
  }

  private recordPath(path: string): string {
    return join(this.dir as string, createHash('sha256').update(path).digest('hex'))
  }
}
