// Where the time of a Chromium CPU profile went, and in its longest frames (bench/zoom.scenario.ts writes both
// files with LANVAS_BENCH_ZOOM_PROFILE). Usage: node bench/profileFrames.mjs file.cpuprofile [stretches=5] [minMs=16.7]
// (FRAMES=n: how many of the longest frames to break down).
import { readFileSync } from 'node:fs'

const [file, nArg, minArg] = process.argv.slice(2)
const p = JSON.parse(readFileSync(file, 'utf8'))
const N = Number(nArg ?? 5),
  MIN = Number(minArg ?? 16.7)
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const name = (n) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`
let t = p.startTime
const times = p.samples.map((_, i) => (t += p.timeDeltas[i]))
// stretches of non-idle samples, idle gaps under 1.5 ms ignored
const stretches = []
let cur = null
for (let i = 0; i < p.samples.length; i++) {
  const idle = byId.get(p.samples[i]).callFrame.functionName === '(idle)'
  if (!idle) {
    if (cur && times[i] - cur.lastT < 1500) {
      cur.end = i
      cur.lastT = times[i]
    } else {
      cur = { start: i, end: i, lastT: times[i] }
      stretches.push(cur)
    }
  }
}
for (const s of stretches) s.ms = (times[s.end] - times[s.start]) / 1000
const total = stretches.reduce((a, s) => a + s.ms, 0)
const over = stretches.filter((s) => s.ms > MIN)
console.log(
  `${file}: ${((times.at(-1) - p.startTime) / 1e6).toFixed(1)} s, busy ${(total / 1000).toFixed(1)} s, ${stretches.length} stretches, ${over.length} over ${MIN} ms (${(over.reduce((a, s) => a + s.ms, 0) / 1000).toFixed(1)} s)`,
)
function agg(list, label) {
  const self = new Map(),
    incl = new Map()
  let count = 0
  for (const s of list)
    for (let i = s.start; i <= s.end; i++) {
      const dt = (p.timeDeltas[i + 1] ?? 1000) / 1000
      count += dt
      let id = p.samples[i]
      const k = name(byId.get(id))
      self.set(k, (self.get(k) ?? 0) + dt)
      const seen = new Set()
      while (id !== undefined) {
        const kk = name(byId.get(id))
        if (!seen.has(kk)) {
          seen.add(kk)
          incl.set(kk, (incl.get(kk) ?? 0) + dt)
        }
        id = parent.get(id)
      }
    }
  const top = (m, k) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([n, v]) => `   ${v.toFixed(0).padStart(7)} ms ${n}`)
      .join('\n')
  console.log(`-- ${label}: ${count.toFixed(0)} ms\n self:\n${top(self, 14)}\n inclusive:\n${top(incl, 26)}`)
}
agg(over, 'all stretches over the frame')
for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, N))
  agg([s], `stretch at ${((times[s.start] - p.startTime) / 1e6).toFixed(2)} s, ${s.ms.toFixed(0)} ms`)

// The longest frames (from <name>.frames.json beside the profile): what the main thread did during each.
import { existsSync } from 'node:fs'

const framesFile = file.replace(/\.cpuprofile$/, '.frames.json')
if (existsSync(framesFile)) {
  const { mark, frameEnds } = JSON.parse(readFileSync(framesFile, 'utf8'))
  const mi = p.samples.findIndex((s) => byId.get(s).callFrame.functionName === 'lanvasProfileMark')
  const offset = times[mi] / 1000 - mark // profile ms = page ms + offset
  const deltas = frameEnds.slice(1).map((e, i) => ({ start: frameEnds[i], end: e, ms: e - frameEnds[i] }))
  const sorted = [...deltas].sort((a, b) => b.ms - a.ms)
  console.log(
    `frames: ${deltas.length}, worst: ${sorted
      .slice(0, 10)
      .map((d) => `${d.ms.toFixed(0)}@${(d.start / 1000).toFixed(1)}s`)
      .join(' ')}`,
  )
  for (const d of sorted.slice(0, Number(process.env.FRAMES ?? 3))) {
    const s0 = (d.start + offset) * 1000,
      s1 = (d.end + offset) * 1000
    let a = Math.max(
        0,
        times.findIndex((t) => t >= s0),
      ),
      b = times.findIndex((t) => t > s1)
    if (b < 0) b = times.length
    if (b <= a) {
      console.log(`-- frame of ${d.ms.toFixed(0)} ms: outside the profile`)
      continue
    }
    agg([{ start: a, end: b - 1 }], `frame of ${d.ms.toFixed(0)} ms at page ${(d.start / 1000).toFixed(2)} s`)
  }
}
