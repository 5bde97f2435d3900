// The headless host: `node out/main/cli.js --port 47800 --board ./my.lanvas [--lan ...]` (via `npm run host`).
import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errorMessage } from '../../shared/errors'
import { hostPort } from './access'
import { defaultBoardPath, HOST_USAGE, parseHostArgs, UsageError } from './cliArgs'
import { followSession } from './follow'
import { PortTakenError } from './portHolder'
import { startHost } from './server'
import { sessionPathOf } from './sessionFile'
import { sessionHostedElsewhere } from './sessionMoved'

// The build puts this file in out/main/ and the renderer in out/renderer/.
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url))

async function main(): Promise<void> {
  let command: ReturnType<typeof parseHostArgs>
  try {
    command = parseHostArgs(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`lanvas host: ${error.message}\n`)
    process.exit(2)
  }
  if (command.kind === 'help') {
    process.stdout.write(`${HOST_USAGE}\n`)
    return
  }
  await mkdir(dirname(command.boardPath), { recursive: true })
  const lan = command.lan
  // A session this board was shared in may have moved to a standby while this host was away: follow it then.
  const elsewhere =
    lan && !command.follow
      ? await sessionHostedElsewhere(command.boardPath, (line) => process.stderr.write(`${line}\n`))
      : undefined
  if (elsewhere)
    process.stdout.write(
      `This board's session is hosted at ${hostPort(elsewhere.address, elsewhere.port)} now (it took over while this host was away): following it, and what this computer drew is merged into it.\n`,
    )
  const followLink = command.follow ?? elsewhere?.link
  if (lan && followLink) {
    const follower = await followSession({
      link: followLink,
      boardPath: command.boardPath,
      lanPort: lan.port,
      bind: lan.bind,
      mdns: lan.mdns,
      iface: lan.iface,
      loopbackPort: command.port,
      rendererDir,
      log: (line) => process.stderr.write(`${line}\n`),
      say: (line) => process.stdout.write(`${line}\n`),
    })
    // Before the line that tells a script the host is up: a signal right after it must still save and stop.
    stopOnSignals(() => follower.stop())
    process.stdout.write(`Board file: ${command.boardPath}\n`)
    return
  }
  const host = await startHost({
    port: command.port,
    hostname: command.hostname,
    boardPath: command.boardPath,
    rendererDir,
    log: (line) => process.stderr.write(`${line}\n`),
    browse: lan?.mdns ?? false,
    browseInterface: lan?.iface,
    checkedBoardsDir: join(dirname(defaultBoardPath()), 'checked-boards'),
    overviewsDir: join(dirname(defaultBoardPath()), 'overviews'),
    // bench/join.scenario.ts's LANVAS_BENCH_JOIN_OVERVIEW=none: joiners get no overview (HostLimits.sendOverviews).
    ...(process.env.LANVAS_BENCH_HOST_NO_OVERVIEW === '1' ? { limits: { sendOverviews: false } } : {}),
  })
  // Tests and scripts read the first URL line: it stays the loopback address.
  const lines = [`Lanvas host: ${host.url}`, `Host link (keep private): ${host.url}#owner=${host.ownerKey}`]
  let sessionLine: string | undefined
  if (lan) {
    let shared: Awaited<ReturnType<typeof host.share>>
    try {
      shared = await host.share({
        port: lan.port,
        // A port given by name is the one the firewall and the printed links expect: never another.
        strictPort: lan.port !== undefined && lan.port !== 0,
        bind: lan.bind,
        name: lan.name,
        token: lan.token,
        approval: lan.approval,
        advertise: lan.mdns,
        iface: lan.iface,
      })
    } catch (error) {
      await host.close()
      const hint =
        error instanceof PortTakenError
          ? '; stop it, or choose another with --lan-port (0: any free port).'
          : ''
      throw new Error(`could not share the board on the network: ${errorMessage(error)}${hint}`)
    }
    for (const link of shared.joinLinks) lines.push(`Join link: ${link}`)
    if (shared.joinLinks.length === 0) lines.push('Join link: none (this computer has no network address)')
    const sessionFile = sessionPathOf(resolve(command.boardPath))
    sessionLine = shared.sessionFileProblem
      ? `Session: new. ${shared.sessionFileProblem}`
      : shared.restored
        ? `Session: restored from ${sessionFile} (the same links and people)`
        : `Session: new, kept in ${sessionFile} (sharing this board again restores it)`
    shared.onNewLink((links) => {
      const again = ['The host made a new link; the old links no longer work.']
      for (const link of links) again.push(`Join link: ${link}`)
      process.stdout.write(`${again.join('\n')}\n`)
    })
  }
  lines.push(`Board file: ${command.boardPath}`)
  if (sessionLine) lines.push(sessionLine)
  // Before the lines that tell a script the host is up: a signal right after them must still save and stop.
  stopOnSignals(() => host.close())
  process.stdout.write(`${lines.join('\n')}\n`)
}

/** Saves and stops on SIGINT and SIGTERM. */
function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stderr.write(`${signal}: saving and stopping\n`)
    close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`lanvas host: could not save on exit: ${error.message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: Error) => {
  process.stderr.write(`lanvas host: ${error.message}\n`)
  process.exit(1)
})
