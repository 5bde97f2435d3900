import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol'
import { builtFile } from '../support/built'
import { makeNetnsPair, type NetnsPair } from '../support/netns'
import { waitUntil } from '../support/waitUntil'

// Two real network hosts (namespaces joined by a veth pair): a host shares a board in one, `npm run discover`
// runs in the other. mDNS traffic stays inside the pair.
const CLI = builtFile('main/cli.js')
const DISCOVER = builtFile('main/discover.js')
const MDNS_ANSWER = fileURLToPath(new URL('../support/mdnsAnswer.mjs', import.meta.url))
const MDNS_ADVERTISE = fileURLToPath(new URL('../support/mdnsAdvertise.mjs', import.meta.url))
const run = promisify(execFile)

let pair: NetnsPair
let dir: string

interface Listed {
  sessionId: string
  name: string
  boardName: string
  hostName: string
  approval: boolean
  protocol: number
  port: number
  addresses: string[]
  participants?: number
}

async function discover(seconds: number, iface?: string): Promise<Listed[]> {
  const [cmd, ...args] = pair.exec(pair.b.ns, [
    process.execPath,
    DISCOVER,
    '--timeout',
    String(seconds),
    '--json',
    ...(iface ? ['--interface', iface] : []),
  ])
  const { stdout } = await run(cmd as string, args)
  return JSON.parse(stdout) as Listed[]
}

/** Starts the headless host in namespace A with `args`; resolves with its output so far and a stop. */
function startHostInA(args: string[]): { output: () => string; stop: () => Promise<void> } {
  const [cmd, ...rest] = pair.exec(pair.a.ns, [process.execPath, CLI, ...args])
  const host = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  host.stdout.on('data', (c: Buffer) => {
    output += c.toString()
  })
  host.stderr.on('data', (c: Buffer) => {
    output += c.toString()
  })
  const exited = new Promise<void>((ok) => host.on('exit', () => ok()))
  return {
    output: () => output,
    stop: async () => {
      host.kill('SIGTERM')
      await exited
    },
  }
}

beforeAll(async () => {
  pair = makeNetnsPair(`lv${process.pid % 100000}`)
  dir = await mkdtemp(join(tmpdir(), 'lanvas-lan-'))
})

afterAll(async () => {
  pair?.remove()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('finding a session on the LAN', () => {
  it('lists a host in another network namespace with its fields, then not after it stops', async () => {
    const [cmd, ...args] = pair.exec(pair.a.ns, [
      process.execPath,
      CLI,
      '--port',
      '0',
      '--lan',
      '--lan-port',
      '0',
      '--name',
      'Physics lab',
      '--board',
      join(dir, 'Lab notes.lanvas'),
    ])
    const host = spawn(cmd as string, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    host.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    host.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    const exited = new Promise<void>((ok) => host.on('exit', () => ok()))
    try {
      const joinLink = await waitUntil(
        'the host prints its join link',
        () => /Join link: (\S+)/.exec(output)?.[1],
      )
      const lanPort = Number(new URL(joinLink).port)
      expect(joinLink).toContain('10.77.0.1')

      const found = await waitUntil('discover lists the session', async () => {
        const sessions = await discover(3)
        return sessions.find((s) => s.name === 'Physics lab')
      })
      expect(found).toMatchObject({
        name: 'Physics lab',
        boardName: 'Lab notes',
        protocol: PROTOCOL_VERSION,
        port: lanPort,
        approval: true,
      })
      expect(found.hostName.length).toBeGreaterThan(0)
      expect(found.sessionId).toMatch(/^[0-9a-f]{16}$/)
      expect(found.addresses).toContain('10.77.0.1')
      // Asked of the host itself over the veth pair: nobody has joined yet.
      expect(found.participants).toBe(0)
      // The token is a secret: nothing discovery shows contains it.
      const token = new URL(joinLink).hash.replace('#join=', '')
      expect(JSON.stringify(found)).not.toContain(token)
    } finally {
      host.kill('SIGTERM')
      await exited
    }
    await waitUntil('discover no longer lists the stopped session', async () => {
      const sessions = await discover(3)
      return !sessions.some((s) => s.name === 'Physics lab')
    })
  })
})

describe('sharing on one network interface (--interface)', () => {
  it('is found by a browser in the other namespace that browses on its own interface', async () => {
    const host = startHostInA([
      '--port',
      '0',
      '--lan',
      '--lan-port',
      '0',
      '--interface',
      pair.a.address,
      '--name',
      'Chemistry lab',
      '--board',
      join(dir, 'Chemistry.lanvas'),
    ])
    try {
      await waitUntil('the host prints its join link', () => /Join link: (\S+)/.exec(host.output())?.[1])
      // A socket bound to the unicast address never receives multicast: the browser would find nothing.
      const found = await waitUntil('discover --interface lists the session', async () => {
        const sessions = await discover(3, pair.b.address)
        return sessions.find((s) => s.name === 'Chemistry lab')
      })
      expect(found.addresses).toContain(pair.a.address)
    } finally {
      await host.stop()
    }
  })

  it('answers the queries of a browser in the other namespace, not only its own announcements', async () => {
    const host = startHostInA([
      '--port',
      '0',
      '--lan',
      '--lan-port',
      '0',
      '--interface',
      pair.a.address,
      '--name',
      'Biology lab',
      '--board',
      join(dir, 'Biology.lanvas'),
    ])
    try {
      await waitUntil('the host prints its join link', () => /Join link: (\S+)/.exec(host.output())?.[1])
      const [cmd, ...args] = pair.exec(pair.b.ns, [process.execPath, MDNS_ANSWER, '8'])
      const { stdout } = await run(cmd as string, args).catch((err: { stdout?: string }) => {
        throw new Error(
          `no answer to an mDNS query from the host bound to ${pair.a.address} (${err.stdout ?? ''})`,
        )
      })
      expect(stdout).toContain('Biology lab')
    } finally {
      await host.stop()
    }
  })
})

describe('what anyone on the network announces', () => {
  it('is listed once per session, with bidi overrides, zero-width and control characters taken out of names', async () => {
    const txt = {
      v: '1',
      sid: 'feedfacecafebeef',
      // Right-to-left override and isolate, zero-width space and joiner, a BOM, a bell, a decomposed é.
      name: 'Pay\u202Eroll\u202C \u2067review\u2069\u200B\u200D\uFEFF\u0007 cafe\u0301',
      board: '\u202Egnp.exe',
      host: 'mallory\u200F',
      approval: '1',
    }
    // The same session under two instance names: one entry.
    const services = [
      { instance: 'Payroll review (feedfa)', port: 47999, txt },
      { instance: 'Payroll review copy', port: 47999, txt },
    ]
    const [cmd, ...args] = pair.exec(pair.a.ns, [process.execPath, MDNS_ADVERTISE, JSON.stringify(services)])
    const announcer = spawn(cmd as string, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<void>((ok) => announcer.on('exit', () => ok()))
    try {
      const listed = await waitUntil('discover lists the announced session', async () => {
        const sessions = await discover(3)
        const mine = sessions.filter((s) => s.sessionId === 'feedfacecafebeef')
        return mine.length > 0 ? mine : undefined
      })
      expect(listed).toHaveLength(1)
      expect(listed[0]).toMatchObject({
        name: 'Payroll review caf\u00e9',
        boardName: 'gnp.exe',
        hostName: 'mallory',
        port: 47999,
      })
    } finally {
      announcer.kill('SIGTERM')
      await exited
    }
  })
})
