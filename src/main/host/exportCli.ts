// Headless export: `node out/main/export.js BOARD.lanvas OUT.png [--scale 2] ...` (via `npm run export`).

import { stat } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { dirname } from 'node:path'
import { BoardFileError } from '../../shared/boardFile'
import { ExportError, frameNamed } from '../../shared/export'
import { EXPORT_USAGE, ExportUsageError, idleWorkers, parseExportArgs } from './export/exportArgs'
import { exportToFile, prepareBoardFile } from './export/exportFile'
import { collectGarbageBetweenBands, releaseMemory } from './export/nodeCanvas'
import { defaultWorkers, parallelExport } from './export/parallelBands'

/** Bad input (arguments, board file, an impossible export): one line, exit 2. */
class BadInput extends Error {}
/** Ctrl+C or a termination signal during the export: exit 130, as a shell expects of an interrupted command. */
class Cancelled extends Error {}
/** Whether a terminal's progress line is open (the next message starts on a new line). */
let midLine = false

/**
 * Shows how far the export is, as the dialog's progress bar does: on a terminal one line rewritten in place; with
 * --progress (a script, a log) a line each time the whole percent changes. Nothing otherwise.
 */
function progressPrinter(lines: boolean): ((fraction: number) => void) | undefined {
  const tty = process.stderr.isTTY === true
  if (!tty && !lines) return undefined
  let shown = -1
  return (fraction) => {
    const percent = Math.floor(fraction * 100)
    if (percent === shown) return
    shown = percent
    if (tty) {
      process.stderr.write(`\rlanvas export: ${percent} %${percent === 100 ? '\n' : ''}`)
      midLine = percent !== 100
    } else process.stderr.write(`lanvas export: ${percent} %\n`)
  }
}

async function main(): Promise<void> {
  // This process only exports: a collection after each band keeps its native memory near one band's.
  collectGarbageBetweenBands()
  const command = parseExportArgs(process.argv.slice(2))
  if (command.kind === 'help') {
    process.stdout.write(`${EXPORT_USAGE}\n`)
    return
  }
  const folder = dirname(command.outPath)
  const info = await stat(folder).catch(() => undefined)
  if (!info?.isDirectory()) throw new BadInput(`The folder ${folder} does not exist.`)
  const abort = new AbortController()
  // Ctrl+C stops the drawing workers and removes the partial file (exportToFile) before the process ends.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => abort.abort(new Cancelled('The export was cancelled; no file was written.')))
  // One worker per core, as many as fit (defaultWorkers); 1 draws on this thread.
  const workers =
    command.workers === 'auto'
      ? idleWorkers(availableParallelism(), loadavg()[0] ?? 0)
      : (command.workers ?? defaultWorkers())
  // A PNG's drawing workers start now: their code loads while this thread reads the board, and then they walk the
  // strokes' boxes for its layout (exportLayoutWalked) while it reads on.
  const parallel =
    workers > 1
      ? parallelExport({
          workers,
          warm: command.options.format === 'png',
          // The workers hold their own copies of their shares: this thread keeps only the layout's frame (sizes,
          // options) and gives the items' memory back before the workers' drawing takes its own.
          onStarted: () => {
            prepared.layout.items = []
            prepared.layout.table = undefined
            prepared.layout.packed = undefined
            releaseMemory()
          },
        })
      : undefined
  // The board is read, laid out and let go here: the drawing below holds only what it draws.
  const { frameName } = command
  const prepared = await prepareBoardFile(
    command.boardPath,
    (board) =>
      frameName
        ? { ...command.options, area: 'frame' as const, frame: frameNamed(board, frameName).id }
        : command.options,
    abort.signal,
    parallel?.walker,
  )
  // The board's doc is garbage now: its memory goes back to the system before the drawing takes its own, and before
  // any worker draws (released beside the first worker's first band, the dense 100,000-stroke export's peak rose).
  releaseMemory()
  const bands = parallel?.bands
  const result = await exportToFile(
    prepared,
    command.outPath,
    {},
    {
      ...(bands ? { bands } : {}),
      signal: abort.signal,
      onProgress: progressPrinter(command.progress === true),
    },
  )
  for (const note of result.notes) process.stderr.write(`lanvas export: ${note}\n`)
  process.stdout.write(
    `${command.outPath}: ${result.width} × ${result.height} px ${result.format.toUpperCase()}\n`,
  )
}

main().catch((error: Error) => {
  if (midLine) process.stderr.write('\n')
  if (error instanceof Cancelled) {
    process.stderr.write(`lanvas export: ${error.message}\n`)
    process.exit(130)
  }
  const bad =
    error instanceof ExportUsageError ||
    error instanceof BoardFileError ||
    error instanceof ExportError ||
    error instanceof BadInput
  process.stderr.write(`lanvas export: ${error.message}\n`)
  process.exit(bad ? 2 : 1)
})
