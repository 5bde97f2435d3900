// The dialog is one form whose choices all feed one plan and one preview; its parts that stand alone (the frame
// choices, the remembered choices, the preview and the notes) live beside it.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Board } from '../../../shared/board'
import {
  type ExportArea,
  type ExportBackground,
  ExportError,
  type ExportFormat,
  type ExportLayout,
  type ExportOptions,
  type ExportViewport,
  exportBoard,
  exportLayout,
  FORMATS,
} from '../../../shared/export'
import { startBandWorkers, wantsWorkers } from '../export/bandWorkers'
import { copyBoardImage, downloadBytes } from '../export/clipboard'
import './ExportDialog.css'
import { errorMessage } from '../../../shared/errors'
import { ExportFrameChoices, exportFrames } from './ExportFrameChoices'
import { useExportChoices } from './exportChoices'
import { useExportNotes, useExportPreview } from './exportDialogState'

export interface ExportDialogProps {
  board: Board
  /** The board's id: the dialog remembers its choices per board (default: one set for every board). */
  boardId?: string
  /** The view on screen, for "Visible area"; without it that choice is off. */
  viewport?: ExportViewport
  /** Selected element ids, for "Selection"; empty turns that choice off. */
  selection?: readonly string[]
  /** The file name without extension (default "Board"). */
  boardName?: string
  /** Saves the file (the app: the save dialog through the bridge); resolves to a message to show, or null. Default: a download. */
  onSave?(
    bytes: Uint8Array,
    fileName: string,
    mime: string,
  ): Promise<string | null> | string | null | undefined
  onClose(): void
}

const AREAS: { value: ExportArea; label: string }[] = [
  { value: 'board', label: 'Whole board' },
  { value: 'visible', label: 'Visible area' },
  { value: 'selection', label: 'Selection' },
]
const BACKGROUNDS: { value: ExportBackground; label: string }[] = [
  { value: 'board', label: 'Board' },
  { value: 'white', label: 'White' },
  { value: 'transparent', label: 'Transparent' },
]

type Progress = { fraction: number; abort: AbortController } | null

const NO_SELECTION: readonly string[] = []

/**
 * The export dialog: live preview, format, area, size, padding, background, theme, embedding; Export and Copy. It
 * remembers a board's choices for its next export, follows the page's theme until a theme is chosen, and stays open
 * after an export, saying where the file went and everything the export had to say.
 */
export function ExportDialog({
  board,
  boardId = 'board',
  viewport: viewportAtOpen,
  selection: selectionAtOpen = NO_SELECTION,
  boardName = 'Board',
  onSave,
  onClose,
}: ExportDialogProps) {
  // The view and selection as they were when the dialog opened: the parent passes fresh objects on every render,
  // and a new object would re-plan the export and restart the preview each time.
  const [viewport] = useState(viewportAtOpen)
  const [selection] = useState(selectionAtOpen)
  const [{ frames, chosen }] = useState(() => exportFrames(board, selection))
  const [frame, setFrame] = useState(chosen)
  // Remembered per board; the page's theme until a theme is picked here. A selected frame, or a selection, is
  // what the person means to export; otherwise the area last chosen.
  const startArea = frame ? 'frame' : selection.length > 0 ? 'selection' : undefined
  const c = useExportChoices(boardId, startArea, viewport !== undefined)
  const { format, area, scale, width, padding, background, dark, embed } = c
  const { setFormat, setArea, setScale, setWidth, setPadding, setBackground, setDark, setEmbed } = c
  const [progress, setProgress] = useState<Progress>(null)
  const [message, setMessage] = useState<string | null>(null)
  const info = FORMATS[format]

  const options: Partial<ExportOptions> = useMemo(
    () => ({
      format,
      area,
      viewport,
      selection,
      frame,
      scale,
      targetWidth: width.trim() === '' ? undefined : Number(width),
      padding: padding.trim() === '' ? 0 : Number(padding),
      background,
      dark,
      embedBoard: embed && info.embeds,
    }),
    [format, area, viewport, selection, frame, scale, width, padding, background, dark, embed, info.embeds],
  )

  // The layout says at once what the file will be (size, notes) or why it cannot be.
  const planned = useMemo((): ExportLayout | string => {
    try {
      return exportLayout(board, options)
    } catch (error) {
      if (error instanceof ExportError) return error.message
      throw error
    }
  }, [board, options])

  const { notes, setExportNotes } = useExportNotes(planned, format)
  const preview = useExportPreview(board, options, planned, background)

  const busy = progress !== null
  // The export running now, if any: read by Escape at the moment of the key, not from the last render (a key
  // pressed just after the file was handed over must close the dialog, not cancel a finished export).
  const running = useRef<AbortController | null>(null)
  // Keys go to the dialog while it is open (Escape, Tab through its fields), not to whatever had focus below.
  const dialogRef = useRef<HTMLDivElement>(null)
  useEffect(() => dialogRef.current?.focus(), [])
  useEffect(() => {
    // Escape closes (or cancels) this dialog only: a key of the dialog, not an app command (it would deselect),
    // so it is taken before the app's listener sees it.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      if (running.current) running.current.abort(new DOMException('Export cancelled.', 'AbortError'))
      else onClose()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onClose])

  const save = async () => {
    if (typeof planned === 'string') return
    const abort = new AbortController()
    setMessage(null)
    setProgress({ fraction: 0, abort })
    running.current = abort
    // A PNG of several bands draws them in Web Workers where the browser can (bandWorkers.ts); where a worker does
    // not start, on this thread as before.
    const workers = wantsWorkers(planned, options) ? await startBandWorkers() : undefined
    try {
      const result = await exportBoard(board, options, {
        signal: abort.signal,
        onProgress: (fraction) => setProgress({ fraction, abort }),
        bands: workers?.bands,
      })
      running.current = null
      const fileName = `${boardName}.${result.extension}`
      const bytes = result.bytes as Uint8Array
      const said = onSave
        ? await onSave(bytes, fileName, result.mime)
        : downloadBytes(bytes, fileName, result.mime)
      setProgress(null)
      // The dialog stays open: another format or size is one click away, and the notes stay readable.
      if (said === null) setMessage('Not exported: no file was chosen.')
      else {
        setMessage(typeof said === 'string' ? said : `Exported: ${fileName}`)
        setExportNotes(result.notes)
      }
    } catch (error) {
      running.current = null
      setProgress(null)
      setMessage(abort.signal.aborted ? 'Export cancelled.' : errorMessage(error))
    } finally {
      workers?.close()
    }
  }

  const copy = async () => {
    setMessage(null)
    const abort = new AbortController()
    setProgress({ fraction: 0, abort })
    running.current = abort
    const said = await copyBoardImage(board, { ...options, format: 'png' }, abort.signal)
    running.current = null
    setProgress(null)
    setMessage(abort.signal.aborted ? 'Copy cancelled.' : (said ?? 'Copied to the clipboard as PNG.'))
  }

  const sizeLine =
    typeof planned === 'string'
      ? planned
      : `${planned.width.toLocaleString()} × ${planned.height.toLocaleString()} px ${info.label}`

  return (
    <div className="scrim">
      <div
        ref={dialogRef}
        tabIndex={-1}
        className="dialog panel export-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Export"
        data-testid="export-dialog"
        // A modal dialog: keys pressed in it are not the board's shortcuts (Delete, tool letters).
        onKeyDown={(e) => e.stopPropagation()}
      >
        <h2>Export</h2>
        {/* Only the choices scroll: the title and the buttons stay in sight in a short window. */}
        <div className="export-body">
          <div
            className={`export-preview${background === 'transparent' && info.transparency ? ' checker' : ''}`}
          >
            {preview ? (
              <img src={preview} alt="Preview of the export" data-testid="export-preview" />
            ) : (
              <span className="muted">{typeof planned === 'string' ? planned : 'Drawing the preview…'}</span>
            )}
          </div>
          <p className="muted export-size" data-testid="export-size">
            {sizeLine}
          </p>
          {notes.map((note) => (
            <p key={note} className="export-note" data-testid="export-note">
              {note}
            </p>
          ))}
          <div className="export-grid">
            <label htmlFor="export-format">Format</label>
            <select
              id="export-format"
              data-testid="export-format"
              value={format}
              onChange={(e) => setFormat(e.target.value as ExportFormat)}
            >
              {(Object.keys(FORMATS) as ExportFormat[]).map((f) => (
                <option key={f} value={f}>
                  {FORMATS[f].label}
                </option>
              ))}
            </select>

            <span>Area</span>
            <fieldset className="export-choices" aria-label="Area">
              {AREAS.map((a) => (
                <button
                  key={a.value}
                  type="button"
                  aria-pressed={area === a.value}
                  className={`text-button${area === a.value ? ' active' : ''}`}
                  data-testid={`export-area-${a.value}`}
                  disabled={
                    (a.value === 'visible' && !viewport) ||
                    (a.value === 'selection' && selection.length === 0)
                  }
                  onClick={() => setArea(a.value)}
                >
                  {a.label}
                </button>
              ))}
              <ExportFrameChoices
                frames={frames}
                chosen={area === 'frame' ? frame : undefined}
                onChoose={(id) => {
                  setFrame(id)
                  setArea('frame')
                }}
              />
            </fieldset>

            <span>Scale</span>
            <fieldset className="export-choices" aria-label="Scale">
              {[1, 2, 3, 4].map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={width === '' && scale === s}
                  className={`text-button${width === '' && scale === s ? ' active' : ''}`}
                  data-testid={`export-scale-${s}`}
                  onClick={() => {
                    setScale(s)
                    setWidth('')
                  }}
                >
                  {s}×
                </button>
              ))}
              <span className="export-or">or</span>
              <span className="export-unit">
                <input
                  className="text-input export-number"
                  aria-label="Width in pixels"
                  data-testid="export-width"
                  inputMode="numeric"
                  placeholder="width"
                  value={width}
                  onChange={(e) => setWidth(e.target.value.replace(/[^\d]/g, ''))}
                />
                px wide
              </span>
            </fieldset>

            <label htmlFor="export-padding">Padding</label>
            <span className="export-unit">
              <input
                id="export-padding"
                className="text-input export-number"
                data-testid="export-padding"
                inputMode="numeric"
                value={padding}
                onChange={(e) => setPadding(e.target.value.replace(/[^\d]/g, ''))}
              />
              {/* Board units: pixels at 1×, scaled with the image. */}
              px at 1×
            </span>

            <label htmlFor="export-background">Background</label>
            <select
              id="export-background"
              data-testid="export-background"
              value={background}
              onChange={(e) => setBackground(e.target.value as ExportBackground)}
            >
              {BACKGROUNDS.map((b) => (
                <option
                  key={b.value}
                  value={b.value}
                  disabled={b.value === 'transparent' && !info.transparency}
                >
                  {b.label}
                  {b.value === 'transparent' && !info.transparency ? ` (not in ${info.label})` : ''}
                </option>
              ))}
            </select>

            <span>Theme</span>
            <fieldset className="export-choices" aria-label="Theme">
              {[false, true].map((d) => (
                <button
                  key={String(d)}
                  type="button"
                  aria-pressed={dark === d}
                  className={`text-button${dark === d ? ' active' : ''}`}
                  data-testid={`export-theme-${d ? 'dark' : 'light'}`}
                  onClick={() => setDark(d)}
                >
                  {d ? 'Dark' : 'Light'}
                </button>
              ))}
            </fieldset>

            <span />
            <label className="export-check">
              <input
                type="checkbox"
                data-testid="export-embed"
                checked={embed && info.embeds}
                disabled={!info.embeds}
                onChange={(e) => setEmbed(e.target.checked)}
              />
              {info.embeds
                ? `Embed board (opening the ${info.label} restores it)`
                : 'Embed board (PNG and SVG only)'}
            </label>
          </div>
        </div>
        <div className="export-footer">
          {progress && (
            <div className="export-progress" data-testid="export-progress">
              <progress max={1} value={progress.fraction} />
              <button
                type="button"
                className="text-button"
                data-testid="export-cancel"
                onClick={() => progress.abort.abort(new DOMException('Export cancelled.', 'AbortError'))}
              >
                Cancel
              </button>
            </div>
          )}
          {message && (
            <p className="export-message" data-testid="export-message" role="status">
              {message}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" className="text-button" onClick={onClose} disabled={busy}>
              Close
            </button>
            <button
              type="button"
              className="text-button"
              data-testid="export-copy"
              disabled={busy || typeof planned === 'string'}
              onClick={copy}
            >
              Copy PNG
            </button>
            <button
              type="button"
              className="primary-button"
              data-testid="export-save"
              disabled={busy || typeof planned === 'string'}
              onClick={save}
            >
              Export
            </button>
          </div>
        </div>
      </div>
    </div>
  )
}
