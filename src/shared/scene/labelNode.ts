// A labelled shape's scene node: a group of the shape's own node and a Konva.Text for its label, placed by
// ../elements/label.ts in the element's frame. A shape without a label keeps its single node, exactly as before.
// On a line or an arrow the shaft is cut where the words are (clipped out, as Excalidraw and tldraw do).
import type { Context } from 'konva/lib/Context'
import { Group } from 'konva/lib/Group'
import type { Shape } from 'konva/lib/Shape'
import { Text } from 'konva/lib/shapes/Text'
import {
  ARROW_LABEL_GAP,
  type GapRect,
  type LabelledElement,
  labelFrame,
  labelStyle,
} from '../elements/label'
import { LINE_HEIGHT } from '../elements/text'

const PARTS = Symbol('lanvas.labelParts')
type LabelGroup = Group & { [PARTS]?: { shape: Shape; label: Text; gap?: GapRect } }

/** A group holding `shape` and an empty label text, to be filled by applyLabel; `line`: cut the shaft for it. */
export function labelGroup(shape: Shape, line: boolean): Group {
  const group = new Group() as LabelGroup
  const label = new Text({
    align: 'center',
    lineHeight: LINE_HEIGHT,
    wrap: 'word',
    perfectDrawEnabled: false,
  })
  const parts: NonNullable<LabelGroup[typeof PARTS]> = { shape, label }
  group[PARTS] = parts
  if (line) {
    // Everything but the gap: a rectangle far around the line, and the gap, filled even-odd.
    const shaft = new Group({
      clipFunc: (ctx: Context) => {
        const r = shape.getSelfRect()
        const m = 1e4
        ctx.rect(r.x - m, r.y - m, r.width + 2 * m, r.height + 2 * m)
        if (parts.gap) ctx.rect(parts.gap.x, parts.gap.y, parts.gap.width, parts.gap.height)
        return ['evenodd']
      },
    })
    shaft.add(shape)
    group.add(shaft)
  } else group.add(shape)
  group.add(label)
  return group
}

/** The parts of a shape's node: the shape itself, its label's text when it has one, and a line's gap for it. */
export function labelledParts(node: Shape | Group): { shape: Shape; label?: Text; gap?: GapRect } {
  return (node as LabelGroup)[PARTS] ?? { shape: node as Shape }
}

/** Sets a label's text, font and colour, wrapped at its frame's width and centred on its frame's centre. */
export function applyLabel(node: Group, el: LabelledElement, text: string): void {
  const parts = (node as LabelGroup)[PARTS]
  if (!parts) return
  const { label } = parts
  const style = labelStyle(el)
  const frame = labelFrame(el)
  label.setAttrs({
    text,
    fontSize: style.fontSize,
    fontFamily: style.fontFamily,
    fill: style.color,
    width: frame.wrapWidth,
    x: frame.cx - frame.wrapWidth / 2,
  })
  // Konva.Text's own line breaks decide its height: centring on that keeps the block centred however it wrapped.
  label.y(frame.cy - label.height() / 2)
  if ('points' in el) {
    const widest = Math.max(0, ...label.textArr.map((l) => l.width))
    parts.gap = {
      x: frame.cx - widest / 2 - ARROW_LABEL_GAP,
      y: label.y() - ARROW_LABEL_GAP,
      width: widest + 2 * ARROW_LABEL_GAP,
      height: label.height() + 2 * ARROW_LABEL_GAP,
    }
  }
}
