/**
 * View first (docs/protocol.md, "View first"): before a host streams a large board to a joining page, it sends the
 * finished strokes whose bounds meet the view the page will open at, as their flat records (MessageType.Preview).
 * The page checks them as any data from the network, draws them at once, read-only, and drops them once the board
 * itself has come (its Yjs document then holds the same strokes, or not, when one was erased meanwhile).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { type FlatRecord, isFlatRecord } from '../elements/entry'
import { flatRecordProblem } from '../elements/inkRecord'
import type { Rect } from '../geometry'
import { ELEMENT_ID } from '../validate/boardSchema'
import { MessageType } from './protocol'

/** One stroke of a view preview: its element id and its flat record, as the host's board holds them. */
export interface PreviewElement {
  id: string
  record: FlatRecord
}

/** Farthest a preview view's edge may be from the board's origin (board units), as a cursor's. */
export const MAX_PREVIEW_COORD = 10_000_000
/** Most strokes one preview frame may hold (a frame is within MAX_MESSAGE_BYTES anyway; this bounds the loop). */
export const MAX_PREVIEW_FRAME_ELEMENTS = 100_000

/** A preview frame: MessageType.Preview, the count, then each stroke's id and record. */
export function previewFrame(elements: readonly PreviewElement[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Preview)
  encoding.writeVarUint(encoder, elements.length)
  for (const { id, record } of elements) {
    encoding.writeVarString(encoder, id)
    encoding.writeAny(encoder, record as Parameters<typeof encoding.writeAny>[1])
  }
  return encoding.toUint8Array(encoder)
}

/** Bytes one stroke adds to a preview frame (what the host counts to keep frames within their size). */
export function previewElementBytes(element: PreviewElement): number {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, element.id)
  encoding.writeAny(encoder, element.record as Parameters<typeof encoding.writeAny>[1])
  return encoding.length(encoder)
}

/** A preview frame's body as read off the wire: ids and values not checked yet (previewProblem does). */
export function readPreviewBody(decoder: decoding.Decoder): { id: unknown; record: unknown }[] {
  const count = decoding.readVarUint(decoder)
  if (count > MAX_PREVIEW_FRAME_ELEMENTS) throw new PreviewError(`a view preview of ${count} strokes`)
  const out: { id: unknown; record: unknown }[] = []
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarString(decoder)
    out.push({ id, record: decoding.readAny(decoder) })
  }
  return out
}

/** Thrown for a preview frame that cannot be read. */
export class PreviewError extends Error {}

/** Why the strokes of a preview frame are not what a host may send, or undefined when every one is a flat stroke. */
export function previewProblem(elements: readonly { id: unknown; record: unknown }[]): string | undefined {
  for (const { id, record } of elements) {
    if (typeof id !== 'string' || !ELEMENT_ID.test(id)) return 'a stroke id that is no element id'
    const problem = flatRecordProblem(record)
    if (problem) return `${problem} (stroke ${id})`
  }
  return undefined
}

/** Why a view a client asks a preview of is none (it came from the network), or undefined when it is a view. */
export function previewViewProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'a preview view must be a rectangle'
  const r = v as Record<string, unknown>
  for (const key of ['minX', 'minY', 'maxX', 'maxY']) {
    const n = r[key]
    if (typeof n !== 'number' || !(Math.abs(n) <= MAX_PREVIEW_COORD))
      return `a preview view's ${key} must be a board coordinate`
  }
  if ((r.minX as number) > (r.maxX as number) || (r.minY as number) > (r.maxY as number))
    return 'a preview view must not be turned inside out'
  return undefined
}

/**
 * The page's side of a view preview: the strokes the host sent, in z-order, until the board has come (or the
 * socket went). The scene draws them read-only meanwhile (src/renderer/src/canvas/boardScene.ts).
 */
export class BoardPreview {
  private readonly shown = new Map<string, FlatRecord>()
  private over = false
  private readonly listeners = new Set<() => void>()

  /** `view`: the board area the page opens at, asked of the host in the first hello. */
  constructor(readonly view: () => Rect | undefined) {}

  /** The strokes shown, bottom to top (empty once ended). */
  get elements(): ReadonlyMap<string, FlatRecord> {
    return this.shown
  }

  /** Whether the preview is over: the board came, or the socket it was for went. */
  get ended(): boolean {
    return this.over
  }

  /** Adds strokes the host sent (checked by the engine); ignored once ended. */
  add(elements: readonly PreviewElement[]): void {
    if (this.over || elements.length === 0) return
    for (const { id, record } of elements) if (isFlatRecord(record)) this.shown.set(id, record)
    this.notify()
  }

  /** Ends the preview for good: its strokes are dropped (the board now holds what it holds). */
  end(): void {
    if (this.over) return
    this.over = true
    this.shown.clear()
    this.notify()
  }

  /** Calls back on every change; returns the unsubscribe function. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private notify(): void {
    for (const cb of [...this.listeners]) cb()
  }
}
