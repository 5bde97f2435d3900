/**
 * A stroke's `points` key in either of its forms (docs/board-format.md): a Y.Array of float32 chunks while it is
 * drawn (and in boards written before compact strokes), and one compact byte array once it is finished.
 */
import * as Y from 'yjs'
import { COMPACT_STEP_BITS, decodeCompactPoints, encodeCompactPoints, PRESSURE_STEPS } from '../compactPoints'
import { decodePoints, encodePoints, POINT_STRIDE } from '../points'
import { ElementKind, STROKE_LIMITS } from './types'

/** Strokes' points decoded so far in this process (e2e tests check that zooming reads none: testHandle.ts). */
let decodedCount = 0

/** How many times a stroke's points were decoded, since the page (or process) started. */
export function strokesDecoded(): number {
  return decodedCount
}

/** The points a stroke's `points` value holds as flat [x, y, pressure, ...], or undefined when it is neither form. */
export function readStrokePoints(value: unknown): Float32Array | undefined {
  decodedCount++
  if (value instanceof Uint8Array) {
    try {
      return decodeCompactPoints(value)
    } catch {
      // Readers never trust the document: malformed points leave the stroke undrawn, as any malformed key.
      return undefined
    }
  }
  if (!(value instanceof Y.Array)) return undefined
  const chunks = (value.toArray() as unknown[]).filter((c): c is Uint8Array => c instanceof Uint8Array)
  return decodePoints(chunks)
}

/**
 * Points of a stroke being drawn, put on the compact form's steps (1/16 unit, pressure 1/256): pen-up keeps no
 * more than that anyway, and live points on these steps travel as Ink frames of a few bytes (sync/liveInk.ts).
 */
export function onSteps(flat: ArrayLike<number>): number[] {
  const scale = 2 ** COMPACT_STEP_BITS
  const out: number[] = []
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i] as number
    if (!Number.isFinite(v)) out.push(v)
    else if (i % POINT_STRIDE === 2)
      out.push(Math.round(Math.min(1, Math.max(0, v)) * PRESSURE_STEPS) / PRESSURE_STEPS)
    // `|| 0`: no -0, which has bytes of its own.
    else out.push(Math.round(v * scale) / scale || 0)
  }
  return out
}

/** Whether points can take the compact form: at least one, at most what a stroke holds. */
function compactable(flat: ArrayLike<number>): boolean {
  const n = Math.floor(flat.length / POINT_STRIDE)
  return n >= 1 && n <= STROKE_LIMITS.maxPoints
}

/**
 * The `points` value of a finished stroke: compact; a list of chunks for a stroke without points or with more
 * than a stroke holds (which the host refuses either way, with its own message).
 */
export function finishedPoints(flat: ArrayLike<number>): Uint8Array | Y.Array<Uint8Array> {
  if (compactable(flat)) return encodeCompactPoints(flat)
  const list = new Y.Array<Uint8Array>()
  if (flat.length >= POINT_STRIDE)
    list.push([encodePoints(Array.from(flat).slice(0, flat.length - (flat.length % POINT_STRIDE)))])
  return list
}

/**
 * Replaces a stroke's chunks by their compact form (inside a transaction); the chunks' Yjs items are deleted with
 * the list, so Yjs collects their content. Returns whether it did: a stroke without chunks is left as it is.
 */
export function compactStroke(el: Y.Map<unknown>): boolean {
  const value = el.get('points')
  if (!(value instanceof Y.Array)) return false
  const flat = readStrokePoints(value)
  if (!flat || !compactable(flat)) return false
  el.set('points', encodeCompactPoints(flat))
  return true
}

/**
 * Compacts every finished stroke of a board that still holds chunks (boards of schema 1 and 2), in one
 * transaction with `origin`; returns how many. Strokes still being drawn (`done` not true) keep their chunks.
 */
export function compactFinishedStrokes(doc: Y.Doc, origin: unknown, schema: number): number {
  const elements = doc.getMap<Y.Map<unknown>>('elements')
  const todo: Y.Map<unknown>[] = []
  for (const el of elements.values())
    if (
      el instanceof Y.Map &&
      el.get('kind') === ElementKind.Stroke &&
      el.get('done') === true &&
      el.get('points') instanceof Y.Array
    )
      todo.push(el)
  if (todo.length === 0) return 0
  let n = 0
  doc.transact(() => {
    for (const el of todo) if (compactStroke(el)) n++
    if (n > 0) doc.getMap('meta').set('schema', schema)
  }, origin)
  return n
}
