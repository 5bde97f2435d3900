import { fromBase64, toBase64 } from 'lib0/buffer'
import type { Board } from '../board'
import { checkAttrs, type ElementAttrs, ElementError, KIND_KEYS } from '../elements/attrs'
import { assetIdOf, checkImage } from '../elements/image'
import { type BoardElement, ELEMENT_LIMITS, ElementKind, STROKE_LIMITS } from '../elements/types'
import { errorMessage } from '../errors'
import { readSome } from './edits'

// Copy and paste of elements, within a board and between boards (even boards on different hosts): the copy is a
// self-contained JSON text with a marker, carrying its images' bytes, so pasting needs nothing but the text.

/** The `type` of a Lanvas clipboard payload: text carrying it is ours to paste. */
export const CLIPBOARD_TYPE = 'lanvas/elements'
/** Version of the payload's layout. */
export const CLIPBOARD_VERSION = 1
/** A custom clipboard type the payload is also written under (browsers keep it for pastes into the same browser). */
export const CLIPBOARD_MIME = 'application/x-lanvas+json'

/** One copied element: its kind, its attributes as `Board` edits take them, a stroke's points, an image's asset. */
export interface CopiedElement {
  /** The id it had where it was copied: bindings between copied elements are carried over by it. */
  id: string
  kind: ElementKind
  attrs: ElementAttrs
  /** A stroke's flat x, y, pressure values. */
  points?: number[]
  /** An image's asset id (sha-256 of its bytes). */
  assetId?: string
}

/** An image's bytes as carried by a copy. */
export interface CopiedAsset {
  id: string
  mime: string
  width: number
  height: number
  /** The bytes, base64. */
  data: string
}

/** What Ctrl/Cmd+C puts on the clipboard. */
export interface ClipboardPayload {
  type: typeof CLIPBOARD_TYPE
  version: number
  /** Bottom to top. */
  elements: CopiedElement[]
  assets: CopiedAsset[]
}

/** A pasted text that says it is a Lanvas copy but cannot be pasted; the message says why. */
export class ClipboardError extends Error {
  override name = 'ClipboardError'
}

const round = (v: number): number => Math.round(v * 1000) / 1000

/** Plain data of one element, in the form `Board.updateElements` takes. */
function copyElement(el: BoardElement): CopiedElement {
  const attrs: Record<string, unknown> = {}
  const source = el as unknown as Record<string, unknown>
  for (const key of KIND_KEYS[el.kind]) if (source[key] !== undefined) attrs[key] = source[key]
  delete attrs.locked
  const out: CopiedElement = { id: el.id, kind: el.kind, attrs }
  if (el.kind === ElementKind.Stroke) out.points = Array.from(el.points, round)
  if (el.kind === ElementKind.Image) out.assetId = el.assetId
  return out
}

/**
 * The payload for copying elements of a board (bottom to top, locked ones too), with the bytes of their images
 * unless `withAssets` is false (a duplicate within the same board needs none).
 */
export function copyPayload(board: Board, ids: Iterable<string>, withAssets = true): ClipboardPayload {
  const pos = new Map(board.elementIds().map((id, i) => [id, i]))
  const els = readSome(board, ids)
    .filter((el) => pos.has(el.id))
    .sort((a, b) => (pos.get(a.id) as number) - (pos.get(b.id) as number))
  const assets: CopiedAsset[] = []
  if (withAssets) {
    const seen = new Set<string>()
    for (const el of els) {
      if (el.kind !== ElementKind.Image || seen.has(el.assetId)) continue
      seen.add(el.assetId)
      const asset = board.asset(el.assetId)
      if (asset)
        assets.push({
          id: asset.id,
          mime: asset.mime,
          width: asset.width,
          height: asset.height,
          data: toBase64(asset.bytes),
        })
    }
  }
  return { type: CLIPBOARD_TYPE, version: CLIPBOARD_VERSION, elements: els.map(copyElement), assets }
}

/** The clipboard text of a payload. */
export function encodeClipboard(payload: ClipboardPayload): string {
  return JSON.stringify(payload)
}

const KINDS = new Set<string>(Object.values(ElementKind))

/**
 * Reads clipboard text: undefined when it is no Lanvas copy (some other text, for other paste handlers), the checked
 * payload when it is one, and a ClipboardError saying what is wrong when it says it is one but is not well formed.
 */
export function parseClipboard(text: string): ClipboardPayload | undefined {
  if (!text.includes(CLIPBOARD_TYPE)) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObject(raw) || raw.type !== CLIPBOARD_TYPE) return undefined
  if (typeof raw.version !== 'number' || raw.version > CLIPBOARD_VERSION)
    throw new ClipboardError('These elements were copied from a newer Lanvas; update Lanvas to paste them.')
  if (!Array.isArray(raw.elements) || !Array.isArray(raw.assets))
    throw new ClipboardError('The copied elements are damaged and cannot be pasted.')
  const assets = raw.assets.map(checkAsset)
  const elements = raw.elements.map((e, i) => checkElement(e, i))
  // Ids only link copies to each other (bindings); a repeated one would make two copies one.
  const seen = new Set<string>()
  elements.forEach((e, i) => {
    if (seen.has(e.id)) e.id = `copy-${i}`
    seen.add(e.id)
  })
  return { type: CLIPBOARD_TYPE, version: CLIPBOARD_VERSION, elements, assets }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkAsset(raw: unknown): CopiedAsset {
  const bad = (why: string) => new ClipboardError(`A copied image cannot be pasted: ${why}.`)
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.data !== 'string') throw bad('it is damaged')
  let bytes: Uint8Array
  try {
    bytes = fromBase64(raw.data)
  } catch {
    throw bad('its bytes are damaged')
  }
  const width = Number(raw.width)
  const height = Number(raw.height)
  let mime: string
  try {
    mime = checkImage(bytes, width, height)
  } catch (err) {
    throw new ClipboardError(errorMessage(err))
  }
  if (assetIdOf(bytes) !== raw.id) throw bad('its bytes do not match their id')
  return { id: raw.id, mime, width, height, data: raw.data }
}

function checkElement(raw: unknown, index: number): CopiedElement {
  const where = `copied element ${index + 1}`
  if (!isObject(raw) || typeof raw.kind !== 'string' || !KINDS.has(raw.kind) || !isObject(raw.attrs))
    throw new ClipboardError(`The ${where} is not an element Lanvas knows.`)
  const kind = raw.kind as ElementKind
  let attrs: ElementAttrs
  try {
    attrs = checkAttrs(kind, raw.attrs as ElementAttrs)
  } catch (err) {
    if (err instanceof ElementError)
      throw new ClipboardError(`The ${where} cannot be pasted: ${err.message}.`)
    throw err
  }
  const out: CopiedElement = { id: typeof raw.id === 'string' ? raw.id : `copy-${index}`, kind, attrs }
  if (kind === ElementKind.Stroke) {
    const p = raw.points
    const max = ELEMENT_LIMITS.maxCoordinate
    if (
      !Array.isArray(p) ||
      p.length < 3 ||
      p.length % 3 !== 0 ||
      p.length > STROKE_LIMITS.maxPoints * 3 ||
      !p.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max)
    )
      throw new ClipboardError(`The ${where} is a stroke whose points are damaged.`)
    if (typeof attrs.color !== 'string' || typeof attrs.width !== 'number')
      throw new ClipboardError(`The ${where} is a stroke without a colour or width.`)
    out.points = p as number[]
  }
  if (kind === ElementKind.Image) {
    if (typeof raw.assetId !== 'string' || !/^[0-9a-f]{64}$/.test(raw.assetId))
      throw new ClipboardError(`The ${where} is an image without its picture.`)
    out.assetId = raw.assetId
  }
  if ((kind === ElementKind.Line || kind === ElementKind.Arrow) && !attrs.points)
    throw new ClipboardError(`The ${where} is a line without points.`)
  return out
}
