import { eraserTool } from './eraser'
import { frameTool } from './frameTool'
import type { CanvasTool } from './gesture'
import { handTool } from './hand'
import { penTool } from './pen'
import { selectTool } from './selectTool'
import { shapeTool } from './shapeTool'
import { textTool } from './textTool'
import { SHAPE_TOOLS, Tool } from './tool'

/** A tool whose presses the canvas leaves to others: the laser (presence draws it) and the image picker. */
const pointerOnly: CanvasTool = { cursor: 'crosshair', down: () => null }

/** Every tool's gesture, by tool: the canvas dispatches pointer events to the active one. */
export const CANVAS_TOOLS: Record<Tool, CanvasTool> = {
  [Tool.Select]: selectTool,
  [Tool.Pen]: penTool,
  [Tool.Eraser]: eraserTool,
  [Tool.Hand]: handTool,
  [Tool.Laser]: pointerOnly,
  [Tool.Rectangle]: shapeTool(SHAPE_TOOLS[Tool.Rectangle]),
  [Tool.Ellipse]: shapeTool(SHAPE_TOOLS[Tool.Ellipse]),
  [Tool.Line]: shapeTool(SHAPE_TOOLS[Tool.Line]),
  [Tool.Arrow]: shapeTool(SHAPE_TOOLS[Tool.Arrow]),
  [Tool.Text]: textTool(Tool.Text),
  [Tool.Note]: textTool(Tool.Note),
  [Tool.Image]: pointerOnly,
  [Tool.Frame]: frameTool,
}
