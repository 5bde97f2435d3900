import './host/export/nodeCanvas'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import { openBoardFile } from '../shared/boardFile'
import { exportBoard, exportLayout } from '../shared/export'
import { writeFileAtomic } from './host/storage'

/** A thumbnail's width: the start screen shows it at 160 px, sharp on a 2x screen. */
export const THUMBNAIL_WIDTH = 320
/** A tall board's thumbnail is cut to this height by drawing it narrower: a thumbnail stays a few kB. */
export const THUMBNAIL_MAX_HEIGHT = 240
const FOLDER = 'thumbnails'

/** A board's thumbnail file in the app's data folder: named by its path's hash, never by the path itself. */
export function thumbnailFile(
  dataDir: string,
  boardPath: string,
  platform: NodeJS.Platform = process.platform,
): string {
  // Case-insensitive file systems by default on Windows and macOS: one board, one thumbnail.
  const full = platform === 'linux' ? resolve(boardPath) : resolve(boardPath).toLowerCase()
  return join(dataDir, FOLDER, `${createHash('sha256').update(full).digest('hex').slice(0, 32)}.png`)
}

/**
 * Draws a board (its .lanvas bytes) as a small PNG, through the export code, into its thumbnail file; an empty
 * board has none (its old thumbnail goes). Resolves whether there is a thumbnail now.
 */
export async function saveThumbnail(
  dataDir: string,
  boardPath: string,
  boardFile: Uint8Array,
): Promise<boolean> {
  const file = thumbnailFile(dataDir, boardPath)
  const board = openBoardFile(boardFile, undefined, crc32)
  try {
    if (board.elementIds().length === 0) {
      await rm(file, { force: true })
      return false
    }
    const wide = exportLayout(board, { format: 'png', targetWidth: THUMBNAIL_WIDTH, padding: 24 })
    const width =
      wide.height > THUMBNAIL_MAX_HEIGHT
        ? Math.max(1, Math.floor((THUMBNAIL_WIDTH * THUMBNAIL_MAX_HEIGHT) / wide.height))
        : THUMBNAIL_WIDTH
    const png = await exportBoard(board, { format: 'png', targetWidth: width, padding: 24 })
    if (!png.bytes) return false
    await mkdir(join(dataDir, FOLDER), { recursive: true })
    await writeFileAtomic(file, png.bytes)
    return true
  } finally {
    board.doc.destroy()
  }
}

/** A board's thumbnail as a data: URL the page can show, or null when it has none. */
export async function readThumbnail(dataDir: string, boardPath: string): Promise<string | null> {
  try {
    const bytes = await readFile(thumbnailFile(dataDir, boardPath))
    return `data:image/png;base64,${bytes.toString('base64')}`
  } catch {
    return null
  }
}

/** Deletes the thumbnails of boards no longer among `kept` (the recent boards): the folder never grows. */
export async function pruneThumbnails(dataDir: string, kept: readonly string[]): Promise<void> {
  const keep = new Set(kept.map((p) => thumbnailFile(dataDir, p)))
  const names = await readdir(join(dataDir, FOLDER)).catch(() => [] as string[])
  await Promise.all(
    names
      .map((name) => join(dataDir, FOLDER, name))
      .filter((file) => file.endsWith('.png') && !keep.has(file))
      .map((file) => rm(file, { force: true })),
  )
}
