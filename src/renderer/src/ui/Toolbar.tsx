import { TOOL_KEYS, Tool, WRITING_TOOLS } from '../tools/tool'
import {
  ArrowIcon,
  EllipseIcon,
  ImageIcon,
  LineIcon,
  NoteIcon,
  RectangleIcon,
  TextIcon,
} from './elementIcons'
import { EraserIcon, HandIcon, LaserIcon, PenIcon, RedoIcon, SelectIcon, UndoIcon } from './icons'
import './Toolbar.css'

export interface ToolbarProps {
  tool: Tool
  canUndo: boolean
  canRedo: boolean
  /** A viewer: the tools that change the board are shown disabled. */
  readOnly?: boolean
  onTool(tool: Tool): void
  onUndo(): void
  onRedo(): void
}

const TOOLS = [
  { tool: Tool.Select, name: 'Select', icon: <SelectIcon /> },
  { tool: Tool.Hand, name: 'Hand', icon: <HandIcon /> },
  { tool: Tool.Pen, name: 'Pen', icon: <PenIcon /> },
  { tool: Tool.Eraser, name: 'Eraser', icon: <EraserIcon /> },
  { tool: Tool.Rectangle, name: 'Rectangle', icon: <RectangleIcon /> },
  { tool: Tool.Ellipse, name: 'Ellipse', icon: <EllipseIcon /> },
  { tool: Tool.Arrow, name: 'Arrow', icon: <ArrowIcon /> },
  { tool: Tool.Line, name: 'Line', icon: <LineIcon /> },
  { tool: Tool.Text, name: 'Text', icon: <TextIcon /> },
  { tool: Tool.Note, name: 'Sticky note', icon: <NoteIcon /> },
  { tool: Tool.Image, name: 'Image', icon: <ImageIcon /> },
  { tool: Tool.Laser, name: 'Laser pointer', icon: <LaserIcon /> },
].map((t) => ({ ...t, label: `${t.name} (${keysOf(t.tool)})` }))

/** The keys that pick a tool, as a tooltip names them: "V or 1". */
function keysOf(tool: Tool): string {
  return Object.entries(TOOL_KEYS)
    .filter(([, t]) => t === tool)
    .map(([k]) => k.toUpperCase())
    .join(' or ')
}

/**
 * The floating toolbar: every tool, its tooltip naming its keys (letters as in Excalidraw and tldraw, digits in
 * Excalidraw's order), then undo and redo. Colours and widths are in the style panel.
 */
export function Toolbar(props: ToolbarProps) {
  const { tool, canUndo, canRedo, readOnly = false, onTool, onUndo, onRedo } = props
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
