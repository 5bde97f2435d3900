// Board export: PNG (streamed in tiles), JPEG, WebP, SVG and PDF through the scene code; see docs/export.md.
export { BOARD_PAPER, backgroundColor, darkModeColor, inkColor } from './color'
export { boardToBase64, embedBoardInPng, extractEmbeddedBoard } from './embed'
export { type ExportResult, type ExportRun, encodeCanvas, exportBoard } from './exportBoard'
export { type ExportItem, type ExportLayout, exportLayout } from './layout'
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
  MAX_SCALE,
  MIN_SCALE,
  normalizeExportOptions,
} from './options'
export { BOARD_CHUNK, type ByteSink, PngStream } from './png'
export { ExportPainter, exportCanvas, renderExportCanvas } from './raster'
export { exportSvg, outlinePathData, SVG_BOARD_NAMESPACE } from './svg'
