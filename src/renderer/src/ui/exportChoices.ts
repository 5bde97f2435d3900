import { useEffect, useState } from 'react'
import {
  DEFAULT_EXPORT_OPTIONS,
  ExportArea,
  ExportBackground,
  ExportFormat,
  MAX_PADDING,
  MAX_SCALE,
  MIN_SCALE,
} from '../../../shared/export'
import { useCanvasPrefs } from '../canvas/backgroundPrefs'

/** What the export dialog remembers of a board's last export: kept in this browser (localStorage), per board. */
export interface ExportChoices {
  format: ExportFormat
  /** The whole board or the visible area; a selection or a frame is offered afresh whenever one is selected. */
  area: ExportArea
  scale: number
  /** A width in px as typed, or '' for the scale. */
  width: string
  padding: string
  background: ExportBackground
  /** Dark or light as chosen; undefined follows the page's theme. */
  dark?: boolean
  embed: boolean
}

const PREFIX = 'lanvas.export.'

/** The first export of a board: PNG of the whole board at 2×, in the page's theme. */
export const FIRST_CHOICES: ExportChoices = {
  format: DEFAULT_EXPORT_OPTIONS.format,
  area: DEFAULT_EXPORT_OPTIONS.area,
  scale: DEFAULT_EXPORT_OPTIONS.scale,
  width: '',
  padding: String(DEFAULT_EXPORT_OPTIONS.padding),
  background: DEFAULT_EXPORT_OPTIONS.background,
  embed: DEFAULT_EXPORT_OPTIONS.embedBoard,
}

const oneOf = <T>(values: Record<string, T>, v: unknown, fallback: T): T =>
  Object.values(values).includes(v as T) ? (v as T) : fallback
const digits = (v: unknown, fallback: string) => (typeof v === 'string' && /^\d{0,6}$/.test(v) ? v : fallback)

/** A board's remembered choices, each checked (storage is the person's, but a damaged value must not break). */
export function loadExportChoices(boardId: string): ExportChoices {
  let raw: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + boardId) ?? '{}')
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>
  } catch {
    // Unreadable: the first choices.
  }
  const f = FIRST_CHOICES
  const scale = Number(raw.scale)
  const padding = digits(raw.padding, f.padding)
  return {
    format: oneOf(ExportFormat, raw.format, f.format),
    area: raw.area === ExportArea.Visible ? ExportArea.Visible : ExportArea.Board,
    scale: Number.isInteger(scale) && scale >= MIN_SCALE && scale <= MAX_SCALE ? scale : f.scale,
    width: digits(raw.width, f.width),
    padding: Number(padding) <= MAX_PADDING ? padding : f.padding,
    background: oneOf(ExportBackground, raw.background, f.background),
    dark: typeof raw.dark === 'boolean' ? raw.dark : undefined,
    embed: raw.embed === true,
  }
}

/** Keeps a board's choices for its next export. */
export function saveExportChoices(boardId: string, choices: ExportChoices): void {
  try {
    localStorage.setItem(PREFIX + boardId, JSON.stringify(choices))
  } catch {
    // Private mode or storage full: the choices hold until the dialog closes.
  }
}

/**
 * The export dialog's choices: a board's last ones, each change kept for its next export. The area starts on
 * `startArea` (a selection or a frame that is selected), else on the area last chosen, if the view allows it. The
 * theme is the page's until one is picked.
 */
export function useExportChoices(boardId: string, startArea: ExportArea | undefined, hasView: boolean) {
  const [last] = useState(() => loadExportChoices(boardId))
  const [format, setFormat] = useState<ExportFormat>(last.format)
  const [area, setArea] = useState<ExportArea>(
    startArea ?? (last.area === 'visible' && hasView ? 'visible' : 'board'),
  )
  const [scale, setScale] = useState(last.scale)
  const [width, setWidth] = useState(last.width)
  const [padding, setPadding] = useState(last.padding)
  const [background, setBackground] = useState<ExportBackground>(last.background)
  const pageDark = useCanvasPrefs().dark
  const [chosenDark, setDark] = useState<boolean | undefined>(last.dark)
  const [embed, setEmbed] = useState(last.embed)

  // A selection or a frame is offered afresh each time; the area kept is the board or the visible area.
  const keptArea = area === 'board' || area === 'visible' ? area : last.area
  useEffect(() => {
    saveExportChoices(boardId, {
      format,
      area: keptArea,
      scale,
      width,
      padding,
      background,
      dark: chosenDark,
      embed,
    })
  }, [boardId, keptArea, format, scale, width, padding, background, chosenDark, embed])

  return {
    format,
    setFormat,
    area,
    setArea,
    scale,
    setScale,
    width,
    setWidth,
    padding,
    setPadding,
    background,
    setBackground,
    dark: chosenDark ?? pageDark,
    setDark,
    embed,
    setEmbed,
  }
}
