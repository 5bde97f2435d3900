// Board export: PNG (streamed in tiles), JPEG, WebP, SVG and PDF through the scene's element nodes; see
// docs/export.md.

export {
  type BandPlan,
  type BandShare,
  bandCount,
  bandPlan,
  bandShares,
  drawBand,
  shareItems,
} from './bands'
export { type Blend, itemBlend } from './blend'
export { BOARD_PAPER, backgroundColor, darkModeColor, exportedElement, inkColor } from './color'
export { boardToBase64, embedBoardInPng, extractEmbeddedBoard } from './embed'
export {
  type BandRenderer,
  type ExportResult,
  type ExportRun,
  encodeCanvas,
  exportBoard,
  type PreparedExport,
  prepareExport,
  writeExport,
} from './exportBoard'
export { exportedFrame, type FrameArea, frameNamed } from './frameArea'
export {
  type BoxWalker,
  boardPaper,
  type ExportItem,
  type ExportLayout,
  exportLayout,
  exportLayoutWalked,
  itemElement,
  walkBoxes,
} from './layout'
export {
  DEFAULT_EXPORT_OPTIONS,
  ExportArea,
  ExportBackground,
  ExportError,
  ExportFormat,
  type ExportOptions,
  type ExportViewport,
  FORMATS,
  type FormatInfo,
  formatOfFileName,
  MAX_PADDING,
  MAX_SCALE,
  MIN_SCALE,
  normalizeExportOptions,
} from './options'
export { BOARD_CHUNK, type ByteSink, filterRows, PngStream } from './png'
export { ExportPainter, exportCanvas, GarbageAfterBands, renderExportCanvas } from './raster'
export { exportSvg, outlinePathData, SVG_BOARD_NAMESPACE } from './svg'
export { missingGlyphs, missingGlyphsNote } from './textFonts'
export {
  type Matrix,
  type Paint,
  type TextLine,
  type VectorElement,
  type VectorPart,
  vectorElement,
} from './vector'
