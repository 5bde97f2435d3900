import { useEffect, useMemo, useState } from 'react'
import type { Board } from '../../../shared/board'
import {
  type ExportBackground,
  type ExportFormat,
  type ExportLayout,
  type ExportOptions,
  exportLayout,
  missingGlyphs,
  missingGlyphsNote,
  renderExportCanvas,
} from '../../../shared/export'

/** The largest preview drawn, in CSS px. */
const PREVIEW = { width: 360, height: 220 }

/** The export dialog's preview: a data URL of a PNG, or null while there is none. */
export function useExportPreview(
  board: Board,
  options: Partial<ExportOptions>,
  planned: ExportLayout | string,
  background: ExportBackground,
): string | null {
  const [preview, setPreview] = useState<string | null>(null)
  // The preview is the same drawing code at a small size, redrawn a moment after the choices settle.
  useEffect(() => {
    if (typeof planned === 'string') {
      setPreview(null)
      return
    }
    const timer = setTimeout(() => {
      const f = Math.min(1, PREVIEW.width / planned.width, PREVIEW.height / planned.height)
      const small = exportLayout(board, {
        ...options,
        format: 'png',
        scale: Math.min(4, Math.max(1, planned.scale)),
        targetWidth: Math.max(1, Math.round(planned.width * f)),
        // Board units: the preview scales the padding with the content, as the export does.
        padding: planned.options.padding,
        background:
          planned.background === undefined
            ? 'transparent'
            : background === 'transparent'
              ? 'board'
              : background,
      })
      const canvas = renderExportCanvas(small)
      setPreview(canvas._canvas.toDataURL('image/png'))
      canvas.setSize(0, 0)
    }, 120)
    return () => clearTimeout(timer)
  }, [board, options, planned, background])

  return preview
}

/**
 * Every note of the export dialog, once each: the plan's (sizes, backgrounds), the characters no shipped font has
 * (SVG and PDF; it takes loading the fonts to know), and what the last export said, which is cleared when a choice
 * changes since it was about other choices.
 */
export function useExportNotes(
  planned: ExportLayout | string,
  format: ExportFormat,
): { notes: string[]; setExportNotes: (notes: string[]) => void } {
  const [exportNotes, setExportNotes] = useState<string[]>([])
  const [glyphNote, setGlyphNote] = useState<string | undefined>()
  useEffect(() => {
    setExportNotes([])
    setGlyphNote(undefined)
    if (typeof planned === 'string' || (format !== 'svg' && format !== 'pdf')) return
    let alive = true
    const texts = planned.items.flatMap(({ element }) => ('text' in element ? [element.text] : []))
    missingGlyphs(texts).then(
      (missing) => alive && setGlyphNote(missingGlyphsNote(missing, format)),
      () => {},
    )
    return () => {
      alive = false
    }
  }, [planned, format])

  const notes = useMemo(() => {
    const all = typeof planned === 'string' ? [] : [...planned.notes]
    for (const note of [glyphNote, ...exportNotes]) if (note && !all.includes(note)) all.push(note)
    return all
  }, [planned, glyphNote, exportNotes])

  return { notes, setExportNotes }
}
