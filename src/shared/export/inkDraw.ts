import type { Context } from 'konva/lib/Context'
import { Konva } from 'konva/lib/Global'
import { Transform } from 'konva/lib/Util'
import { shownLabel } from '../elements/label'
import { localBox, nodeTransform } from '../elements/transform'
import { ElementKind, type Stroke } from '../elements/types'
import { type NativePath, platform } from '../platform'
import { inkAlpha, OutlineScratch, strokeOutline, strokePath } from '../scene'
import type { Blend } from './blend'

/**
 * A stroke as an export draws it: its outline traced once into a native path, its colour, opacity, blend and own
 * transform, and nothing else. The screen's Konva shape (createStrokeShape) holds the same path with a node's
 * attributes, caches and events around it: on a 100,000-stroke export those nodes were a tenth of the allocation
 * and much of the collector's work (docs/performance.md, "Export at scale", round five). `drawInk` makes the calls
 * Konva's Shape.drawScene makes for that shape, in the same order with the same numbers, so the pixels are the same.
 */
export interface InkDraw {
  path: NativePath
  /** The stroke's own transform, as Konva's Node._getTransform builds it from the node's attributes. */
  own: Transform
  fill: string
  /** Its absolute opacity (the export's group is opaque). */
  alpha: number
  blend: Blend
  /** How many outline points its path holds (what releasing it frees: GarbageAfterBands). */
  points: number
}

/**
 * Whether an element is drawn as an InkDraw here: a stroke without a label, where the platform makes native paths
 * (without them the scene's shape traces the outline itself).
 */
export function drawsAsInk(el: { kind: ElementKind }): el is Stroke {
  return (
    el.kind === ElementKind.Stroke &&
    platform().createPath !== undefined &&
    shownLabel(el as Stroke) === undefined
  )
}

/** Konva's Node._getTransform for a node with these attributes (translate, rotate, scale, offset, in that order). */
export function konvaTransform(t: {
  x?: number
  y?: number
  rotation?: number
  scaleX?: number
  scaleY?: number
  offsetX?: number
  offsetY?: number
}): Transform {
  const m = new Transform()
  const x = t.x ?? 0
  const y = t.y ?? 0
  const rotation = Konva.getAngle(t.rotation ?? 0)
  const scaleX = t.scaleX ?? 1
  const scaleY = t.scaleY ?? 1
  const offsetX = t.offsetX || 0
  const offsetY = t.offsetY || 0
  if (x !== 0 || y !== 0) m.translate(x, y)
  if (rotation !== 0) m.rotate(rotation)
  if (scaleX !== 1 || scaleY !== 1) m.scale(scaleX, scaleY)
  if (offsetX !== 0 || offsetY !== 0) m.translate(-1 * offsetX, -1 * offsetY)
  return m
}

/** Where inkDraw writes each outline before tracing it: one buffer for every stroke. */
const scratch = new OutlineScratch()

/**
 * The InkDraw of a stroke (its points decoded), or undefined for one whose outline is too short to draw (the shape's
 * sceneFunc draws nothing for it either). The outline is dropped once traced: the path holds it.
 */
export function inkDraw(stroke: Stroke, blend: Blend): InkDraw | undefined {
  const { createPath, outlinePath } = platform()
  if (!createPath) throw new Error('inkDraw needs native paths (drawsAsInk)')
  // Traced into its path below and not kept: each stroke's outline goes in the same buffer.
  const outline = strokeOutline(stroke, scratch)
  if (outline.length < 4) return undefined
  // applyElement's attributes: the transform, the opacity (highlighter ink is fainter) and the stroke's colour.
  const alpha = inkAlpha(stroke)
  const own = konvaTransform(nodeTransform(stroke, localBox(stroke)))
  // A path made in one call holds the outline scaled by powers of two; the transform scales it back. Both are exact
  // in floating point, so every point lands where the lineTo path's does, or within 2^-32 of the outline's largest
  // coordinate for one reaching near an axis (src/main/host/export/outlinePath.ts).
  const scaled = outlinePath?.(outline)
  if (scaled) own.scale(scaled.unitX, scaled.unitY)
  return {
    path: scaled ? scaled.path : strokePath(outline, createPath),
    own,
    fill: stroke.color,
    alpha,
    blend,
    points: outline.length / 2,
  }
}

/**
 * What drawInk has left set on a canvas between strokes (their run ends with endInk): a run of strokes sets only what
 * changes from one stroke to the next.
 */
export interface InkState {
  alpha: number
  blend: Blend
  /** Whether a stroke was drawn since the last endInk (the transform is then the last stroke's: `matrix`). */
  drawn: boolean
  /** The transform the last stroke set (valid while `drawn`). */
  matrix: Float64Array
  /** The fill style the last stroke set, or '' where it is not known (before the first stroke, after endInk). */
  fill: string
}

/** The state of a canvas no stroke has drawn on since its transform was reset (InkState). */
export function inkState(): InkState {
  return { alpha: 1, blend: 'source-over', drawn: false, matrix: new Float64Array(6), fill: '' }
}

/** Whether the canvas' transform is already `o` (the last stroke set it): most strokes of a tile share one. */
function sameTransform(state: InkState, o: number[]): boolean {
  if (!state.drawn) return false
  const m = state.matrix
  return m[0] === o[0] && m[1] === o[1] && m[2] === o[2] && m[3] === o[3] && m[4] === o[4] && m[5] === o[5]
}

/**
 * Draws an InkDraw under the group transform `parent` (the absolute transform of the export's group, as Konva
 * computes it: Container's reset, then its own transform) on a canvas whose transform is the identity (or the last
 * stroke's: drawInk sets it whole): what Shape.drawScene does for the stroke's shape (save, transform, opacity, blend,
 * the sceneFunc's fill style and fill of the cached path, restore), the same numbers in the same state, without the
 * save and restore, which cost a native call each: the transform is set whole, opacity and blend only when they change,
 * and endInk puts the defaults back after the run.
 */
export function drawInk(
  ctx: Context,
  ink: InkDraw,
  parent: Transform,
  scratch: Transform,
  state: InkState,
): void {
  parent.copyInto(scratch)
  scratch.multiply(ink.own)
  const o = scratch.m
  const raw = ctx._context
  // Each setting is a native call, and @napi-rs/canvas parses a colour at each fillStyle: a stroke sets only the
  // transform and colour that differ from the last stroke's (the strokes of a tile mostly share both: the tile's
  // transform, scaled back by the same powers of two, and a few pens' colours). Onto the identity, transform() and
  // setTransform() give the same matrix.
  if (!sameTransform(state, o)) {
    raw.setTransform(
      o[0] as number,
      o[1] as number,
      o[2] as number,
      o[3] as number,
      o[4] as number,
      o[5] as number,
    )
    state.matrix.set(o)
  }
  if (ink.alpha !== state.alpha) {
    raw.globalAlpha = ink.alpha
    state.alpha = ink.alpha
  }
  if (ink.blend !== state.blend) {
    raw.globalCompositeOperation = ink.blend
    state.blend = ink.blend
  }
  if (ink.fill !== state.fill) {
    raw.fillStyle = ink.fill
    state.fill = ink.fill
  }
  raw.fill(ink.path as Parameters<typeof raw.fill>[0])
  // The path is held for the tiles and bands still to draw it: only its own points, not the fill's copy of them.
  platform().settleFilledPath?.(ink.path)
  state.drawn = true
}

/** Ends a run of drawInk calls: the identity transform, full opacity and source-over again, as a restore would leave them. */
export function endInk(ctx: Context, state: InkState): void {
  if (!state.drawn) return
  const raw = ctx._context
  raw.setTransform(1, 0, 0, 1, 0, 0)
  if (state.alpha !== 1) raw.globalAlpha = 1
  if (state.blend !== 'source-over') raw.globalCompositeOperation = 'source-over'
  state.alpha = 1
  state.blend = 'source-over'
  state.drawn = false
  // The nodes drawn next set fill styles of their own (Konva restores the one before them, which this does not count on).
  state.fill = ''
}

/** The absolute transform of a Konva group at (x, y) scaled by `scale` with no parent (Node._getCachedAbsoluteTransform). */
export function groupTransform(x: number, y: number, scale: number): Transform {
  const at = new Transform()
  at.multiply(konvaTransform({ x, y, scaleX: scale, scaleY: scale }))
  return at
}
