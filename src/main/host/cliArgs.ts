import { isIP } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { cliArgs } from './cliFlags'
import { tokenWeakness } from './tokenStrength'

/** How `--lan` shares the board (see ShareOptions). */
export interface LanCommand {
  port?: number
  bind?: string
  name?: string
  token?: string
  approval: boolean
  /** Advertise the session and browse for others by mDNS. */
  mdns: boolean
  iface?: string
}

/** What `npm run host` was asked to do. */
export type HostCommand =
  | { kind: 'help' }
  | {
      kind: 'run'
      port: number
      boardPath: string
      hostname: string
      lan?: LanCommand
      /** Follow this session as a standby (its join link) instead of hosting a board of our own. */
      follow?: string
    }

/** The usage text of the headless host. */
export const HOST_USAGE = `Usage: npm run host -- [--port PORT] [--board FILE.lanvas] [--lan [LAN OPTIONS]]

Runs a Lanvas host without the desktop app and serves the app to browsers on this computer.
  --port PORT        TCP port on 127.0.0.1 (default 47800; 0 picks a free port)
  --board FILE       the board file to open (default: $XDG_DATA_HOME/lanvas/Untitled.lanvas)
  --lan              also share the board on the network and print its join links
    --lan-port N     port for the network (default 47800, a free one when taken; 0 any)
    --bind ADDR      address to listen on for the network (default all interfaces)
    --name NAME      the session's name (default "<host name>'s board")
    --token TOKEN    the join token (default a fresh random one; 22-128 random A-Z a-z 0-9 - _)
    --no-approval    people without the link join as editors instead of knocking
    --no-mdns        do not advertise the session nor look for others (join by link or address only)
    --interface ADDR the address of the network interface to advertise on
  --follow LINK      follow a session by its join link as a standby: keep its board in --board (default
                     $XDG_DATA_HOME/lanvas/Standby.lanvas) and host it if its host leaves (takes --lan-port,
                     --bind, --no-mdns and --interface for then)
  --help             show this text`

const LAN_FLAGS = ['--lan-port', '--bind', '--name', '--token', '--no-approval', '--no-mdns', '--interface']

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
  let lan = false
  let follow: string | undefined
  const lanOptions: LanCommand = { approval: true, mdns: true }
  const seen = new Set<string>()
  const portValue = (flag: string, text: string): number => {
    const n = Number(text)
    if (!/^\d+$/.test(text) || n > 65535)
      throw new UsageError(`${flag} must be a number from 0 to 65535, not "${text}".`)
    return n
  }
  const address = (flag: string, text: string): string => {
    if (isIP(text) === 0) throw new UsageError(`${flag} must be an IPv4 or IPv6 address, not "${text}".`)
    return text
  }
  for (const { arg, name, inline, value } of cliArgs(args, (message) => new UsageError(message))) {
    seen.add(name)
    if (inline !== undefined && ['--lan', '--no-approval', '--no-mdns', '--help'].includes(name))
      throw new UsageError(`${name} takes no value.`)
    if (name === '--help' || name === '-h') return { kind: 'help' }
    else if (name === '--port') port = portValue(name, value())
    else if (name === '--lan') lan = true
    else if (name === '--follow') {
      const text = value().trim()
      if (!/#join=/.test(text))
        throw new UsageError('--follow needs the session’s join link (http://ADDR:PORT/#join=TOKEN).')
      follow = text
    } else if (name === '--lan-port') lanOptions.port = portValue(name, value())
    else if (name === '--bind') lanOptions.bind = address(name, value())
    else if (name === '--interface') lanOptions.iface = address(name, value())
    else if (name === '--no-approval') lanOptions.approval = false
    else if (name === '--no-mdns') lanOptions.mdns = false
    else if (name === '--name') {
      const text = value().trim()
      if (text === '') throw new UsageError('--name needs a session name.')
      lanOptions.name = text
    } else if (name === '--token') {
      const text = value()
      const weakness = tokenWeakness(text)
      if (weakness) throw new UsageError(`--token: ${weakness}`)
      lanOptions.token = text
    } else if (name === '--board') {
      const text = value()
      if (text.trim() === '') throw new UsageError('--board needs a file name.')
      boardPath = resolve(text)
    } else throw new UsageError(`Unknown argument "${arg}" (try --help).`)
  }
  if (follow !== undefined) {
    if (lan) throw new UsageError('--follow hosts only if the session’s host leaves; leave out --lan.')
    const session = ['--name', '--token', '--no-approval'].find((f) => seen.has(f))
    if (session) throw new UsageError(`${session} is the session's own; a standby keeps what its host chose.`)
    return {
      kind: 'run',
      port,
      boardPath: boardPath ?? join(dirname(defaultBoardPath(env)), 'Standby.lanvas'),
      hostname: '127.0.0.1',
      lan: lanOptions,
      follow,
    }
  }
  const stray = LAN_FLAGS.find((f) => seen.has(f))
  if (!lan && stray) throw new UsageError(`${stray} only makes sense with --lan.`)
  return {
    kind: 'run',
    port,
    boardPath: boardPath ?? defaultBoardPath(env),
    hostname: '127.0.0.1',
    ...(lan ? { lan: lanOptions } : {}),
  }
}
