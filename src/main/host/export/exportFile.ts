import './nodeCanvas'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Board } from '../../../shared/board'
import { BoardFileError, MAX_BOARD_FILE_BYTES, openBoardFile } from '../../../shared/boardFile'
import {
  type BoxWalker,
  type ExportOptions,
  type ExportResult,
  type ExportRun,
  type PreparedExport,
  prepareExport,
  writeExport,
} from '../../../shared/export'
import { readRegularFile, UnreadableFileError } from '../fileRead'

/** Reads a .lanvas file as a board; BoardFileError with a clear message for a missing or damaged file. */
export async function readBoard(path: string): Promise<Board> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readRegularFile(path, MAX_BOARD_FILE_BYTES, 'a Lanvas board file')
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new BoardFileError(error.message)
    throw error
  }
  if (!bytes) throw new BoardFileError(`There is no board file at ${path}.`)
  // Node's CRC-32 (zlib's), as the host's: the portable one took 0.2 s of the dense 100,000-stroke export's start
  // (46 MB), on the thread the band workers wait for.
  return openBoardFile(bytes, undefined, crc32)
}

/**
 * Reads a .lanvas file and prepares its export (prepareExport) with the options `options` gives for the board (a
 * frame is looked up by name there). Only what the export draws is kept: the board and its doc are let go before
 * anything is drawn, so a 100,000-stroke export does not hold the board's hundreds of MB while it draws. `walker`:
 * where a PNG's strokes' boxes are walked (the command line's warm band workers: prepareExport).
 */
export async function prepareBoardFile(
  path: string,
  options: (board: Board) => Partial<ExportOptions>,
  signal?: AbortSignal,
  walker?: BoxWalker,
): Promise<PreparedExport> {
  const board = await readBoard(path)
  try {
    return await prepareExport(board, options(board), signal, walker)
  } finally {
    board.destroy()
    board.doc.destroy()
  }
}

/**
 * Exports a board (or an export prepareBoardFile prepared) into a file, streamed: the bytes go to a temporary file beside it, renamed over `outPath` only
 * when the export is complete, so a failed or cancelled export leaves no partial file. `run.bands` (parallelBands)
 * draws a PNG of more than one band in worker threads.
 */
export async function exportToFile(
  board: Board | PreparedExport,
  outPath: string,
  options: Partial<ExportOptions>,
  run: Omit<ExportRun, 'sink'> = {},
): Promise<ExportResult> {
  const temp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.part`)
  const out = createWriteStream(temp, { flags: 'wx' })
  await once(out, 'open')
  try {
    const prepared = 'layout' in board ? board : await prepareExport(board, options, run.signal)
    const result = await writeExport(prepared, {
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
