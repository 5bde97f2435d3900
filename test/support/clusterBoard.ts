// A board of four clusters of ink far apart (only a view of the whole board shows them all), a host of it, a page's board
// socket routed through the test (or held in the page) so that its parts wait, and what those tests read of the
// page: the set-up of the e2e tests of a large board that opens (test/e2e/overview.test.ts, fitWhileStreaming.test.ts,
// overviewParts.test.ts).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import type { HostLimits } from '../../src/main/host/limits'
import { type Host, startHost } from '../../src/main/host/server'
import { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { builtFile } from './built'
import { countPixels, pixelsNear } from './canvas'
import { waitUntil } from './waitUntil'

/** Clusters of ink far from each other and from where the page opens. */
export const CLUSTERS = [
  { x: -9000, y: -7000, color: '#e03131' },
  { x: 15000, y: -7000, color: '#1971c2' },
  { x: -9000, y: 11000, color: '#2f9e44' },
  { x: 15000, y: 11000, color: '#1e1e1e' },
] as const

/** Where the board has no ink, inside its extent (between the clusters). */
export const EMPTY = [
  { x: 3000, y: -7000 },
  { x: -9000, y: 2000 },
  { x: 8000, y: 6000 },
] as const

/** How a cluster board is made. */
export interface ClusterBoardOptions {
  /** Strokes a cluster. */
  perCluster: number
  /** Points a stroke (a random walk around the cluster's middle). */
  points: number
  /** The seed of the strokes' random walks. */
  seed: number
  /**
   * False (the default): each cluster whole before the next (the first parts hold the first cluster only); true: a
   * stroke of each in turn (every part reaches the whole board's extent).
   */
  inTurn?: boolean
}

/** A stroke in the first view (so the page gets a preview), then the clusters: most of the board's bytes. */
export function clusterBoardDoc({ perCluster, points, seed, inTurn = false }: ClusterBoardOptions): Y.Doc {
  const board = new Board(new Y.Doc(), 'author')
  board.finishStroke(board.beginStroke({ color: '#1e1e1e', width: 16 }, [300, 300, 0.5, 700, 300, 0.5]))
  let state = seed
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const order = CLUSTERS.flatMap((c, k) =>
    Array.from({ length: perCluster }, (_, i) => ({
      c,
      at: inTurn ? i * CLUSTERS.length + k : k * perCluster + i,
    })),
  ).sort((a, b) => a.at - b.at)
  for (const { c } of order) {
    const flat: number[] = []
    let x = c.x + (rand() - 0.5) * 1200
    let y = c.y + (rand() - 0.5) * 1200
    for (let p = 0; p < points; p++) {
      x += rand() * 16 - 8
      y += rand() * 16 - 8
      flat.push(x, y, 0.3 + rand() * 0.4)
    }
    board.finishStroke(board.beginStroke({ color: c.color, width: 12 }, flat))
  }
  return board.doc
}

/**
 * Routes a page's board socket through the test: frames from the host pass until the first one of `partBytes` or
 * more (a part of the board; the preview and the overview are smaller), which and all after it wait, in order, until
 * `releaseOne` or `releaseAll`.
 */
export async function holdBoardParts(page: Page, partBytes: number) {
  const held: (string | Buffer)[] = []
  let holding = false
  let largestPassed = 0
  let send: ((m: string | Buffer) => void) | undefined
  await page.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer()
    send = (m) => ws.send(m)
    server.onMessage((message) => {
      const size = typeof message === 'string' ? Buffer.byteLength(message) : message.length
      if (size >= partBytes) holding = true
      if (holding) held.push(message)
      else {
        largestPassed = Math.max(largestPassed, size)
        ws.send(message)
      }
    })
    ws.onMessage((message) => server.send(message))
  })
  return {
    held: () => held.length,
    largestPassed: () => largestPassed,
    releaseOne: () => {
      const next = held.shift()
      if (next) send?.(next)
    },
    releaseAll: () => {
      holding = false
      for (const m of held.splice(0)) send?.(m)
    },
  }
}

/**
 * Installed before the app (`page.addInitScript(HOLD_PARTS_IN_PAGE, bytes)`): the board socket's messages from the
 * first of `partBytes` or more on (a part; the preview and the overview are smaller) wait in the page, as `__parts`
 * (PartsInPage) hands them on.
 */
export const HOLD_PARTS_IN_PAGE = (partBytes: number) => {
  const held: (() => void)[] = []
  let holding = false
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      if (!String(url).includes('/sync/')) return
      let app: ((ev: MessageEvent) => void) | null = null
      Object.defineProperty(this, 'onmessage', {
        get: () => app,
        set: (handler: ((ev: MessageEvent) => void) | null) => {
          app = handler
        },
      })
      this.addEventListener('message', (ev) => {
        if ((ev.data as ArrayBuffer).byteLength >= partBytes) holding = true
        if (holding) held.push(() => app?.call(this, ev))
        else app?.call(this, ev)
      })
    }
  }
  const tasks = new MessageChannel()
  let busy = 0
  tasks.port1.onmessage = () => {
    held.shift()?.()
    const until = performance.now() + busy
    while (performance.now() < until) {}
  }
  ;(window as unknown as { __parts: unknown }).__parts = {
    held: () => held.length,
    release: () => {
      holding = false
      for (const send of held.splice(0)) send()
    },
    releaseOne: () => held.shift()?.(),
    releaseAll: (busyMs = 0) => {
      holding = false
      busy = busyMs
      for (let i = 0; i < held.length; i++) tasks.port2.postMessage(null)
    },
  }
}

/** The board's parts held in the page by HOLD_PARTS_IN_PAGE (`window.__parts`). */
export interface PartsInPage {
  held(): number
  /** Every part waiting handed to the app in one task: parts that came while the page was busy. */
  release(): void
  /** The next part handed to the app now. */
  releaseOne(): void
  /**
   * Every part waiting queued as a task of its own, all at once, each holding the page `busyMs` after the app took it
   * (a 100,000-stroke board's part holds it ~0.1 s; the browser paints between them).
   */
  releaseAll(busyMs?: number): void
}

/** Coloured pixels (any layer) within a few screen pixels of a board point. */
export async function inkNear(page: Page, x: number, y: number): Promise<number> {
  return countPixels(await pixelsNear(page, [x, y], 6), (_r, _g, _b, a) => a > 60)
}

/** Two animation frames of the page. */
export const frames = (page: Page) =>
  page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))))

/** The finished layer's pixels (the board's ink, drawn by the scene), as base64 RGBA. */
export function finishedLayer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const canvas = document.querySelector(
      '[data-testid="board-canvas"] canvas.draws-theme',
    ) as HTMLCanvasElement
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    ).data
    let s = ''
    for (let i = 0; i < data.length; i += 0x8000)
      s += String.fromCharCode(...data.subarray(i, Math.min(data.length, i + 0x8000)))
    return btoa(s)
  })
}

/**
 * A host on loopback of a clusters board (clusterBoardDoc), its file written in `dir`, added to `hosts` (the test closes
 * them); once it has drawn its overview, unless it sends none (`limits.sendOverviews` false): a page joining before
 * would get none.
 */
export async function startClusterHost(
  dir: string,
  hosts: Host[],
  board: ClusterBoardOptions,
  limits: Partial<HostLimits>,
): Promise<Host> {
  const path = join(dir, `clusters-${hosts.length}.lanvas`)
  await writeFile(path, encodeBoardFile(clusterBoardDoc(board)))
  const log: string[] = []
  const host = await startHost({
    port: 0,
    boardPath: path,
    rendererDir: builtFile('renderer'),
    limits,
    log: (line) => log.push(line),
  })
  hosts.push(host)
  if (limits.sendOverviews !== false)
    await waitUntil(
      'the host drew the overview',
      () => log.some((l) => / overview \d+×\d+ px/.test(l)),
      60_000,
    )
  return host
}
