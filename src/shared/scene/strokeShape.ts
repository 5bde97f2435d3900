import type { Context } from 'konva/lib/Context'
import { Shape } from 'konva/lib/Shape'
import type { Stroke } from '../board'
import { strokeOutline } from './outline'

/** The outline polygon a stroke shape fills, kept on the shape so it is computed once per stroke change. */
const OUTLINE = Symbol('lanvas.outline')
/** The outline as a native Path2D, built on first draw where the canvas has one (browsers; not every Node canvas). */
const PATH = Symbol('lanvas.path')

type StrokeShape = Shape & { [OUTLINE]?: Float32Array; [PATH]?: Path2D | null }

const hasPath2D = typeof Path2D === 'function'

/** A stroke's filled outline as a native Path2D (browsers only), so it is traced once and filled many times. */
export function strokePath(outline: Float32Array): Path2D {
  const path = new Path2D()
  if (outline.length < 4) return path
  path.moveTo(outline[0] as number, outline[1] as number)
  for (let i = 2; i + 1 < outline.length; i += 2) path.lineTo(outline[i] as number, outline[i + 1] as number)
  path.closePath()
  return path
}

function traceOutline(ctx: Context, outline: Float32Array): void {
  if (outline.length < 4) return
  ctx.beginPath()
  ctx.moveTo(outline[0] as number, outline[1] as number)
  for (let i = 2; i + 1 < outline.length; i += 2) ctx.lineTo(outline[i] as number, outline[i + 1] as number)
  ctx.closePath()
}

/** A Konva shape that draws a stroke as its filled pen outline; no hit graph, since tools hit-test the board. */
export function createStrokeShape(stroke: Stroke, outline: Float32Array = strokeOutline(stroke)): Shape {
  const shape: StrokeShape = new Shape({
    id: stroke.id,
    fill: stroke.color,
    listening: false,
    perfectDrawEnabled: false,
    sceneFunc(ctx, self) {
      const shape = self as StrokeShape
      const outline = shape[OUTLINE]
      if (!outline || outline.length < 4) return
      if (hasPath2D) {
        // A cached native path: redrawing 10k strokes on a pan costs one fill call each, not 10k lineTo loops.
        shape[PATH] ??= strokePath(outline)
        ctx.setAttr('fillStyle', shape.fill())
        ctx._context.fill(shape[PATH])
        return
      }
      traceOutline(ctx, outline)
      ctx.fillShape(shape)
    },
  })
  shape[OUTLINE] = outline
  return shape
}

/** Points an existing stroke shape at a changed stroke (new points, colour or done flag). */
export function updateStrokeShape(
  shape: Shape,
  stroke: Stroke,
  outline: Float32Array = strokeOutline(stroke),
): void {
  ;(shape as StrokeShape)[OUTLINE] = outline
  ;(shape as StrokeShape)[PATH] = null
  if (shape.fill() !== stroke.color) shape.fill(stroke.color)
}

/** The outline polygon a stroke shape currently draws, or undefined for a shape not made by createStrokeShape. */
export function strokeShapeOutline(shape: Shape): Float32Array | undefined {
  return (shape as StrokeShape)[OUTLINE]
}
