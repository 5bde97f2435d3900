import type { Context } from 'konva/lib/Context'
import { Shape } from 'konva/lib/Shape'
import type { Stroke } from '../board'
import { strokeOutline } from './outline'

/** The outline polygon a stroke shape fills, kept on the shape so it is computed once per stroke change. */
const OUTLINE = Symbol('lanvas.outline')

type StrokeShape = Shape & { [OUTLINE]?: Float32Array }

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
      const path = (self as StrokeShape)[OUTLINE]
      if (!path) return
      traceOutline(ctx, path)
      ctx.fillShape(self)
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
  if (shape.fill() !== stroke.color) shape.fill(stroke.color)
}

/** The outline polygon a stroke shape currently draws, or undefined for a shape not made by createStrokeShape. */
export function strokeShapeOutline(shape: Shape): Float32Array | undefined {
  return (shape as StrokeShape)[OUTLINE]
}
