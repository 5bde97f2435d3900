// `npm run discover -- [--timeout S] [--json] [--interface ADDR]`: lists the Lanvas sessions on the network.
import { parseArgs } from 'node:util'
import { errorMessage } from '../../shared/errors'
import { browseSessions, type DiscoveredSession, participantCount } from './discovery'

const USAGE = 'usage: npm run discover -- [--timeout SECONDS] [--json] [--interface ADDRESS]'

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`)
  process.exit(2)
}

function describe(s: DiscoveredSession & { participants?: number }): string {
  const where =
    s.addresses.length > 0 ? s.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(', ') : s.from
  const knock = s.approval ? ', asks for approval' : ''
  const people = s.participants === undefined ? '' : `, ${s.participants} in`
  return `${s.name} — board "${s.boardName}" on ${s.hostName} (${where} port ${s.port}, session ${s.sessionId}${knock}${people})`
}

function main(): void {
  let values: { timeout?: string; json?: boolean; interface?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        interface: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    fail(errorMessage(err))
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  const seconds = values.timeout === undefined ? 3 : Number(values.timeout)
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    fail(`--timeout must be a number of seconds (got ${values.timeout})`)

  const browser = browseSessions(() => {}, values.interface)
  setTimeout(async () => {
    const found = browser.sessions()
    browser.stop()
    const sessions = await Promise.all(
      found.map(async (s) => ({ ...s, participants: await participantCount(s) })),
    )
    if (values.json) console.log(JSON.stringify(sessions, null, 2))
    else if (sessions.length === 0) console.log('No Lanvas sessions found.')
    else for (const s of sessions) console.log(describe(s))
  }, seconds * 1000)
}

main()
