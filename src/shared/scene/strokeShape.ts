import type { Context } from 'konva/lib/Context'
import { Shape } from 'konva/lib/Shape'
import type { Stroke } from '../board'
import { type NativePath, platform } from '../platform'
import { strokeOutline } from './outline'

/** The outline polygon a stroke shape fills, kept on the shape so it is computed once per stroke change. */
const OUTLINE = Symbol('lanvas.outline')
/** The outline as a native path, built on first draw where the platform has one (browsers, @napi-rs/canvas). */
const PATH = Symbol('lanvas.path')

type StrokeShape = Shape & { [OUTLINE]?: Float32Array; [PATH]?: NativePath | null }

/** A stroke's filled outline as a native path, so it is traced once and filled many times. */
export function strokePath<P extends NativePath>(outline: Float32Array, createPath: () => P): P {
  const path = createPath()
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
      const createPath = platform().createPath
      if (createPath) {
        // A cached native path: redrawing 10k strokes on a pan costs one fill call each, not 10k lineTo loops.
        shape[PATH] ??= strokePath(outline, createPath)
        ctx.setAttr('fillStyle', shape.fill())
        ctx._context.fill(shape[PATH] as Parameters<typeof ctx._context.fill>[0])
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
