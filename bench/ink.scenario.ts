// Issue 9 item 8: ink latency end to end (pointer on page A -> pixels on page B's canvas) with 2 and 10 pages,
// beside a bare `ws` relay + a plain canvas page in the same run, and bytes on the wire per input point.
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { it } from 'vitest'
import { WebSocketServer } from 'ws'
import { launchBrowser } from '../test/support/browser'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { countWire, wireOf } from '../test/support/wire'
import { cpuBetween, descendantsCpu } from './processCpu'
import { benchSize, type Figures, median, ms, percentile, report } from './report'

/**
 * LANVAS_BENCH_BASELINE_OUT=DIR (an older build's out/, e.g. main built in another worktree) measures that build's
 * host and pages too, in the same run: the before of a before/after.
 */
const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT
/**
 * INK_PROFILE=1: the CPU profiles of page A (drawing), page B (watching, with the probe) and page C (watching only)
 * while the stroke is drawn, for every page count, of the build measured now: their top functions by own time printed, the raw profiles in the temp folder.
 */
const PROFILE = process.env.INK_PROFILE === '1'
/** INK_TRACE=1: a Chromium trace of a watching page (page C, else B): its threads' CPU by event, per point. */
const TRACE = process.env.INK_TRACE === '1'
/** Where the profiled hosts write their CPU profiles. */
const HOST_PROFILES = join(tmpdir(), 'lanvas-ink-host-profiles')
/** Input points per measured stroke run (one pointer move per animation frame). */
const POINTS = benchSize(150, 40)
/** Screen px between two input points: each segment inks pixels no earlier one did. */
const STEP = 6
const FRAME_MS = 1000 / 60
/** Bytes "per point while drawing" are counted from this point to pen-up: the stroke's start is counted apart. */
const STEADY_FROM = 5
const VIEW = { width: 1000, height: 700 }

type ProbeWindow = Window & {
  __ink?: { targets: [number, number][]; seen: number[]; stop: boolean }
  __sent?: number[]
}

/** Screen points of the stroke: a zig-zag of rows, so every point is far from the segments drawn before it. */
function strokePoints(count: number): [number, number][] {
  const out: [number, number][] = []
  const perRow = Math.floor(700 / STEP)
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow)
    const col = i % perRow
    out.push([150 + (row % 2 === 0 ? col : perRow - 1 - col) * STEP, 120 + row * 40])
  }
  return out
}

/**
 * Page B's probe: each animation frame it looks for ink at the midpoints of the next 8 segments not yet seen and
 * stamps the ones it finds with the shared clock (timeOrigin + now). `canvases` selects the canvases to read.
 * (Before, one segment never inked at its midpoint held the window, and every later point counted as missed:
 * 27 of 150 in Lanvas, all after the row's end.)
 */
async function startProbe(page: Page, targets: [number, number][], canvases: string): Promise<void> {
  await page.evaluate(
    ({ targets, canvases }) => {
      const w = window as ProbeWindow
      const probe = { targets, seen: targets.map(() => 0), stop: false }
      w.__ink = probe
      const els = [...document.querySelectorAll<HTMLCanvasElement>(canvases)]
      const ctxs = els.map((c) => ({ c, ctx: c.getContext('2d', { willReadFrequently: true }) }))
      let next = 0
      let last = -1
      const tick = () => {
        if (probe.stop) return
        const now = performance.timeOrigin + performance.now()
        // The first few unseen segments: a late one never hides an earlier one.
        for (let i = next; i < Math.min(targets.length, next + 8); i++) {
          if (probe.seen[i]) continue
          const [x, y] = targets[i] as [number, number]
          let inked = false
          for (const { c, ctx } of ctxs) {
            if (!ctx) continue
            const rect = c.getBoundingClientRect()
            const k = c.width / (rect.width || 1)
            const d = ctx.getImageData(
              Math.round((x - rect.left) * k) - 1,
              Math.round((y - rect.top) * k) - 1,
              3,
              3,
            ).data
            // Dark opaque pixels: ink, not paper or grid.
            for (let j = 0; j < d.length; j += 4)
              if ((d[j + 3] as number) > 200 && (d[j] as number) < 90 && (d[j + 1] as number) < 90)
                inked = true
            if (inked) break
          }
          if (inked) {
            probe.seen[i] = now
            if (i > last) last = i
          }
        }
        // A target the ink passed without covering it (the pen's smoothing rounds the corner where a row ends) is
        // given up once ink shows five targets beyond it: it counts as missed and no longer holds the window.
        while (next < targets.length && (probe.seen[next] || next < last - 4)) next++
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    },
    { targets, canvases },
  )
}

/** Page A: stamps each pointer move with the shared clock as the browser made it. */
async function stampPointer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as ProbeWindow
    w.__sent = []
    window.addEventListener(
      'pointermove',
      (e) => {
        if (e.buttons) w.__sent?.push(performance.timeOrigin + e.timeStamp)
      },
      { capture: true },
    )
  })
}

/**
 * Draws the stroke on page A one move per frame and returns per-point latency to page B (ms). `at(i)` runs after
 * point i (the last: before pen-up), for counting bytes while the pen draws.
 */
async function drawAndMeasure(a: Page, b: Page, canvases: string, at?: (i: number) => Promise<void>) {
  const screen = strokePoints(POINTS + 1)
  // Midpoints of segments k-1 -> k: page B shows the same board point there (both views start alike).
  const targets = screen.slice(1).map(([x, y], i) => {
    const [px, py] = screen[i] as [number, number]
    return [(x + px) / 2, (y + py) / 2] as [number, number]
  })
  await stampPointer(a)
  await startProbe(b, targets, canvases)
  const [x0, y0] = screen[0] as [number, number]
  await a.mouse.move(x0, y0)
  const cpuBefore = descendantsCpu()
  await a.mouse.down()
  const start = performance.now()
  for (let i = 1; i < screen.length; i++) {
    const [x, y] = screen[i] as [number, number]
    await a.mouse.move(x, y)
    if (at && i === STEADY_FROM) await at(i)
    const wait = start + i * FRAME_MS - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  await new Promise((r) => setTimeout(r, 500))
  // The CPU of every process of the run (pages, browser, host) from pen-down to the last point's arrival.
  const cpu = cpuBetween(cpuBefore, descendantsCpu())
  console.log(
    `[ink]   ${((performance.now() - start) / 1000).toFixed(2)} s; CPU ms by kind ${JSON.stringify(cpu.byKind)}, pages ${cpu.renderers.join(' ')}`,
  )
  if (at) await at(screen.length - 1)
  await a.mouse.up()
  const sent = await a.evaluate(() => (window as ProbeWindow).__sent ?? [])
  const seen = await b.evaluate(() => {
    const w = window as ProbeWindow
    if (w.__ink) w.__ink.stop = true
    return w.__ink?.seen ?? []
  })
  const latencies: number[] = []
  let missed = 0
  for (let i = 0; i < Math.min(sent.length, seen.length); i++) {
    const at = seen[i] as number
    if (at > 0) latencies.push(Math.max(0, at - (sent[i] as number)))
    else missed++
  }
  return { latencies, missed, points: sent.length, cpu }
}

/** CPU per input point (ms) of the run's pages, Chromium's other processes and the host, as figures. */
function cpuFigures(prefix: string, run: Awaited<ReturnType<typeof drawAndMeasure>>): Figures {
  const per = (ms: number) => ms / Math.max(1, run.points)
  const { byKind, renderers } = run.cpu
  return {
    [`${prefix}PagesCpuMsPerPoint`]: per(byKind.renderer),
    // The busiest page (the drawer's or the probe's) and a watcher's (the median page).
    [`${prefix}BusiestPageCpuMsPerPoint`]: per(renderers[0] ?? 0),
    [`${prefix}MedianPageCpuMsPerPoint`]: per(median(renderers)),
    [`${prefix}ChromiumOtherCpuMsPerPoint`]: per(byKind.browser + byKind.gpu + byKind.utility),
    [`${prefix}HostCpuMsPerPoint`]: per(byKind.host),
  }
}

/** A bare relay: every binary message to every other socket, nothing parsed. */
async function bareRelay(): Promise<{ server: Server; port: number }> {
  const server = createServer((_, res) => {
    res.setHeader('content-type', 'text/html')
    res.end(PLAIN_PAGE)
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws) =>
    ws.on('message', (data, binary) => {
      for (const other of wss.clients)
        if (other !== ws && other.readyState === 1) other.send(data, { binary })
    }),
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  return { server, port: typeof address === 'object' && address ? address.port : 0 }
}

/** The plain canvas page: pointer moves go out as 8 bytes each, received ones are drawn as soon as they arrive. */
const PLAIN_PAGE = `<!doctype html><html><body style="margin:0"><canvas id="c" width="1000" height="700"></canvas><script>
const c = document.getElementById('c'); const ctx = c.getContext('2d');
ctx.lineWidth = 4; ctx.lineCap = 'round'; ctx.strokeStyle = '#1e1e1e';
const ws = new WebSocket('ws://' + location.host); ws.binaryType = 'arraybuffer';
let last = null;
ws.onmessage = (e) => { const [x, y, down] = new Float32Array(e.data);
  if (down && last) { ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(x, y); ctx.stroke(); }
  last = down ? [x, y] : null; };
addEventListener('pointermove', (e) => { if (ws.readyState === 1) ws.send(new Float32Array([e.clientX, e.clientY, e.buttons ? 1 : 0])); });
addEventListener('pointerdown', (e) => { if (ws.readyState === 1) ws.send(new Float32Array([e.clientX, e.clientY, 1])); });
window.ready = new Promise((r) => ws.onopen = r);
</script></body></html>`

/** Figures rounded as `ms` rounds them. */
function roundFigures(figures: Figures): Figures {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? ms(v) : v]))
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** Bytes page A sent and page B received so far, with each frame's WebSocket header; frames B received. */
async function wire(a: Page, b: Page) {
  const [wa, wb] = [await wireOf(a), await wireOf(b)]
  return { sentA: sum(wa.sent), recvB: sum(wb.recv), framesB: wb.recv.length }
}

async function openPages(
  browser: Browser,
  url: string,
  n: number,
  ready: (p: Page) => Promise<void>,
  init?: () => void,
) {
  // Opened side by side: on a loaded machine a page can take seconds to load.
  const open = async (i: number) => {
    const context = await browser.newContext({ viewport: VIEW })
    await context.addInitScript((name) => localStorage.setItem('lanvas.name', name), `Bench ${i}`)
    if (init) await context.addInitScript(init)
    const page = await context.newPage()
    page.setDefaultTimeout(120_000)
    await page.goto(url)
    await ready(page)
    return page
  }
  return Promise.all(Array.from({ length: n }, (_, i) => open(i)))
}

async function closePages(pages: Page[]): Promise<void> {
  for (const p of pages) await p.context().close()
}

/**
 * Starts a CPU profile of `page` (Chrome DevTools Protocol); the function returned stops it, writes the raw profile
 * to `file` (open it in DevTools) and returns its top functions by own time, per function and per call chain.
 */
async function startProfile(page: Page, file: string): Promise<(points: number) => Promise<string>> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  return async (points) => {
    const { profile } = await cdp.send('Profiler.stop')
    await writeFile(file, JSON.stringify(profile))
    const byChain = new Map<string, number>()
    const byFunction = new Map<string, number>()
    const dt = profile.timeDeltas ?? []
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    const parent = new Map<number, number>()
    for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id)
    const name = (id: number | undefined) => {
      const f = id === undefined ? undefined : byId.get(id)?.callFrame
      if (!f) return ''
      const where = f.url ? `${f.url.slice(f.url.lastIndexOf('/') + 1)}:${f.lineNumber}` : ''
      return `${f.functionName || '(anonymous)'}@${where}`
    }
    let total = 0
    for (const [i, id] of (profile.samples ?? []).entries()) {
      const t = (dt[i] ?? 0) / 1000
      total += t
      // The function and its callers, three deep: minified names say little alone.
      const chain = [id, parent.get(id), parent.get(parent.get(id) ?? -1)]
      const key = chain.map(name).filter(Boolean).join(' < ')
      byChain.set(key, (byChain.get(key) ?? 0) + t)
      byFunction.set(name(id), (byFunction.get(name(id)) ?? 0) + t)
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((x, y) => y[1] - x[1])
        .slice(0, n)
        .map(([k, v]) => `${v.toFixed(1).padStart(8)} ${(v / points).toFixed(3).padStart(7)}  ${k}`)
        .join('\n')
    return `profile ${file}: ${total.toFixed(0)} ms sampled over ${points} points (ms, ms per point)\n${top(byFunction, 40)}\nby chain:\n${top(byChain, 25)}`
  }
}

/**
 * Starts a Chromium trace; the function returned stops it and sums the thread time (`tdur`) of `page`'s renderer
 * (found by a user timing mark it makes) by thread and event name: nested events are counted in each.
 */
async function startTrace(browser: Browser, page: Page): Promise<(points: number) => Promise<string>> {
  await browser.startTracing(undefined, {
    categories: [
      'toplevel',
      'blink.user_timing',
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'cc',
      'blink',
      'v8',
    ],
  })
  await page.evaluate(() => performance.mark('lanvas-traced-page'))
  return async (points) => {
    const trace = JSON.parse((await browser.stopTracing()).toString()) as {
      traceEvents: {
        name: string
        ph: string
        pid: number
        tid: number
        tdur?: number
        args?: { name?: string }
      }[]
    }
    const events = trace.traceEvents
    const pid = events.find((e) => e.name === 'lanvas-traced-page')?.pid
    const threads = new Map<number, string>()
    for (const e of events)
      if (e.ph === 'M' && e.name === 'thread_name' && e.pid === pid) threads.set(e.tid, e.args?.name ?? '')
    const by = new Map<string, { ms: number; count: number }>()
    for (const e of events) {
      if (e.pid !== pid || e.ph !== 'X' || !e.tdur) continue
      const key = `${threads.get(e.tid) ?? e.tid} ${e.name}`
      const sum = by.get(key) ?? { ms: 0, count: 0 }
      sum.ms += e.tdur / 1000
      sum.count++
      by.set(key, sum)
    }
    return [...by]
      .sort((x, y) => y[1].ms - x[1].ms)
      .slice(0, 40)
      .map(
        ([k, { ms, count }]) =>
          `${ms.toFixed(1).padStart(8)} ${(ms / points).toFixed(3).padStart(7)} ${(count / points).toFixed(2).padStart(6)}  ${k}`,
      )
      .join('\n')
  }
}

const lanvasReady = async (page: Page) => {
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
}

it('ink latency end to end and bytes per point: Lanvas against a bare relay and a plain canvas', {
  timeout: 900_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-ink-'))
  const browser = await launchBrowser()
  const hosts: HostProcess[] = []
  // A fresh board per run, so no earlier ink is where the probe looks.
  const newHost = async (cli?: string) => {
    const board = join(dir, `ink${hosts.length}.lanvas`)
    // Profiled: the host's CPU profile too, written when it stops (node --cpu-prof).
    const nodeArgs = PROFILE && !cli ? ['--cpu-prof', `--cpu-prof-dir=${HOST_PROFILES}`] : []
    const host = await startHostProcess(['--port', '0', '--board', board], undefined, cli, nodeArgs)
    hosts.push(host)
    return host
  }
  // The build measured now, and (LANVAS_BENCH_BASELINE_OUT) the one before it, each with its own host and pages.
  const builds: { figures: Figures; cli?: string }[] = [{ figures: { loadAverage1m: ms(loadavg()[0] ?? 0) } }]
  if (BASELINE_OUT) builds.push({ figures: {}, cli: join(BASELINE_OUT, 'main', 'cli.js') })
  const figures = (builds[0] as { figures: Figures }).figures
  const relay = await bareRelay()
  try {
    // INK_PAGES=2 (say) runs one page count only, for a quick look; the bench runs both (--quick: 2 and 4 pages,
    // ten Chromium pages alone took most of the quick run's 3 minutes on this machine).
    for (const n of (process.env.INK_PAGES ?? benchSize('2,10', '2')).split(',').map(Number)) {
      // A fresh browser's first pages start slowly (the baseline, measured first, took that alone): n pages are
      // opened and closed once before anything is measured.
      await closePages(
        await openPages(browser, `http://127.0.0.1:${relay.port}/`, n, (p) =>
          p.evaluate(() => (window as unknown as { ready: Promise<void> }).ready),
        ),
      )
      console.log(`[ink] ${n} pages: bare relay`)
      // Baseline: the bare relay and the plain canvas page.
      const plain = await openPages(browser, `http://127.0.0.1:${relay.port}/`, n, (p) =>
        p.evaluate(() => (window as unknown as { ready: Promise<void> }).ready),
      )
      const tracedPlain = TRACE ? await startTrace(browser, plain[2] ?? (plain[1] as Page)) : undefined
      const base = await drawAndMeasure(plain[0] as Page, plain[1] as Page, '#c')
      if (tracedPlain)
        console.log(`[ink] ${n} pages: a plain watcher's threads (trace):\n${await tracedPlain(base.points)}`)
      await closePages(plain)
      const b50 = percentile(base.latencies, 50)
      const b99 = percentile(base.latencies, 99)

      for (const build of builds) {
        // Lanvas: page A draws with the pen, page B (and n - 2 more) watch.
        console.log(`[ink] ${n} pages: Lanvas${build.cli ? ' before' : ''}`)
        const host = await newHost(build.cli)
        const pages = await openPages(browser, host.url, n, lanvasReady)
        const a = pages[0] as Page
        const b = pages[1] as Page
        await a.keyboard.press('p')
        console.log('[ink]   drawing')
        const profiles =
          PROFILE && !build.cli
            ? [
                ['A', await startProfile(a, join(tmpdir(), `lanvas-ink-${n}-A.cpuprofile`))] as const,
                ['B', await startProfile(b, join(tmpdir(), `lanvas-ink-${n}-B.cpuprofile`))] as const,
                // A watcher without the probe: what each of the other pages does.
                ...(pages[2]
                  ? [
                      [
                        'C',
                        await startProfile(pages[2], join(tmpdir(), `lanvas-ink-${n}-C.cpuprofile`)),
                      ] as const,
                    ]
                  : []),
              ]
            : []
        const traced = TRACE && !build.cli ? await startTrace(browser, pages[2] ?? b) : undefined
        const lanvas = await drawAndMeasure(a, b, '[data-testid="board-canvas"] canvas')
        if (traced)
          console.log(`[ink] ${n} pages: a watcher's threads (trace):\n${await traced(lanvas.points)}`)
        for (const [which, stop] of profiles)
          console.log(`[ink] ${n} pages: page ${which}'s own time:\n${await stop(lanvas.points)}`)
        await closePages(pages)

        const p50 = percentile(lanvas.latencies, 50)
        const p99 = percentile(lanvas.latencies, 99)
        Object.assign(build.figures, {
          [`pages${n}LanvasP50Ms`]: ms(p50),
          [`pages${n}LanvasP99Ms`]: ms(p99),
          [`pages${n}BareP50Ms`]: ms(b50),
          [`pages${n}BareP99Ms`]: ms(b99),
          [`pages${n}P99Ratio`]: ms(p99 / b99),
          [`pages${n}P50Ratio`]: ms(p50 / b50),
          [`pages${n}LanvasMissed`]: lanvas.missed,
          [`pages${n}BareMissed`]: base.missed,
          [`pages${n}Points`]: lanvas.points,
          [`pages${n}LanvasMedianMs`]: ms(median(lanvas.latencies)),
          ...roundFigures(cpuFigures(`pages${n}Lanvas`, lanvas)),
          ...roundFigures(cpuFigures(`pages${n}Bare`, base)),
        })
        const lanvasPages = lanvas.cpu.byKind.renderer
        build.figures[`pages${n}PagesCpuRatio`] = ms(lanvasPages / Math.max(1, base.cpu.byKind.renderer))
      }
    }

    // Bytes on the wire per input point, as each page's WebSocket sends and receives them (+ WebSocket headers):
    // what page A sends is what the host receives from the drawer, what page B receives is what it sends a peer.
    for (const build of builds) {
      console.log(`[ink] bytes per point${build.cli ? ' before' : ''}`)
      const host = await newHost(build.cli)
      const [a, b] = await openPages(browser, host.url, 2, lanvasReady, countWire)
      const pa = a as Page
      const pb = b as Page
      await pa.keyboard.press('p')
      await new Promise((r) => setTimeout(r, 1000))
      const w0 = await wire(pa, pb)
      // Counted at point STEADY_FROM and before pen-up: the points in between are "while drawing".
      const marks: Awaited<ReturnType<typeof wire>>[] = []
      const run = await drawAndMeasure(pa, pb, '[data-testid="board-canvas"] canvas', async () => {
        marks.push(await wire(pa, pb))
      })
      const w1 = await wire(pa, pb)
      const [steady, beforeUp] = marks as [Awaited<ReturnType<typeof wire>>, Awaited<ReturnType<typeof wire>>]
      const steadyPoints = run.points - STEADY_FROM
      // The cursor alone: the same moves with no button down.
      const screen = strokePoints(POINTS)
      const start = performance.now()
      for (let i = 0; i < screen.length; i++) {
        const [x, y] = screen[i] as [number, number]
        await pa.mouse.move(x, y + 3)
        const wait = start + (i + 1) * FRAME_MS - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
      await new Promise((r) => setTimeout(r, 500))
      const w2 = await wire(pa, pb)
      await closePages([pa, pb])
      Object.assign(build.figures, {
        drawPoints: run.points,
        drawHostReceivesBytesPerPoint: ms((beforeUp.sentA - steady.sentA) / steadyPoints),
        drawHostSendsPeerBytesPerPoint: ms((beforeUp.recvB - steady.recvB) / steadyPoints),
        drawFramesPerPointToPeer: ms((beforeUp.framesB - steady.framesB) / steadyPoints),
        strokeStartHostReceivesBytes: steady.sentA - w0.sentA,
        strokeStartHostSendsPeerBytes: steady.recvB - w0.recvB,
        penUpHostReceivesBytes: w1.sentA - beforeUp.sentA,
        penUpHostSendsPeerBytes: w1.recvB - beforeUp.recvB,
        wholeStrokeHostReceivesBytesPerPoint: ms((w1.sentA - w0.sentA) / run.points),
        wholeStrokeHostSendsPeerBytesPerPoint: ms((w1.recvB - w0.recvB) / run.points),
        hoverHostReceivesBytesPerMove: ms((w2.sentA - w1.sentA) / screen.length),
        hoverHostSendsPeerBytesPerMove: ms((w2.recvB - w1.recvB) / screen.length),
        hoverFramesPerMoveToPeer: ms((w2.framesB - w1.framesB) / screen.length),
      })
    }
  } finally {
    await browser.close()
    for (const host of hosts) await host.stop()
    relay.server.close()
    await rm(dir, { recursive: true, force: true })
  }
  const before = builds[1]
  report('ink', figures, before ? [{ name: `Lanvas before (${BASELINE_OUT})`, figures: before.figures }] : [])
})
