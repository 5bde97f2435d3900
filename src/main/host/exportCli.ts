// Headless export: `node out/main/export.js BOARD.lanvas OUT.png [--scale 2] ...` (via `npm run export`).
import './export/nodeCanvas'
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { BoardFileError } from '../../shared/boardFile'
import { ExportError, frameNamed } from '../../shared/export'
import { EXPORT_USAGE, ExportUsageError, parseExportArgs } from './export/exportArgs'
import { exportToFile, readBoard } from './export/exportFile'

/** Bad input (arguments, board file, an impossible export): one line, exit 2. */
class BadInput extends Error {}

async function main(): Promise<void> {
  const command = parseExportArgs(process.argv.slice(2))
  if (command.kind === 'help') {
    process.stdout.write(`${EXPORT_USAGE}\n`)
    return
  }
  const folder = dirname(command.outPath)
  const info = await stat(folder).catch(() => undefined)
  if (!info?.isDirectory()) throw new BadInput(`The folder ${folder} does not exist.`)
  const board = await readBoard(command.boardPath)
  const options = command.frameName
    ? { ...command.options, area: 'frame' as const, frame: frameNamed(board, command.frameName).id }
    : command.options
  const result = await exportToFile(board, command.outPath, options)
  for (const note of result.notes) process.stderr.write(`lanvas export: ${note}\n`)
  process.stdout.write(
    `${command.outPath}: ${result.width} × ${result.height} px ${result.format.toUpperCase()}\n`,
  )
}

main().catch((error: Error) => {
  const bad =
    error instanceof ExportUsageError ||
    error instanceof BoardFileError ||
    error instanceof ExportError ||
    error instanceof BadInput
  process.stderr.write(`lanvas export: ${error.message}\n`)
  process.exit(bad ? 2 : 1)
})
