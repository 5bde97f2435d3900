import type { Viewport } from '../geometry'

/** The file formats a board exports to. */
export const ExportFormat = { Png: 'png', Jpeg: 'jpeg', Webp: 'webp', Svg: 'svg', Pdf: 'pdf' } as const
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat]

/** What part of the board is exported. */
export const ExportArea = {
  Board: 'board',
  Visible: 'visible',
  Selection: 'selection',
  Frame: 'frame',
} as const
export type ExportArea = (typeof ExportArea)[keyof typeof ExportArea]

/** What is behind the ink. */
export const ExportBackground = { Board: 'board', White: 'white', Transparent: 'transparent' } as const
export type ExportBackground = (typeof ExportBackground)[keyof typeof ExportBackground]

/** What the format is, in the words files and browsers use. */
export interface FormatInfo {
  mime: string
  extension: string
  /** A user-facing name. */
  label: string
  vector: boolean
  transparency: boolean
  /** The largest side the format (or, for single-canvas encoders, a canvas) can hold, in px. */
  maxSide: number
  /** Whether the board can be embedded in the file (and restored from it). */
  embeds: boolean
}

/**
 * A canvas larger than this (px a side, px in all) is not made in one piece: browsers refuse or fail silently
 * beyond about 16k a side / 268 Mpx, and 64 Mpx of RGBA is already 256 MB.
 */
export const MAX_CANVAS_SIDE = 16_384
export const MAX_CANVAS_PIXELS = 64 * 1024 * 1024

/** Formats and their limits. JPEG and WebP encoders need the whole image in one canvas, so they cap there too. */
export const FORMATS: Record<ExportFormat, FormatInfo> = {
  png: {
    mime: 'image/png',
    extension: 'png',
    label: 'PNG',
    vector: false,
    transparency: true,
    // PNG allows 2^31; decoders commonly stop at 65,535, and tiles stream any size up to it.
    maxSide: 65_535,
    embeds: true,
  },
  jpeg: {
    mime: 'image/jpeg',
    extension: 'jpg',
    label: 'JPEG',
    vector: false,
    transparency: false,
    maxSide: Math.min(65_535, MAX_CANVAS_SIDE),
    embeds: false,
  },
  webp: {
    mime: 'image/webp',
    extension: 'webp',
    label: 'WebP',
    vector: false,
    transparency: true,
    maxSide: Math.min(16_383, MAX_CANVAS_SIDE),
    embeds: false,
  },
  svg: {
    mime: 'image/svg+xml',
    extension: 'svg',
    label: 'SVG',
    vector: true,
    transparency: true,
    maxSide: 10_000_000,
    embeds: true,
  },
  pdf: {
    mime: 'application/pdf',
    extension: 'pdf',
    label: 'PDF',
    vector: true,
    transparency: false,
    // PDF 1.7 pages are at most 14,400 user units a side; larger exports are scaled down to fit (see pdf.ts).
    maxSide: 10_000_000,
    embeds: false,
  },
}

/** The viewport the "visible" area exports: the board's view and the screen size in CSS px. */
export interface ExportViewport extends Viewport {
  width: number
  height: number
}

/** Everything a person chooses when exporting. */
export interface ExportOptions {
  format: ExportFormat
  area: ExportArea
  /** Required for area 'visible'. */
  viewport?: ExportViewport
  /** Element ids; required for area 'selection'. */
  selection?: readonly string[]
  /** A frame's id; required for area 'frame' (its members, cut to its area). */
  frame?: string
  /** Output px per board unit, 1..4; ignored when targetWidth is set. */
  scale: number
  /** Output width in px (padding included, scaled with the content); overrides scale. */
  targetWidth?: number
  /** Empty space around the content, in board units, scaled with it (board and selection areas). */
  padding: number
  background: ExportBackground
  /** Dark board: dark paper, light ink (like the dark theme). */
  dark: boolean
  /** Put the .lanvas board inside a PNG or SVG so that opening the image restores an editable board. */
  embedBoard: boolean
  /** JPEG/WebP quality 0..1. */
  quality?: number
}

/** Sensible choices: the whole board as PNG at 2x with some padding. */
export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  format: 'png',
  area: 'board',
  scale: 2,
  padding: 16,
  background: 'board',
  dark: false,
  embedBoard: false,
  quality: 0.92,
}

export const MIN_SCALE = 1
export const MAX_SCALE = 4
/** Target widths outside this range are refused. */
export const MAX_TARGET_WIDTH = FORMATS.png.maxSide
export const MAX_PADDING = 2000

/** Why an export could not be made, in words a user can act on. */
export class ExportError extends Error {
  override name = 'ExportError'
}

/** The format that a file name's extension names, or undefined. */
export function formatOfFileName(name: string): ExportFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase()
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg'
  if (ext === 'png' || ext === 'webp' || ext === 'svg' || ext === 'pdf') return ext
  return undefined
}

/** Checks options and fills defaults; throws ExportError with a one-line message for a bad choice. */
export function normalizeExportOptions(input: Partial<ExportOptions>): ExportOptions {
  const o: ExportOptions = { ...DEFAULT_EXPORT_OPTIONS, ...stripUndefined(input) }
  if (!(o.format in FORMATS)) throw new ExportError(`Unknown export format "${o.format}".`)
  if (!Object.values(ExportArea).includes(o.area)) throw new ExportError(`Unknown export area "${o.area}".`)
  if (!Object.values(ExportBackground).includes(o.background))
    throw new ExportError(`Unknown background "${o.background}" (board, white or transparent).`)
  if (!Number.isFinite(o.scale) || o.scale < MIN_SCALE || o.scale > MAX_SCALE)
    throw new ExportError(`The scale must be a number from ${MIN_SCALE} to ${MAX_SCALE}, not ${o.scale}.`)
  if (
    o.targetWidth !== undefined &&
    (!Number.isInteger(o.targetWidth) || o.targetWidth < 1 || o.targetWidth > MAX_TARGET_WIDTH)
  )
    throw new ExportError(`The width must be a whole number of pixels from 1 to ${MAX_TARGET_WIDTH}.`)
  if (!Number.isFinite(o.padding) || o.padding < 0 || o.padding > MAX_PADDING)
    throw new ExportError(`The padding must be from 0 to ${MAX_PADDING} board units, not ${o.padding}.`)
  if (o.quality !== undefined && !(o.quality >= 0 && o.quality <= 1))
    throw new ExportError('The quality must be from 0 to 1.')
  if (o.area === 'visible') {
    const v = o.viewport
    if (!v || !(v.width > 0 && v.height > 0 && v.zoom > 0) || !Number.isFinite(v.x + v.y))
      throw new ExportError('Exporting the visible area needs the view (position, zoom and screen size).')
  }
  if (o.area === 'selection' && (!o.selection || o.selection.length === 0))
    throw new ExportError('Nothing is selected: select something, or export the whole board.')
  if (o.area === 'frame' && !o.frame) throw new ExportError('Exporting a frame needs the frame to export.')
  return o
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
