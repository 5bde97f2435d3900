import { type RefObject, useEffect, useRef } from 'react'
import type { Board, BoardPoint } from '../../../shared/board'
import { screenToBoard } from '../../../shared/geometry'
import { addImageFiles, imageFiles } from '../tools/imageFiles'
import { Tool } from '../tools/tool'
import type { ViewportStore } from './viewportStore'

export interface ImageInputOptions {
  board: Board
  viewport: ViewportStore
  /** The canvas element images are dropped on. */
  target: RefObject<HTMLElement | null>
  /** The hidden file input the image tool opens. */
  fileInput: RefObject<HTMLInputElement | null>
  tool: Tool
  readOnly: boolean
  onTool?: (tool: Tool) => void
  onMessage?: (kind: 'info' | 'error', text: string) => void
}

/**
 * Images come in three ways: pasted (a paste event carrying image files), dropped on the canvas, or picked with
 * the image tool (I), which opens the file picker and then hands back the tool that was in use before.
 */
export function useImageInput(options: ImageInputOptions): void {
  const { board, viewport, target, fileInput, tool, readOnly } = options
  const callbacks = useRef(options)
  callbacks.current = options
  const previousTool = useRef<Tool>(Tool.Pen)
  const pointer = useRef<{ x: number; y: number } | null>(null)

  const add = (files: File[], at: BoardPoint) => {
    void addImageFiles(board, files, at).then(({ errors }) => {
      for (const e of errors) callbacks.current.onMessage?.('error', e)
    })
  }
  const addRef = useRef(add)
  addRef.current = add

  const viewCentre = (): BoardPoint => {
    const { width, height } = viewport.screenSize()
    return screenToBoard(viewport.get(), width / 2, height / 2)
  }

  // Paste: where the pointer last was over the canvas, else the middle of the view.
  useEffect(() => {
    const el = target.current
    const onMove = (e: PointerEvent) => {
      const r = el?.getBoundingClientRect()
      if (r) pointer.current = { x: e.clientX - r.left, y: e.clientY - r.top }
    }
    const onLeave = () => {
      pointer.current = null
    }
    const onPaste = (e: ClipboardEvent) => {
      const t = e.target as HTMLElement | null
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA'].includes(t.tagName))) return
      const files = imageFiles(e.clipboardData?.files)
      if (files.length === 0 || readOnly) return
      e.preventDefault()
      const p = pointer.current
      addRef.current(files, p ? screenToBoard(viewport.get(), p.x, p.y) : viewCentre())
    }
    el?.addEventListener('pointermove', onMove)
    el?.addEventListener('pointerleave', onLeave)
    window.addEventListener('paste', onPaste)
    return () => {
      el?.removeEventListener('pointermove', onMove)
      el?.removeEventListener('pointerleave', onLeave)
      window.removeEventListener('paste', onPaste)
    }
  })

  // Drop: where the files were dropped.
  useEffect(() => {
    const el = target.current
    if (!el) return
    const onOver = (e: DragEvent) => {
      if (!readOnly && e.dataTransfer?.types.includes('Files')) {
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }
    }
    const onDrop = (e: DragEvent) => {
      const files = imageFiles(e.dataTransfer?.files)
      if (files.length === 0 || readOnly) return
      e.preventDefault()
      const r = el.getBoundingClientRect()
      addRef.current(files, screenToBoard(viewport.get(), e.clientX - r.left, e.clientY - r.top))
    }
    el.addEventListener('dragover', onOver)
    el.addEventListener('drop', onDrop)
    return () => {
      el.removeEventListener('dragover', onOver)
      el.removeEventListener('drop', onDrop)
    }
  })

  // The image tool: open the picker once; whatever happens, go back to the tool before.
  // biome-ignore lint/correctness/useExhaustiveDependencies: viewCentre reads the store when called; the picker opens once per choice of the tool
  useEffect(() => {
    if (tool !== Tool.Image) {
      previousTool.current = tool
      return
    }
    const input = fileInput.current
    if (!input) return
    const back = () => callbacks.current.onTool?.(previousTool.current)
    const onChange = () => {
      const files = imageFiles(input.files)
      input.value = ''
      if (files.length > 0) addRef.current(files, viewCentre())
      back()
    }
    input.addEventListener('change', onChange, { once: true })
    input.addEventListener('cancel', back, { once: true })
    input.click()
    return () => {
      input.removeEventListener('change', onChange)
      input.removeEventListener('cancel', back)
    }
  }, [tool, fileInput])
}
