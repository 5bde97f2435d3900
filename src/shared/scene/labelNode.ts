// A labelled shape's scene node: a group of the shape's own node and a Konva.Text for its label, placed by
// ../elements/label.ts in the element's frame. A shape without a label keeps its single node, exactly as before.
import { Group } from 'konva/lib/Group'
import type { Shape } from 'konva/lib/Shape'
import { Text } from 'konva/lib/shapes/Text'
import { type LabelledElement, labelFrame, labelStyle } from '../elements/label'
import { LINE_HEIGHT } from '../elements/text'

const LABELLED = Symbol('lanvas.labelled')
type LabelGroup = Group & { [LABELLED]?: true }

/** A group holding `shape` and an empty label text, to be filled by applyLabel. */
export function labelGroup(shape: Shape): Group {
  const group = new Group() as LabelGroup
  group[LABELLED] = true
  group.add(shape)
  group.add(new Text({ align: 'center', lineHeight: LINE_HEIGHT, wrap: 'word', perfectDrawEnabled: false }))
  return group
}

/** The parts of a shape's node: the shape itself, and its label's text when it has one. */
export function labelledParts(node: Shape | Group): { shape: Shape; label?: Text } {
  if (!(node as LabelGroup)[LABELLED]) return { shape: node as Shape }
  const [shape, label] = (node as Group).getChildren() as [Shape, Text]
  return { shape, label }
}

/** Sets a label's text, font and colour, wrapped at its frame's width and centred on its frame's centre. */
export function applyLabel(label: Text, el: LabelledElement, text: string): void {
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
}
