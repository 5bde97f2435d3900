import { execFileSync } from 'node:child_process'
import { errorMessage } from '../../src/shared/errors'

/** Two test hosts joined by a veth pair, each in its own network namespace, with multicast routed on it. */
export interface NetnsPair {
  a: { ns: string; address: string }
  b: { ns: string; address: string }
  /** Runs a command inside a namespace, as `ip netns exec NS ...`. */
  exec: (ns: string, command: string[]) => string[]
  remove: () => void
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

/**
 * Makes the pair; throws with a clear message where namespaces cannot be made (no root, no iproute2), so the
 * test that needs them fails instead of passing silently. Traffic never leaves the pair.
 */
export function makeNetnsPair(tag: string): NetnsPair {
  const nsA = `${tag}A`
  const nsB = `${tag}B`
  const vethA = `${tag}a`.slice(0, 15)
  const vethB = `${tag}b`.slice(0, 15)
  const remove = () => {
    for (const ns of [nsA, nsB]) {
      try {
        ip(['netns', 'del', ns])
      } catch {
        // Already gone.
      }
    }
  }
  remove()
  try {
    ip(['netns', 'add', nsA])
    ip(['netns', 'add', nsB])
    ip(['link', 'add', vethA, 'type', 'veth', 'peer', 'name', vethB])
    ip(['link', 'set', vethA, 'netns', nsA])
    ip(['link', 'set', vethB, 'netns', nsB])
    ip(['-n', nsA, 'addr', 'add', '10.77.0.1/24', 'dev', vethA])
    ip(['-n', nsB, 'addr', 'add', '10.77.0.2/24', 'dev', vethB])
    for (const [ns, dev] of [
      [nsA, vethA],
      [nsB, vethB],
    ] as const) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up'])
      ip(['-n', ns, 'link', 'set', dev, 'up'])
      ip(['-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev])
    }
  } catch (err) {
    remove()
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || errorMessage(err)
    throw new Error(
      `Cannot make network namespaces for the LAN discovery test (needs root and iproute2): ${detail}`,
    )
  }
  return {
    a: { ns: nsA, address: '10.77.0.1' },
    b: { ns: nsB, address: '10.77.0.2' },
    exec: (ns, command) => ['ip', 'netns', 'exec', ns, ...command],
    remove,
  }
}
