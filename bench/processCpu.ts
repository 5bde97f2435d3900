// CPU time of the processes a bench started (Chromium's browser, renderers, GPU and utility processes, hosts), read
// from /proc: user + system time, which a loaded machine does not inflate the way it inflates wall time.
import { readdirSync, readFileSync } from 'node:fs'
import { benchSize } from './report'

/** Clock ticks per second of /proc/PID/stat's times (Linux's USER_HZ: 100 on every usual build). */
const TICKS_PER_SECOND = 100

/** What a process is: Chromium's by its --type, a host by its script, or something else. */
export type ProcessKind = 'renderer' | 'gpu' | 'utility' | 'browser' | 'host' | 'other'

/** One process's CPU so far (ms) and what it is. */
export interface ProcessCpu {
  pid: number
  kind: ProcessKind
  cpuMs: number
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function kindOf(cmdline: string): ProcessKind {
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1]
  if (type === 'renderer') return 'renderer'
  if (type === 'gpu-process') return 'gpu'
  if (type) return 'utility'
  if (/chrom/i.test(cmdline)) return 'browser'
  if (/cli\.js/.test(cmdline)) return 'host'
  return 'other'
}

/** Every process below `root` (its children, theirs, ...), with its CPU so far; none off Linux. */
export function descendantsCpu(root = process.pid): ProcessCpu[] {
  let pids: number[]
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
  const parent = new Map<number, number>()
  const cpu = new Map<number, number>()
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`)
    if (!stat) continue
    // After the command's closing parenthesis: state, ppid, ... utime (14th field), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    parent.set(pid, Number(fields[1]))
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND)
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true
    return false
  }
  const out: ProcessCpu[] = []
  for (const [pid, cpuMs] of cpu) {
    if (!below(pid)) continue
    const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ')
    out.push({ pid, kind: kindOf(cmdline), cpuMs })
  }
  return out
}

/** CPU spent by each process between two readings (processes gone by the second are left out), by kind. */
export function cpuBetween(
  before: ProcessCpu[],
  after: ProcessCpu[],
): { byKind: Record<ProcessKind, number>; renderers: number[] } {
  const was = new Map(before.map((p) => [p.pid, p.cpuMs]))
  const byKind: Record<ProcessKind, number> = {
    renderer: 0,
    gpu: 0,
    utility: 0,
    browser: 0,
    host: 0,
    other: 0,
  }
  const renderers: number[] = []
  for (const p of after) {
    const spent = p.cpuMs - (was.get(p.pid) ?? 0)
    byKind[p.kind] += spent
    if (p.kind === 'renderer') renderers.push(spent)
  }
  renderers.sort((a, b) => b - a)
  return { byKind, renderers }
}

/** One process's CPU so far (ms, user + system), or undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`)
  if (!stat) return undefined
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
}

/** The whole machine's CPU ticks so far, busy and in all (/proc/stat's first line); zeros off Linux. */
export function machineTicks(): { busy: number; all: number } {
  const line = read('/proc/stat')?.split('\n')[0] ?? ''
  const n = line.trim().split(/\s+/).slice(1).map(Number)
  const all = n.slice(0, 8).reduce((a, b) => a + b, 0)
  // idle and iowait are the 4th and 5th.
  return { busy: all - (n[3] ?? 0) - (n[4] ?? 0), all }
}

/**
 * How long a process's CPU must stay under 2 % of a core to count as idle (ms). A quick run's small boards settle in
 * well under a second, and its figures only show that each scenario still runs: it waits half as long, so that the
 * whole quick run stays under 3 minutes on a loaded machine.
 */
const IDLE_WINDOW_MS = benchSize(2000, 1000)
/** The least wait from `started` (ms): a host may rest a moment between steps of its start. */
const IDLE_AT_LEAST_MS = benchSize(3000, 1500)

/**
 * Waits until process `pid` has finished what it does on its own: its CPU over the last IDLE_WINDOW_MS under 2 % of
 * a core, at least IDLE_AT_LEAST_MS after `started` (performance.now()) and at most 5 minutes. Returns the wall time
 * from `started` and the CPU it spent since `cpuAtStart` (its processCpuMs then).
 */
export async function processIdle(
  pid: number,
  started: number,
  cpuAtStart: number,
): Promise<{ settleMs: number; settleCpuMs: number }> {
  const window: [number, number][] = []
  while (performance.now() - started < 300_000) {
    const cpu = processCpuMs(pid)
    if (cpu === undefined) break
    const now = performance.now()
    window.push([now, cpu])
    while (window.length > 1 && now - (window[0]?.[0] ?? now) > IDLE_WINDOW_MS) window.shift()
    const [t0, c0] = window[0] ?? [now, cpu]
    if (
      now - started >= IDLE_AT_LEAST_MS &&
      now - t0 >= IDLE_WINDOW_MS * 0.9 &&
      (cpu - c0) / (now - t0) < 0.02
    )
      break
    await new Promise((ok) => setTimeout(ok, 100))
  }
  return { settleMs: performance.now() - started, settleCpuMs: (processCpuMs(pid) ?? 0) - cpuAtStart }
}
