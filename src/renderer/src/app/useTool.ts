import { useCallback, useEffect, useState } from 'react'
import { DEFAULT_STYLE, type ToolStyle } from '../tools/style'
import { Tool, WRITING_TOOLS } from '../tools/tool'

/** The tool in hand and the style it draws with; a viewer cannot hold a tool that writes. */
export function useTool(viewOnly: boolean) {
  const [tool, setTool] = useState<Tool>(Tool.Pen)
  const [style, setStyle] = useState<ToolStyle>(DEFAULT_STYLE)
  // Q: the tool stays after each shape, text or note (Excalidraw's tool lock); off, they hand back to Select.
  const [toolLocked, setToolLocked] = useState(false)
  const toggleToolLock = useCallback(() => setToolLocked((on) => !on), [])

  // The hand is the harmless default.
  useEffect(() => {
    if (viewOnly && WRITING_TOOLS.has(tool)) setTool(Tool.Hand)
  }, [viewOnly, tool])

  /** Shift+P: the pen as a highlighter (and back); Shift+E: the eraser cutting ink (and back). */
  const toggleStyle = useCallback((flag: 'highlighter' | 'partialEraser') => {
    setTool(flag === 'highlighter' ? Tool.Pen : Tool.Eraser)
    setStyle((s) => ({ ...s, [flag]: !s[flag] }))
  }, [])

  /** A tool's key or button: the pen's gives plain ink, even after Shift+P made it a highlighter. */
  const pickTool = useCallback((next: Tool) => {
    setTool(next)
    if (next === Tool.Pen) setStyle((s) => (s.highlighter ? { ...s, highlighter: false } : s))
  }, [])

  return { tool, setTool, pickTool, style, setStyle, toggleStyle, toolLocked, toggleToolLock }
}
