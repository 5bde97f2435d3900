import './nodeCanvas'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { readFile, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Board } from '../../../shared/board'
import { BoardFileError, MAX_BOARD_FILE_BYTES, openBoardFile } from '../../../shared/boardFile'
import { type ExportOptions, type ExportResult, type ExportRun, exportBoard } from '../../../shared/export'

/** Reads a .lanvas file as a board; BoardFileError with a clear message for a missing or damaged file. */
export async function readBoard(path: string): Promise<Board> {
  let bytes: Uint8Array
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw new BoardFileError(`${path} is a folder, not a board file.`)
    if (info.size > MAX_BOARD_FILE_BYTES)
      throw new BoardFileError(
        `${path} is too large to be a Lanvas board (over ${MAX_BOARD_FILE_BYTES >> 20} MB).`,
      )
    bytes = new Uint8Array(await readFile(path))
  } catch (error) {
    if (error instanceof BoardFileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new BoardFileError(`There is no board file at ${path}.`)
    if (code === 'EACCES') throw new BoardFileError(`${path} cannot be read (no permission).`)
    throw error
  }
  return openBoardFile(bytes)
}

/**
 * Exports a board into a file, streamed: the bytes go to a temporary file beside it, renamed over `outPath` only
 * when the export is complete, so a failed or cancelled export leaves no partial file.
 */
export async function exportToFile(
  board: Board,
  outPath: string,
  options: Partial<ExportOptions>,
  run: Omit<ExportRun, 'sink'> = {},
): Promise<ExportResult> {
  const temp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.part`)
  const out = createWriteStream(temp, { flags: 'wx' })
  await once(out, 'open')
  try {
    const result = await exportBoard(board, options, {
      ...run,
      sink: async (chunk) => {
        if (!out.write(chunk)) await once(out, 'drain')
      },
    })
    out.end()
    await once(out, 'finish')
    await rename(temp, outPath)
    return result
  } catch (error) {
    out.destroy()
    await unlink(temp).catch(() => {})
    throw error
  }
}
