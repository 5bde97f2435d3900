// A board of four clusters of ink far apart (only a view of the whole board shows them all) and a page's board
// socket routed through the test so that its parts wait: the set-up of the e2e tests of a large board that opens
// (test/e2e/overview.test.ts, fitWhileStreaming.test.ts).
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'

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
