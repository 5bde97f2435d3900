import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** What `npm run host` was asked to do. */
export type HostCommand =
  | { kind: 'help' }
  | { kind: 'run'; port: number; boardPath: string; hostname: string }

/** The usage text of the headless host. */
export const HOST_USAGE = `Usage: npm run host -- [--port PORT] [--board FILE.lanvas]

Runs a Lanvas host without the desktop app and serves the app to browsers on this computer.
  --port PORT    TCP port to listen on (default 47800; 0 picks a free port)
  --board FILE   the board file to open (default: $XDG_DATA_HOME/lanvas/Untitled.lanvas)
  --help         show this text`

/** Thrown for command-line arguments that make no sense; the message is one line for the user. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The default board file: $XDG_DATA_HOME/lanvas/Untitled.lanvas or ~/.local/share/lanvas/Untitled.lanvas. */
export function defaultBoardPath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share')
  return join(dataHome, 'lanvas', 'Untitled.lanvas')
}

/** Parses the host's arguments (`--port 47800`, `--port=0`, `--board FILE`, `--help`). */
export function parseHostArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): HostCommand {
  let port = 47800
  let boardPath: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = args[++i]
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value.`)
      return next
    }
    if (name === '--help' || name === '-h') return { kind: 'help' }
    else if (name === '--port') {
      const text = value()
      const n = Number(text)
      if (!/^\d+$/.test(text) || n > 65535)
        throw new UsageError(`--port must be a number from 0 to 65535, not "${text}".`)
      port = n
    } else if (name === '--board') {
      const text = value()
      if (text.trim() === '') throw new UsageError('--board needs a file name.')
      boardPath = resolve(text)
    } else throw new UsageError(`Unknown argument "${arg}" (try --help).`)
  }
  return { kind: 'run', port, boardPath: boardPath ?? defaultBoardPath(env), hostname: '127.0.0.1' }
}
