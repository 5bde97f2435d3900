import { resolve } from 'node:path'
import {
  type ExportBackground,
  type ExportOptions,
  FORMATS,
  formatOfFileName,
  MAX_SCALE,
  MIN_SCALE,
} from '../../../shared/export'
import { cliArgs } from '../cliFlags'

/** The most worker threads `--workers` takes. */
export const MAX_EXPORT_WORKERS = 8

/** The most worker threads `--workers auto` picks: each holds its own band canvas and heap. */
export const AUTO_WORKERS_MAX = 4

/**
 * How many band workers `--workers auto` runs on a machine of `cores` (os.availableParallelism()) whose one-minute
 * load average is `load` (os.loadavg()[0]; 0 where the system has none, as on Windows): one per core nothing else
 * keeps busy, at least one (then the export draws on its own thread) and at most AUTO_WORKERS_MAX.
 */
export function idleWorkers(cores: number, load: number): number {
  const idle = Math.floor(cores - Math.max(0, load) + 0.5)
  return Math.max(1, Math.min(AUTO_WORKERS_MAX, idle))
}

/** What `npm run export` was asked to do. */
export type ExportCommand =
  | { kind: 'help' }
  | {
      kind: 'export'
      boardPath: string
      outPath: string
      options: Partial<ExportOptions>
      /** --frame: the name of the frame to export instead of the whole board. */
      frameName?: string
      /** --progress: print the share done as lines on stderr even when it is no terminal. */
      progress?: boolean
      /**
       * --workers N: draw a large PNG in N worker threads (1: on the main thread); 'auto': as many as the machine has
       * idle cores (idleWorkers). Without it: one per core, at most 4 and one per GB of memory (defaultWorkers).
       */
      workers?: number | 'auto'
    }

/** The usage text of the headless export. */
export const EXPORT_USAGE = `Usage: npm run export -- BOARD.lanvas OUT.png|.jpg|.webp|.svg|.pdf [options]

Exports a board file as an image or PDF without a window, with the app's own drawing code.
  --scale N              output pixels per board unit, ${MIN_SCALE} to ${MAX_SCALE} (default 2)
  --width PX             output width in pixels instead of a scale
  --frame NAME           export only the frame of that name, at its size (no padding)
  --padding N            space around the board's content in board units, scaled with it (default 16)
  --background B         board (default), white or transparent (PNG, WebP, SVG)
  --dark                 the dark theme: dark paper, light ink
  --embed                put the board inside a PNG or SVG, so that opening the image restores it
  --quality Q            JPEG/WebP quality, 0 to 1 (default 0.92)
  --progress             print the share done on stderr, a line a percent (a terminal always sees it)
  --workers N|auto       draw a large PNG in N worker threads, 1 to ${MAX_EXPORT_WORKERS} (1: no workers), or auto: one
                         per idle core (at most ${AUTO_WORKERS_MAX}); default one per core, at most 4 and one per GB
                         of memory (a 100,000-stroke board at 2× stays within 1 GB; see docs/export.md)
  --help                 show this text`

/** Thrown for arguments that make no sense; the message is one line for the user. */
export class ExportUsageError extends Error {
  override name = 'ExportUsageError'
}

const BACKGROUNDS: readonly string[] = ['board', 'white', 'transparent']

/** Parses `npm run export` arguments; throws ExportUsageError with one line for bad input. */
export function parseExportArgs(args: readonly string[]): ExportCommand {
  const files: string[] = []
  const options: Partial<ExportOptions> = {}
  let frameName: string | undefined
  let progress = false
  let workers: number | 'auto' | undefined
  const number = (name: string, text: string, min: number, max: number, integer = false): number => {
    const n = Number(text)
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new ExportUsageError(
        `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}".`,
      )
    return n
  }
  for (const { arg, name, value } of cliArgs(args, (message) => new ExportUsageError(message))) {
    if (name === '--help' || name === '-h') return { kind: 'help' }
    else if (name === '--scale') options.scale = number('--scale', value(), MIN_SCALE, MAX_SCALE)
    else if (name === '--width')
      options.targetWidth = number('--width', value(), 1, FORMATS.png.maxSide, true)
    else if (name === '--padding') options.padding = number('--padding', value(), 0, 2000)
    else if (name === '--quality') options.quality = number('--quality', value(), 0, 1)
    else if (name === '--background') {
      const text = value()
      if (!BACKGROUNDS.includes(text))
        throw new ExportUsageError(`--background must be board, white or transparent, not "${text}".`)
      options.background = text as ExportBackground
    } else if (name === '--frame') {
      frameName = value()
      if (frameName.trim() === '') throw new ExportUsageError('--frame needs the name of a frame.')
    } else if (name === '--dark') options.dark = true
    else if (name === '--embed') options.embedBoard = true
    else if (name === '--progress') progress = true
    else if (name === '--workers') {
      const text = value()
      workers = text === 'auto' ? 'auto' : number('--workers', text, 1, MAX_EXPORT_WORKERS, true)
    } else if (arg.startsWith('-') && arg !== '-')
      throw new ExportUsageError(`Unknown option "${arg}" (try --help).`)
    else files.push(arg)
  }
  if (files.length !== 2)
    throw new ExportUsageError(
      files.length < 2
        ? 'Give a board file and an output file: npm run export -- BOARD.lanvas OUT.png'
        : `Too many file names: ${files.slice(2).join(' ')}.`,
    )
  const [boardPath, outPath] = files as [string, string]
  const format = formatOfFileName(outPath)
  if (!format)
    throw new ExportUsageError(
      `Cannot tell the format from "${outPath}": name the output .png, .jpg, .webp, .svg or .pdf.`,
    )
  options.format = format
  return {
    kind: 'export',
    boardPath: resolve(boardPath),
    outPath: resolve(outPath),
    options,
    ...(frameName === undefined ? {} : { frameName }),
    ...(progress ? { progress } : {}),
    ...(workers === undefined ? {} : { workers }),
  }
}
