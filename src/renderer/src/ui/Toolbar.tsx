import type { StrokeStyle } from '../../../shared/board'
import { PALETTE, Tool, WIDTHS, WRITING_TOOLS } from '../tools/tool'
import {
  ArrowIcon,
  EllipseIcon,
  ImageIcon,
  LineIcon,
  NoteIcon,
  RectangleIcon,
  TextIcon,
} from './elementIcons'
import { EraserIcon, HandIcon, LaserIcon, PenIcon, RedoIcon, UndoIcon } from './icons'

export interface ToolbarProps {
  tool: Tool
  style: StrokeStyle
  canUndo: boolean
  canRedo: boolean
  /** A viewer: the tools that change the board are shown disabled. */
  readOnly?: boolean
  onTool(tool: Tool): void
  onStyle(style: StrokeStyle): void
  onUndo(): void
  onRedo(): void
}

const TOOLS = [
  { tool: Tool.Pen, label: 'Pen (P)', icon: <PenIcon /> },
  { tool: Tool.Eraser, label: 'Eraser (E)', icon: <EraserIcon /> },
  { tool: Tool.Hand, label: 'Hand (H)', icon: <HandIcon /> },
  { tool: Tool.Laser, label: 'Laser pointer (K)', icon: <LaserIcon /> },
  { tool: Tool.Rectangle, label: 'Rectangle (R)', icon: <RectangleIcon /> },
  { tool: Tool.Ellipse, label: 'Ellipse (O)', icon: <EllipseIcon /> },
  { tool: Tool.Line, label: 'Line (L)', icon: <LineIcon /> },
  { tool: Tool.Arrow, label: 'Arrow (A)', icon: <ArrowIcon /> },
  { tool: Tool.Text, label: 'Text (T)', icon: <TextIcon /> },
  { tool: Tool.Note, label: 'Sticky note (N)', icon: <NoteIcon /> },
  { tool: Tool.Image, label: 'Image (I)', icon: <ImageIcon /> },
] as const

/** The floating toolbar: tools, ink colour and width, undo and redo. */
export function Toolbar(props: ToolbarProps) {
  const { tool, style, canUndo, canRedo, readOnly = false, onTool, onStyle, onUndo, onRedo } = props
  const custom = !PALETTE.includes(style.color as (typeof PALETTE)[number])
  return (
    <div className="toolbar panel" role="toolbar" aria-label="Tools">
      <div className="group">
        {TOOLS.map((t) => (
          <button
            key={t.tool}
            type="button"
            className={`icon-button${tool === t.tool ? ' active' : ''}`}
            data-testid={`tool-${t.tool}`}
            title={readOnly && WRITING_TOOLS.has(t.tool) ? `${t.label} — viewing only` : t.label}
            aria-label={t.label}
            aria-pressed={tool === t.tool}
            disabled={readOnly && WRITING_TOOLS.has(t.tool)}
            onClick={() => onTool(t.tool)}
          >
            {t.icon}
          </button>
        ))}
      </div>
      <div className="separator" />
      <fieldset className="group palette" aria-label="Colour" disabled={readOnly}>
        {PALETTE.map((c) => (
          <button
            key={c}
            type="button"
            className={`swatch${style.color === c ? ' active' : ''}`}
            style={{ background: c }}
            data-testid={`color-${c.slice(1)}`}
            title={c}
            aria-label={`Colour ${c}`}
            aria-pressed={style.color === c}
            onClick={() => {
              onStyle({ ...style, color: c })
              if (!WRITING_TOOLS.has(tool) || tool === Tool.Eraser) onTool(Tool.Pen)
            }}
          />
        ))}
        <label className={`swatch custom${custom ? ' active' : ''}`} title="Custom colour">
          <input
            type="color"
            data-testid="color-custom"
            aria-label="Custom colour"
            value={style.color}
            onChange={(e) => onStyle({ ...style, color: e.target.value })}
          />
        </label>
      </fieldset>
      <div className="separator" />
      <fieldset className="group" aria-label="Width" disabled={readOnly}>
        {WIDTHS.map((w) => (
          <button
            key={w}
            type="button"
            className={`icon-button${style.width === w ? ' active' : ''}`}
            data-testid={`width-${w}`}
            title={`Width ${w}`}
            aria-label={`Width ${w}`}
            aria-pressed={style.width === w}
            onClick={() => onStyle({ ...style, width: w })}
          >
            <span className="width-dot" style={{ width: Math.min(18, w + 2), height: Math.min(18, w + 2) }} />
          </button>
        ))}
      </fieldset>
      <div className="separator" />
      <div className="group">
        <button
          type="button"
          className="icon-button"
          data-testid="undo"
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
          disabled={readOnly || !canUndo}
          onClick={onUndo}
        >
          <UndoIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="redo"
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
          disabled={readOnly || !canRedo}
          onClick={onRedo}
        >
          <RedoIcon />
        </button>
      </div>
    </div>
  )
}
