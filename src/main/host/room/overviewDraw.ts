/**
 * Draws a board's overview (src/shared/sync/overview.ts): the whole board in one PNG of at most MAX_OVERVIEW_SIDE
 * pixels on its long side, on @napi-rs/canvas, with the scene's and the export's drawing code. At that scale most
 * ink is a pixel or less wide: it is drawn as the screen draws it zoomed out (src/renderer/src/canvas/boardScene.ts),
 * its centre line or a dot, and only wide ink as its outline; other elements are the export's nodes. The work is
 * cut into slices of a few milliseconds (as ./strokeStarts.ts builds its index): the host relays between them.
 * Loaded on the first overview only, so that a host that never makes one never loads the canvas library for it.
 */
import '../export/nodeCanvas'
import { Canvas, Path2D } from '@napi-rs/canvas'
import type { Context } from 'konva/lib/Context'
import { Group } from 'konva/lib/Group'
import type * as Y from 'yjs'
import { elementRect, readElement } from '../../../shared/board'
import { nodeTransform } from '../../../shared/elements/transform'
import { type BoardElement, ElementKind, type Stroke } from '../../../shared/elements/types'
import { exportCanvas } from '../../../shared/export/raster'
import type { Rect } from '../../../shared/geometry'
import {
  centreLineWidth,
  elementNode,
  HIGHLIGHTER_ALPHA,
  strokeOutline,
  strokePath,
  traceCentreLine,
} from '../../../shared/scene'
import { MAX_OVERVIEW_BYTES, MAX_OVERVIEW_SIDE, type OverviewImage } from '../../../shared/sync/overview'
import { SLICE_MS } from './strokeStarts'

/** Ink narrower than this many pixels is drawn as its centre line (the screen's CENTRE_LINE_PX). */
const CENTRE_LINE_PX = 2
/** Points nearer than this many pixels to the last one drawn are left out of a centre line (the screen's). */
const CENTRE_LINE_TOLERANCE_PX = 0.5
/** A stroke smaller than this many pixels both ways is drawn as a dot (the screen's DOT_PX). */
const DOT_PX = 2
/** Elements drawn between two looks at the clock. */
const CHECK_EVERY = 16

/** What a drawing reports besides its image: how long it took and how often it let the host's other work in. */
export interface OverviewDrawing {
  image: OverviewImage
  width: number
  height: number
  slices: number
  /** The longest one slice held the host's event loop, ms. */
  longestSliceMs: number
}

/** Runs `each(i)` for i in [0, n), a slice of SLICE_MS at a time; false when `cancelled` stopped it. */
async function inSlices(
  n: number,
  each: (i: number) => void,
  cancelled: () => boolean,
  count: { slices: number; longest: number },
): Promise<boolean> {
  let i = 0
  while (i < n) {
    if (cancelled()) return false
    const start = performance.now()
    const until = start + SLICE_MS
    for (; i < n && (i % CHECK_EVERY !== 0 || performance.now() < until || i === 0); i++) each(i)
    count.slices++
    count.longest = Math.max(count.longest, performance.now() - start)
    if (i < n) await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return !cancelled()
}

/**
 * The overview of `doc` as it is now, or undefined for a board with nothing on it (or when `cancelled` said so
 * between two slices). The elements are read from the document at each slice: an edit meanwhile may or may not be
 * in the picture, and the caller (./overview.ts) counts the picture as stale then.
 */
export async function drawOverview(
  doc: Y.Doc,
  cancelled: () => boolean,
): Promise<OverviewDrawing | undefined> {
  const elements = doc.getMap<unknown>('elements')
  const ids = [...new Set(doc.getArray<unknown>('order').toArray())].filter(
    (id): id is string => typeof id === 'string',
  )
  const count = { slices: 0, longest: 0 }
  // First the board's extent: every element's bounds.
  let extent: Rect | undefined
  const measured = await inSlices(
    ids.length,
    (i) => {
      const el = readElement(ids[i] as string, elements.get(ids[i] as string) as never, doc)
      if (!el) return
      const r = elementRect(el)
      if (![r.minX, r.minY, r.maxX, r.maxY].every(Number.isFinite)) return
      extent = extent
        ? {
            minX: Math.min(extent.minX, r.minX),
            minY: Math.min(extent.minY, r.minY),
            maxX: Math.max(extent.maxX, r.maxX),
            maxY: Math.max(extent.maxY, r.maxY),
          }
        : r
    },
    cancelled,
    count,
  )
  if (!measured || !extent) return undefined
  const box = extent
  const w = Math.max(1, box.maxX - box.minX)
  const h = Math.max(1, box.maxY - box.minY)
  // At most a pixel per board unit: a board smaller than the image is drawn at 100 %.
  const s = Math.min(1, MAX_OVERVIEW_SIDE / w, MAX_OVERVIEW_SIDE / h)
  const width = Math.min(MAX_OVERVIEW_SIDE, Math.max(1, Math.ceil(w * s)))
  const height = Math.min(MAX_OVERVIEW_SIDE, Math.max(1, Math.ceil(h * s)))
  const canvas = exportCanvas(width, height)
  const raw = canvas.getContext()._context
  const group = new Group({ x: -box.minX * s, y: -box.minY * s, scaleX: s, scaleY: s })
  const drawn = await inSlices(
    ids.length,
    (i) => {
      const id = ids[i] as string
      const el = readElement(id, elements.get(id) as never, doc)
      if (!el) return
      if (el.kind === ElementKind.Stroke) {
        raw.setTransform(s, 0, 0, s, -box.minX * s, -box.minY * s)
        drawStroke(raw, el as Stroke, s)
        return
      }
      drawNode(el, group, canvas)
    },
    cancelled,
    count,
  )
  group.destroy()
  if (!drawn) return undefined
  const napi = canvas._canvas as unknown as Canvas
  let png = await napi.encode('png')
  let out = { width, height }
  // A dense board's picture may not fit the frame: halved until it does (a few times at most).
  while (png.byteLength > MAX_OVERVIEW_BYTES && out.width > 16 && out.height > 16) {
    out = { width: Math.ceil(out.width / 2), height: Math.ceil(out.height / 2) }
    const small = new Canvas(out.width, out.height)
    small.getContext('2d').drawImage(napi, 0, 0, out.width, out.height)
    png = await small.encode('png')
  }
  if (png.byteLength > MAX_OVERVIEW_BYTES) return undefined
  const rect = { minX: box.minX, minY: box.minY, maxX: box.minX + width / s, maxY: box.minY + height / s }
  return {
    image: { rect, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) },
    width: out.width,
    height: out.height,
    slices: count.slices,
    longestSliceMs: count.longest,
  }
}

/** A stroke as the screen draws it at scale `s`: a dot, its centre line, or its outline when wide enough. */
function drawStroke(ctx: Context['_context'], stroke: Stroke, s: number): void {
  const alpha = (stroke.opacity ?? 1) * (stroke.highlighter === true ? HIGHLIGHTER_ALPHA : 1)
  ctx.globalAlpha = alpha
  ctx.fillStyle = stroke.color
  const b = elementRect(stroke)
  if (b.maxX - b.minX < DOT_PX / s && b.maxY - b.minY < DOT_PX / s) {
    // Too small to show its shape: a dot of its size, at least a pixel.
    const cx = (b.minX + b.maxX) / 2
    const cy = (b.minY + b.maxY) / 2
    const r = Math.max(0.5 / s, (b.maxX - b.minX) / 4, (b.maxY - b.minY) / 4)
    ctx.fillRect(cx - r, cy - r, 2 * r, 2 * r)
    return
  }
  const plain =
    stroke.x === 0 && stroke.y === 0 && stroke.rotation === 0 && stroke.scaleX === 1 && stroke.scaleY === 1
  const t = plain ? undefined : nodeTransform(stroke)
  const stretch = t ? Math.min(Math.abs(t.scaleX), Math.abs(t.scaleY)) : 1
  if (t) {
    // board = C + R·S·(p − offset), as Konva places a node (shared/elements/transform.ts).
    ctx.translate(t.x, t.y)
    ctx.rotate((t.rotation * Math.PI) / 180)
    ctx.scale(t.scaleX, t.scaleY)
    ctx.translate(-t.offsetX, -t.offsetY)
  }
  if (stroke.width * stretch * s < CENTRE_LINE_PX) {
    ctx.beginPath()
    traceCentreLine(ctx, stroke.points, CENTRE_LINE_TOLERANCE_PX / (s * stretch))
    ctx.strokeStyle = stroke.color
    ctx.lineWidth = centreLineWidth(stroke)
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.stroke()
  } else {
    const outline = strokeOutline(stroke)
    if (outline.length >= 4)
      ctx.fill(
        strokePath(outline, () => new Path2D()) as unknown as Parameters<Context['_context']['fill']>[0],
      )
  }
  ctx.globalAlpha = 1
}

/** Any other element as the export draws it: its scene node in a group that places the board on the canvas. */
function drawNode(el: BoardElement, group: Group, canvas: ReturnType<typeof exportCanvas>): void {
  // Images are not decoded for an overview: the node draws the placeholder the scene shows until they are.
  const node = elementNode(el)
  group.add(node)
  group.drawScene(canvas)
  group.removeChildren()
  node.destroy()
}
