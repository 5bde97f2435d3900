import { readdir, readFile, readlink } from 'node:fs/promises'

/** Thrown when a port asked for by name is taken: says so, and by which process where the system tells. */
export class PortTakenError extends Error {
  override name = 'PortTakenError'
  constructor(
    readonly port: number,
    readonly holder?: PortHolder,
  ) {
    super(
      holder
        ? `port ${port} is already in use by process ${holder.pid} (${holder.command})`
        : `port ${port} is already in use by another program`,
    )
  }
}

/** A process listening on a TCP port. */
export interface PortHolder {
  pid: number
  /** Its command line, as `ps` would show it (cut to a readable length). */
  command: string
}

// A TCP socket in the LISTEN state, in /proc/net/tcp's `st` column.
const LISTEN = '0A'
const MAX_COMMAND = 120

/**
 * The socket inodes listening on `port` in a /proc/net/tcp or tcp6 table (columns: sl, local address as
 * HEX_IP:HEX_PORT, remote address, state, queues, timers, retransmits, uid, timeout, inode).
 */
export function listeningInodes(table: string, port: number): string[] {
  const inodes: string[] = []
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const local = fields[1]
    if (!local || fields[3] !== LISTEN) continue
    if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue
    const inode = fields[9]
    if (inode && inode !== '0') inodes.push(inode)
  }
  return inodes
}

/**
 * Which process listens on a TCP port, read from /proc on Linux (the socket's inode in /proc/net/tcp{,6}, then the
 * process with that socket among its open files); undefined elsewhere, or when it is another user's process that
 * this one may not look at.
 */
export async function findPortHolder(
  port: number,
  platform = process.platform,
): Promise<PortHolder | undefined> {
  if (platform !== 'linux') return undefined
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')),
  )
  const sockets = new Set(tables.flatMap((t) => listeningInodes(t, port)).map((inode) => `socket:[${inode}]`))
  if (sockets.size === 0) return undefined
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d))
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
      if (sockets.has(target)) return { pid: Number(pid), command: await commandOf(pid) }
    }
  }
  return undefined
}

async function commandOf(pid: string): Promise<string> {
  const line = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
    .split('\0')
    .filter((part) => part !== '')
    .join(' ')
    // Another program's arguments go to this terminal: no control characters.
    .replace(/\p{Cc}/gu, ' ')
  const command = line || (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() || 'unknown'
  return command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND - 1)}…` : command
}
