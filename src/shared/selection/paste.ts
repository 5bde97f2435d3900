import { fromBase64 } from 'lib0/buffer'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { BOARD_SCHEMA_VERSION, type Board, newElementId } from '../board'
import type { ElementEntry } from '../elements/entry'
import { readAsset, readElement } from '../elements/read'
import { finishedPoints } from '../elements/strokePoints'
import { elementRect } from '../elements/transform'
import { ElementKind } from '../elements/types'
import { type Rect, unionRects } from '../geometry'
import { ClipboardError, type ClipboardPayload, type CopiedElement, copyPayload } from './clipboard'

/** Where pasted copies go: centred on a board point, or moved by an offset from where they were copied. */
export type PastePlace = { at: { x: number; y: number } } | { offset: { dx: number; dy: number } }

/** How far a duplicate (Ctrl/Cmd+D) lands from its original, board units: visibly apart, still close. */
export const DUPLICATE_OFFSET = 10

/** The keys of a new element map for a copied element, with fresh Yjs types (a type belongs to one document). */
function fields(
  copy: CopiedElement,
  ids: Map<string, string>,
  groups: Map<string, string>,
  dx: number,
  dy: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...copy.attrs }
  out.x = (copy.attrs.x ?? 0) + dx
  out.y = (copy.attrs.y ?? 0) + dy
  if (copy.attrs.groupId) out.groupId = groups.get(copy.attrs.groupId)
  // Bindings hold only between elements copied together; an arrow copied without its shape is free.
  for (const end of ['startBinding', 'endBinding'] as const) {
    const target = copy.attrs[end]
    if (target) out[end] = ids.get(target)
  }
  if (typeof copy.attrs.text === 'string') {
    const text = new Y.Text()
    text.insert(0, copy.attrs.text)
    out.text = text
  }
  if (copy.kind === ElementKind.Stroke) {
    out.points = finishedPoints(copy.points ?? [])
    out.done = true
  }
  if (copy.kind === ElementKind.Image) out.assetId = copy.assetId
  return out
}

function elementMap(kind: string, author: string, keys: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set('kind', kind)
  map.set('author', author)
  for (const [key, value] of Object.entries(keys))
    if (value !== undefined && value !== null) map.set(key, value)
  return map
}

/** A pasted element as the board stores it: a finished stroke as one flat record, anything else as a map. */
function pastedEntry(kind: string, author: string, keys: Record<string, unknown>): ElementEntry {
  if (kind !== ElementKind.Stroke || !(keys.points instanceof Uint8Array))
    return elementMap(kind, author, keys)
  const out: Record<string, unknown> = { kind, author }
  for (const [key, value] of Object.entries(keys))
    if (value !== undefined && value !== null && key !== 'done') out[key] = value
  return out
}

/** Board bounds of the copied elements where they were, read exactly as a board would read them. */
function copiedBounds(payload: ClipboardPayload): Rect | undefined {
  const scratch = new Y.Doc()
  const elements = scratch.getMap<Y.Map<unknown>>('elements')
  const rects: Rect[] = []
  payload.elements.forEach((copy, i) => {
    const map = elementMap(copy.kind, '', fields(copy, new Map(), new Map(), 0, 0))
    const key = String(i)
    elements.set(key, map)
    const el = readElement(key, map)
    if (!el) throw new ClipboardError(`The copied element ${i + 1} is damaged and cannot be pasted.`)
    rects.push(elementRect(el))
  })
  scratch.destroy()
  return unionRects(rects)
}

/**
 * Inserts copies of a payload's elements on top of the board, as one undo step: each gets a new id, copied groups
 * become new groups, bindings between copied elements point at the copies, and images missing from this board get
 * their bytes from the payload. Copies are never locked. Returns the new ids, bottom to top. Throws ClipboardError,
 * changing nothing, when an image's bytes are neither in the payload nor on the board.
 */
export function pasteElements(board: Board, payload: ClipboardPayload, place: PastePlace): string[] {
  if (payload.elements.length === 0) return []
  const carried = new Map(payload.assets.map((a) => [a.id, a]))
  for (const copy of payload.elements) {
    if (copy.kind !== ElementKind.Image || !copy.assetId) continue
    if (!carried.has(copy.assetId) && !readAsset(copy.assetId, board.assets.get(copy.assetId)))
      throw new ClipboardError('An image of these copied elements came without its picture; copy it again.')
  }
  let dx = 0
  let dy = 0
  if ('offset' in place) {
    dx = place.offset.dx
    dy = place.offset.dy
  } else {
    const b = copiedBounds(payload)
    if (b) {
      dx = place.at.x - (b.minX + b.maxX) / 2
      dy = place.at.y - (b.minY + b.maxY) / 2
    }
  }
  const ids = new Map(payload.elements.map((c) => [c.id, newElementId()]))
  const groups = new Map<string, string>()
  for (const c of payload.elements)
    if (c.attrs.groupId && !groups.has(c.attrs.groupId)) groups.set(c.attrs.groupId, newElementId())
  const keys = payload.elements.map((copy) => fields(copy, ids, groups, dx, dy))
  const entries = payload.elements.map(
    (copy, i) => [ids.get(copy.id) as string, pastedEntry(copy.kind, board.author, keys[i] ?? {})] as const,
  )
  const bytes = editBytes(entries, keys, payload, carried)
  if (bytes > MAX_PASTE_BYTES)
    throw new ClipboardError(
      `These ${payload.elements.length.toLocaleString('en')} elements are too much to paste at once ` +
        `(${mb(bytes)} MB; at most ${mb(MAX_PASTE_BYTES)} MB): copy and paste them in parts.`,
    )
  const added: string[] = []
  board.beginAction()
  board.transact(() => {
    if (board.meta.get('schema') !== BOARD_SCHEMA_VERSION) board.meta.set('schema', BOARD_SCHEMA_VERSION)
    for (const copy of payload.elements) {
      if (copy.kind !== ElementKind.Image || !copy.assetId) continue
      const asset = carried.get(copy.assetId)
      if (!asset || readAsset(asset.id, board.assets.get(asset.id))) continue
      const map = new Y.Map<unknown>()
      map.set('mime', asset.mime)
      map.set('bytes', fromBase64(asset.data))
      map.set('width', asset.width)
      map.set('height', asset.height)
      board.assets.set(asset.id, map)
    }
    for (const [id, entry] of entries) {
      board.elements.set(id, entry)
      added.push(id)
    }
    board.order.push(added)
  })
  return added
}

/**
 * Most bytes one paste or duplicate may send. An edit over one message is sent in parts (shared/sync/splitUpdate.ts),
 * all at once: the host takes a burst of 2 × MAX_MESSAGE_BYTES (32 MiB) from one client before it closes the socket
 * as too fast, so a larger paste would never reach anyone. Refused up front instead, with the reason.
 */
export const MAX_PASTE_BYTES = 24 * 1024 * 1024

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1)

/** About how many bytes the Yjs update of a paste takes: each entry as stored, its order entry, new images. */
function editBytes(
  entries: readonly (readonly [string, ElementEntry])[],
  keys: readonly Record<string, unknown>[],
  payload: ClipboardPayload,
  carried: Map<string, ClipboardPayload['assets'][number]>,
): number {
  let bytes = 0
  entries.forEach(([id, entry], i) => {
    bytes += 2 * id.length + 16
    if (entry instanceof Y.Map) {
      for (const [key, value] of Object.entries(keys[i] ?? {})) bytes += key.length + 8 + valueBytes(value)
    } else {
      // A flat record is one value, written as Yjs writes it.
      const encoder = encoding.createEncoder()
      encoding.writeAny(encoder, entry as { [key: string]: encoding.AnyEncodable })
      bytes += encoding.length(encoder)
    }
  })
  for (const copy of payload.elements)
    if (copy.kind === ElementKind.Image && copy.assetId)
      bytes += (carried.get(copy.assetId)?.data.length ?? 0) * 0.75
  return bytes
}

function valueBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength
  if (typeof value === 'string') return value.length * 3
  if (value instanceof Y.Text) return value.length * 3 + 16
  if (Array.isArray(value)) return value.length * 9
  return 9
}

/** Ctrl/Cmd+D: copies of the elements, a little down and to the right, on top, as one undo step. */
export function duplicateSelection(board: Board, ids: Iterable<string>): string[] {
  const payload = copyPayload(board, ids, false)
  payload.elements = payload.elements.filter((c) => board.readElement(c.id)?.locked !== true)
  return pasteElements(board, payload, { offset: { dx: DUPLICATE_OFFSET, dy: DUPLICATE_OFFSET } })
}
