/**
 * Which board files this computer has already checked whole: for each board path, the SHA-256 of the bytes
 * the host last wrote there or last read and checked (a file per path in a folder of this computer's own
 * data, which no peer and no board file can write), and which of the two it was. A file with that digest opens
 * without its checksum being computed again; any other file (copied in, edited elsewhere, damaged) is checked in
 * full. A file the host wrote from its own document also skips Yjs's collection of deleted content when it is
 * applied (the host's document had collected it before writing: the pass would find nothing to do).
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './storage'

/**
 * How this computer knows a board file's bytes: `written` by its host from the board's document, or `checked` in
 * full when it was opened (a file from elsewhere). A note from before the two were told apart reads as `checked`.
 */
export type KnownFile = 'written' | 'checked'

/** The record of checked board files; without a folder it lives in memory only (tests, one-off hosts). */
export class CheckedBoards {
  private readonly known = new Map<string, { hex: string; how: KnownFile }>()

  constructor(private readonly dir?: string) {}

  /** How this computer knows the file at `path` with SHA-256 `digest`: written or checked here, or not at all. */
  async has(path: string, digest: Uint8Array): Promise<KnownFile | undefined> {
    const hex = Buffer.from(digest).toString('hex')
    const noted = this.known.get(path)
    if (noted?.hex === hex) return noted.how
    if (!this.dir) return undefined
    try {
      const [saved, how] = (await readFile(this.recordPath(path), 'utf8')).trim().split(' ')
      if (saved !== hex) return undefined
      const known: KnownFile = how === 'written' ? 'written' : 'checked'
      this.known.set(path, { hex, how: known })
      return known
    } catch {
      return undefined
    }
  }

  /** Records that the file at `path` now holds bytes with SHA-256 `digest`, written (`how`) or checked here. */
  async remember(path: string, digest: Uint8Array, how: KnownFile): Promise<void> {
    const hex = Buffer.from(digest).toString('hex')
    this.known.set(path, { hex, how })
    if (!this.dir) return
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    await writeFileAtomic(
      this.recordPath(path),
      new TextEncoder().encode(`${hex}${how === 'written' ? ' written' : ''}\n`),
    )
  }

  private recordPath(path: string): string {
    return join(this.dir as string, createHash('sha256').update(path).digest('hex'))
  }
}
