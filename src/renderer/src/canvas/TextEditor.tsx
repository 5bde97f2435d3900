import { type CSSProperties, useLayoutEffect, useRef } from 'react'
import * as Y from 'yjs'
import { type Board, ElementKind, type NoteElement, type TextElement } from '../../../shared/board'
import { holdsLabel } from '../../../shared/elements/label'
import { LINE_HEIGHT, NOTE_PADDING, textBoxSize } from '../../../shared/elements/text'
import { nodeTransform, toBoard } from '../../../shared/elements/transform'
import { drawnFontFamily } from '../../../shared/fonts'
import { placeLabelEditor } from './shapeLabel'
import type { ViewportStore } from './viewportStore'

export interface TextEditorProps {
  board: Board
  viewport: ViewportStore
  /** The text or note being edited, or the shape or arrow whose label is. */
  id: string
  /** True when the element was just made by this click: its creation and the typing are one undo step. */
  fresh: boolean
  onDone(): void
}

const EDITOR_STYLE: CSSProperties = {
  position: 'absolute',
  left: 0,
  top: 0,
  margin: 0,
  border: 'none',
  outline: 'none',
  resize: 'none',
  overflow: 'hidden',
  boxSizing: 'border-box',
  transformOrigin: '0 0',
  caretColor: '#1971c2',
  zIndex: 5,
}

/**
 * Edits a text or a sticky note in place: a textarea laid exactly over the element (moved, turned and zoomed with
 * it), whose every change goes into the element's Y.Text at once, so peers see the typing. Escape, a click
 * elsewhere or Ctrl+Enter ends it; a text left empty is removed. A shape's label is edited the same way, centred on
 * the shape, into its `label` attribute; a label left empty is removed, the shape stays.
 */
export function TextEditor({ board, viewport, id, fresh, onDone }: TextEditorProps) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const doneRef = useRef(onDone)
  doneRef.current = onDone
  const finished = useRef(false)

  useLayoutEffect(() => {
    const area = ref.current
    if (!area) return
    if (!fresh) board.beginAction()
    const first = board.readElement(id)
    const labelled = first !== undefined && holdsLabel(first)
    const labelOf = () => {
      const el = board.readElement(id)
      return el && holdsLabel(el) ? (el.label ?? '') : ''
    }

    const place = () => {
      const el = board.readElement(id)
      if (el && holdsLabel(el)) return placeLabelEditor(area, el, viewport)
      if (!el || (el.kind !== ElementKind.Text && el.kind !== ElementKind.Note)) return
      const view = viewport.get()
      const t = nodeTransform(el)
      const origin = viewport.toScreen(toBoard(t, 0, 0).x, toBoard(t, 0, 0).y)
      const s = area.style
      s.transform = `translate(${origin.x}px, ${origin.y}px) rotate(${t.rotation}deg) scale(${view.zoom})`
      s.fontSize = `${el.fontSize}px`
      s.lineHeight = String(LINE_HEIGHT)
      s.color = el.color
      s.opacity = String(el.opacity)
      if (el.kind === ElementKind.Note) {
        const note = el as NoteElement
        s.fontFamily = drawnFontFamily('sans-serif')
        s.padding = `${NOTE_PADDING}px`
        s.width = `${note.width}px`
        s.height = `${note.height}px`
        s.background = note.fillColor
        s.whiteSpace = 'pre-wrap'
      } else {
        const text = el as TextElement
        // Room for the next character, so the caret never wraps the line early.
        const size = textBoxSize(`${area.value}M`, text.fontSize, text.fontFamily, text.width)
        s.fontFamily = drawnFontFamily(text.fontFamily)
        s.padding = '0'
        s.width = `${text.width > 0 ? text.width : size.width}px`
        s.height = `${size.height}px`
        s.background = 'transparent'
        s.whiteSpace = text.width > 0 ? 'pre-wrap' : 'pre'
      }
    }

    const yText = labelled ? undefined : board.textOf(id)
    area.value = labelled ? labelOf() : (yText?.toString() ?? '')
    place()
    area.focus()
    area.setSelectionRange(area.value.length, area.value.length)

    // Someone else typing in the same text: take their change, keep the caret where it was relative to the text.
    const onText = (event: Y.YTextEvent) => {
      if (event.transaction.local) return
      const next = yText?.toString() ?? ''
      if (next === area.value) return
      const caret = area.selectionStart
      let shift = 0
      let index = 0
      for (const d of event.delta) {
        if (d.retain) index += d.retain
        else if (d.insert) {
          const n = typeof d.insert === 'string' ? d.insert.length : 1
          if (index <= caret) shift += n
          index += n
        } else if (d.delete) {
          if (index < caret) shift -= Math.min(d.delete, caret - index)
        }
      }
      area.value = next
      area.setSelectionRange(caret + shift, caret + shift)
      place()
    }
    yText?.observe(onText)
    // Texts, notes and labelled shapes are element maps (only finished strokes are flat records).
    const stored = board.elements.get(id)
    const element = stored instanceof Y.Map ? stored : undefined
    const onElement = (_: unknown, transaction: Y.Transaction) => {
      if (!board.elements.has(id)) return finish()
      // Someone else changed the label: show theirs, the caret where it was (as far as the text still reaches).
      if (labelled && !transaction.local && labelOf() !== area.value) {
        const caret = area.selectionStart
        area.value = labelOf()
        area.setSelectionRange(caret, caret)
      }
      place()
    }
    element?.observeDeep(onElement)
    const offView = viewport.subscribe(place)

    const onInput = () => {
      if (labelled) board.updateElement(id, { label: area.value })
      else board.replaceText(id, area.value)
      place()
    }
    // Ends the edit once; an empty text is removed (in the same undo step as its typing).
    const commit = (): boolean => {
      if (finished.current) return false
      finished.current = true
      const text = board.readElement(id)
      if (labelled) {
        if (text && holdsLabel(text) && text.label !== undefined && text.label.trim() === '')
          board.updateElement(id, { label: null })
      } else if (text && 'text' in text && typeof text.text === 'string' && text.text.trim() === '')
        board.deleteElements([id])
      return true
    }
    const finish = () => {
      if (commit()) doneRef.current()
    }
    const onKey = (e: KeyboardEvent) => {
      // Shortcuts of the canvas must not fire while typing; Escape and Ctrl+Enter end this edit, no app command.
      e.stopPropagation()
      if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault()
        area.blur()
      }
    }
    area.addEventListener('input', onInput)
    area.addEventListener('blur', finish)
    area.addEventListener('keydown', onKey)
    return () => {
      yText?.unobserve(onText)
      element?.unobserveDeep(onElement)
      offView()
      area.removeEventListener('input', onInput)
      area.removeEventListener('blur', finish)
      area.removeEventListener('keydown', onKey)
      commit()
    }
  }, [board, viewport, id, fresh])

  return (
    <textarea
      ref={ref}
      className="text-editor"
      data-testid="text-editor"
      aria-label="Text"
      spellCheck={false}
      wrap="soft"
      style={EDITOR_STYLE}
    />
  )
}
