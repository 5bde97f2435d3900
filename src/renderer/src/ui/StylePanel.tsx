import { useRef } from 'react'
import {
  ArrowRoute,
  type Board,
  type BoardElement,
  type ElementAttrs,
  ElementKind,
  type LineShape,
  NO_FILL,
} from '../../../shared/board'
import { routeChangeAttrs } from '../../../shared/elements/arrowRoute'
import { type ElementEntry, hasOwnKey, kindOf } from '../../../shared/elements/entry'
import { styledKey } from '../../../shared/elements/styles'
import { FILLS, FONT_SIZES, NOTE_FILLS, styleAttrs, styleOf, type ToolStyle } from '../tools/style'
import { PALETTE, Tool, WIDTHS } from '../tools/tool'
import './StylePanel.css'

export interface StylePanelProps {
  tool: Tool
  /** The style the tools draw with. */
  style: ToolStyle
  onStyle(style: ToolStyle): void
  /** With a selection, the panel shows the first selected element's style and changes all of them. */
  board?: Board
  selection?: readonly string[]
  readOnly?: boolean
}

type Section =
  | 'color'
  | 'fill'
  | 'noteFill'
  | 'width'
  | 'dashed'
  | 'opacity'
  | 'fontSize'
  | 'highlighter'
  | 'eraser'
  | 'route'

const TOOL_SECTIONS: Partial<Record<Tool, Section[]>> = {
  [Tool.Pen]: ['color', 'width', 'highlighter', 'opacity'],
  [Tool.Eraser]: ['eraser'],
  [Tool.Rectangle]: ['color', 'fill', 'width', 'dashed', 'opacity'],
  [Tool.Ellipse]: ['color', 'fill', 'width', 'dashed', 'opacity'],
  [Tool.Line]: ['color', 'width', 'dashed', 'opacity'],
  [Tool.Arrow]: ['color', 'width', 'dashed', 'route', 'opacity'],
  [Tool.Text]: ['color', 'fontSize', 'opacity'],
  [Tool.Note]: ['noteFill', 'color', 'fontSize', 'opacity'],
}

const KIND_SECTIONS: Record<string, Section[]> = {
  [ElementKind.Stroke]: ['color', 'width', 'highlighter', 'opacity'],
  [ElementKind.Rect]: ['color', 'fill', 'width', 'dashed', 'opacity'],
  [ElementKind.Ellipse]: ['color', 'fill', 'width', 'dashed', 'opacity'],
  [ElementKind.Line]: ['color', 'width', 'dashed', 'opacity'],
  [ElementKind.Arrow]: ['color', 'width', 'dashed', 'route', 'opacity'],
  [ElementKind.Text]: ['color', 'fontSize', 'opacity'],
  [ElementKind.Note]: ['noteFill', 'color', 'fontSize', 'opacity'],
  [ElementKind.Image]: ['opacity'],
  [ElementKind.Frame]: [],
}

const ORDER: Section[] = [
  'noteFill',
  'color',
  'fill',
  'width',
  'dashed',
  'route',
  'fontSize',
  'highlighter',
  'eraser',
  'opacity',
]

const FONT_LABELS = ['S', 'M', 'L', 'XL']

const ROUTES: readonly { route: ArrowRoute; label: string }[] = [
  { route: ArrowRoute.Straight, label: 'Straight' },
  { route: ArrowRoute.Curved, label: 'Curved' },
  { route: ArrowRoute.Elbow, label: 'Elbow' },
]

/** What a style change sets on one element: a route change reads the arrow (its ends, bend and bindings). */
function changeAttrs(
  board: Board,
  el: Pick<BoardElement, 'id' | 'kind'>,
  patch: Partial<ToolStyle>,
): ElementAttrs {
  const out = styleAttrs(el, patch)
  if (patch.route && el.kind === ElementKind.Arrow) {
    const arrow = board.readElement(el.id)
    if (arrow) Object.assign(out, routeChangeAttrs(arrow as LineShape, patch.route))
  }
  return out
}

/**
 * The selected elements a style change applies to (not locked), with their kinds, read from the board's maps
 * without decoding them: that is all styleAttrs needs.
 */
function editable(board: Board, selection: readonly string[]): Pick<BoardElement, 'id' | 'kind'>[] {
  const out: Pick<BoardElement, 'id' | 'kind'>[] = []
  for (const id of selection) {
    const map = board.elements.get(id)
    const kind = kindOf(map)
    if (
      typeof kind === 'string' &&
      kind in KIND_SECTIONS &&
      map &&
      styledKey(id, map, 'locked', board.doc) !== true
    )
      out.push({ id, kind: kind as ElementKind })
  }
  return out
}

/** Whether an element holds a label (shapes, lines and arrows). */
const hasLabel = (el: ElementEntry | undefined): boolean => el !== undefined && hasOwnKey(el, 'label')

/**
 * Stroke colour, fill, width, dashes, opacity and font size for the current tool, or for the selected elements
 * when there is a selection (each change to a selection is one undo step).
 */
export function StylePanel({
  tool,
  style,
  onStyle,
  board,
  selection = [],
  readOnly = false,
}: StylePanelProps) {
  const selected = board ? editable(board, selection) : []
  const kinds = new Set(selected.map((el) => el.kind))
  const sections = new Set<Section>(
    selected.length > 0 ? [...kinds].flatMap((k) => KIND_SECTIONS[k] ?? []) : (TOOL_SECTIONS[tool] ?? []),
  )
  // A shape's or arrow's label takes the font sizes too.
  if (board && selected.some((el) => hasLabel(board.elements.get(el.id)))) sections.add('fontSize')
  // A slider drag is one undo step: the step starts when the drag does.
  const sliding = useRef(false)
  if (sections.size === 0) return null
  // Only the first is read whole: on a selection of 10,000 strokes the others' points are never decoded.
  const first = selected[0] && board?.readElement(selected[0].id)
  const shown = first ? styleOf(first, style) : style

  const change = (patch: Partial<ToolStyle>, newStep = true) => {
    onStyle({ ...style, ...patch })
    if (!board || selected.length === 0) return
    if (newStep) board.beginAction()
    board.updateElements(selected.map((el) => [el.id, changeAttrs(board, el, patch)] as const))
  }

  const swatches = (key: 'color' | 'fill' | 'noteFill', colors: readonly string[], label: string) => (
    <div className="row">
      {colors.map((c) => (
        <button
          key={c}
          type="button"
          className={`swatch${c === NO_FILL ? ' none' : ''}${shown[key] === c ? ' active' : ''}`}
          style={c === NO_FILL ? undefined : { background: c }}
          data-testid={`style-${key}-${c.replace('#', '')}`}
          title={c === NO_FILL ? 'No fill' : c}
          aria-label={`${label} ${c === NO_FILL ? 'none' : c}`}
          aria-pressed={shown[key] === c}
          onClick={() => change({ [key]: c })}
        />
      ))}
    </div>
  )

  const parts: Record<Section, () => React.ReactNode> = {
    color: () => (
      <div key="color">
        <h3>{tool === Tool.Text || tool === Tool.Note ? 'Text colour' : 'Stroke'}</h3>
        {swatches('color', PALETTE, 'Colour')}
      </div>
    ),
    fill: () => (
      <div key="fill">
        <h3>Fill</h3>
        {swatches('fill', FILLS, 'Fill')}
      </div>
    ),
    noteFill: () => (
      <div key="noteFill">
        <h3>Note colour</h3>
        {swatches('noteFill', NOTE_FILLS, 'Note colour')}
      </div>
    ),
    width: () => (
      <div key="width">
        <h3>Stroke width</h3>
        <div className="row">
          {WIDTHS.map((w) => (
            <button
              key={w}
              type="button"
              className={`icon-button${Math.abs(shown.width - w) < 1e-6 ? ' active' : ''}`}
              data-testid={`style-width-${w}`}
              title={`Width ${w}`}
              aria-label={`Width ${w}`}
              aria-pressed={Math.abs(shown.width - w) < 1e-6}
              onClick={() => change({ width: w })}
            >
              <span
                className="width-dot"
                style={{ width: Math.min(18, w + 2), height: Math.min(18, w + 2) }}
              />
            </button>
          ))}
        </div>
      </div>
    ),
    dashed: () => (
      <div key="dashed">
        <h3>Line</h3>
        <div className="row">
          {[false, true].map((d) => (
            <button
              key={String(d)}
              type="button"
              className={`icon-button${shown.dashed === d ? ' active' : ''}`}
              data-testid={`style-dashed-${d}`}
              title={d ? 'Dashed' : 'Solid'}
              aria-label={d ? 'Dashed' : 'Solid'}
              aria-pressed={shown.dashed === d}
              onClick={() => change({ dashed: d })}
            >
              <span className={`dash-sample${d ? ' dashed' : ''}`} />
            </button>
          ))}
        </div>
      </div>
    ),
    fontSize: () => (
      <div key="fontSize">
        <h3>Font size</h3>
        <div className="row">
          {FONT_SIZES.map((f, i) => (
            <button
              key={f}
              type="button"
              className={`icon-button toggle${shown.fontSize === f ? ' active' : ''}`}
              data-testid={`style-font-${f}`}
              title={`Font size ${f}`}
              aria-pressed={shown.fontSize === f}
              onClick={() => change({ fontSize: f })}
            >
              {FONT_LABELS[i]}
            </button>
          ))}
        </div>
      </div>
    ),
    highlighter: () => (
      <div key="highlighter">
        <h3>Ink</h3>
        <div className="row">
          {[false, true].map((h) => (
            <button
              key={String(h)}
              type="button"
              className={`icon-button toggle${shown.highlighter === h ? ' active' : ''}`}
              data-testid={h ? 'style-highlighter' : 'style-pen'}
              title={h ? 'Highlighter (Shift+P)' : 'Pen'}
              aria-pressed={shown.highlighter === h}
              onClick={() => change({ highlighter: h })}
            >
              {h ? 'Highlighter' : 'Pen'}
            </button>
          ))}
        </div>
      </div>
    ),
    eraser: () => (
      <div key="eraser">
        <h3>Eraser</h3>
        <div className="row">
          {[false, true].map((p) => (
            <button
              key={String(p)}
              type="button"
              className={`icon-button toggle${style.partialEraser === p ? ' active' : ''}`}
              data-testid={p ? 'style-eraser-partial' : 'style-eraser-whole'}
              title={p ? 'Erase parts of ink (Shift+E)' : 'Erase whole elements'}
              aria-pressed={style.partialEraser === p}
              onClick={() => onStyle({ ...style, partialEraser: p })}
            >
              {p ? 'Partial' : 'Whole'}
            </button>
          ))}
        </div>
      </div>
    ),
    route: () => (
      <div key="route">
        <h3>Arrow</h3>
        <div className="row">
          {ROUTES.map(({ route, label }) => (
            <button
              key={route}
              type="button"
              className={`icon-button toggle${shown.route === route ? ' active' : ''}`}
              data-testid={`style-route-${route}`}
              title={`${label} arrow`}
              aria-pressed={shown.route === route}
              onClick={() => change({ route })}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
    ),
    opacity: () => (
      <div key="opacity">
        <h3>Opacity {Math.round(shown.opacity * 100)}%</h3>
        <input
          type="range"
          min={10}
          max={100}
          step={5}
          value={Math.round(shown.opacity * 100)}
          data-testid="style-opacity"
          aria-label="Opacity"
          onPointerDown={() => {
            sliding.current = true
            board?.beginAction()
          }}
          onPointerUp={() => {
            sliding.current = false
          }}
          onChange={(e) => change({ opacity: Number(e.target.value) / 100 }, !sliding.current)}
        />
      </div>
    ),
  }

  return (
    <fieldset className="style-panel panel" aria-label="Style" data-testid="style-panel" disabled={readOnly}>
      {ORDER.filter((s) => sections.has(s)).map((s) => parts[s]())}
    </fieldset>
  )
}
