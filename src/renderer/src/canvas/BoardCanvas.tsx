import type Konva from 'konva'
import { useEffect, useRef, useState } from 'react'
import { Layer, Stage } from 'react-konva'
import type { Board, StrokeStyle } from '../../../shared/board'
import { holdsLabel } from '../../../shared/elements/label'
import { screenToBoard, visibleRect, zoomAround } from '../../../shared/geometry'
import type { BoardOverview } from '../../../shared/sync/overview'
import type { BoardPreview } from '../../../shared/sync/preview'
import { SelectionLayer } from '../selection/selectionLayer'
import type { SelectionStore } from '../selection/selectionStore'
import type { Gesture, PointerInput, ToolContext } from '../tools/gesture'
import { handTool } from '../tools/hand'
import { samplePressure } from '../tools/pen'
import { DEFAULT_STYLE, type ToolStyle } from '../tools/style'
import { CANVAS_TOOLS } from '../tools/table'
import { textAt } from '../tools/textTool'
import { ERASER_RADIUS_PX, ONE_USE_TOOLS, Tool } from '../tools/tool'
import { CanvasBackground } from './background'
import { BoardScene } from './boardScene'
import { FrameNameEditor, frameNameAt } from './FrameNameEditor'
import { OverviewLayer } from './overviewLayer'
import { screenPacing } from './screenPacing'
import { editsInPlace, LABEL_HIT_PX, labelTargetAt } from './shapeLabel'
import { TextEditor } from './TextEditor'
import { useImageInput } from './useImageInput'
import type { ViewportStore } from './viewportStore'
import './BoardCanvas.css'

export interface BoardCanvasProps {
  board: Board
  /** Strokes in view the host sent ahead of the board: drawn read-only until it has come. */
  preview?: BoardPreview
  /** The host's picture of the whole board: drawn under the scene until the board has come. */
  overview?: BoardOverview
  viewport: ViewportStore
  tool: Tool
  /** The style of what the tools draw; pen-only styles ({ color, width }) get the defaults for the rest. */
  style: StrokeStyle | ToolStyle
  /** Session viewer: pen and eraser do nothing, whatever the tool says (the host would drop the edits anyway). */
  readOnly?: boolean
  /** Space is held: the hand, whatever the tool (the app's keyboard handler says so). */
  handHeld?: boolean
  onScene?: (scene: BoardScene | null) => void
  /** Receives what opens the in-place editor on an element (Enter on a selected one), and null when it goes. */
  onEditor?: (start: ((id: string) => void) | null) => void
  /** Picks another tool (the image tool hands back the one before it once the file picker closes). */
  onTool?: (tool: Tool) => void
  /** The tool lock (Q): a shape, text or note tool stays after use instead of handing back to Select. */
  toolLocked?: boolean
  /** Something the person should know (an image too large to add). */
  onMessage?: (kind: 'info' | 'error', text: string) => void
  /** What the select tool (V) has selected; without it the select tool does nothing. */
  selection?: SelectionStore
}

/** Zoom speed: a mouse wheel notch (100 px) is about 22%, and a pinch's small deltas feel continuous. */
const ZOOM_PER_WHEEL_PIXEL = 0.002

/** What the pointer is doing: one tool's gesture (by the pointer that started it), or a two-finger pinch. */
type Pointing = { kind: 'tool'; pointerId: number; gesture: Gesture; last: PointerInput } | { kind: 'pinch' }

/** The infinite canvas: a Konva stage whose layers a BoardScene fills, plus pointer, wheel and touch input. */
export function BoardCanvas(props: BoardCanvasProps) {
  const { board, preview, overview, viewport, tool, readOnly = false, onScene } = props
  const style: ToolStyle = { ...DEFAULT_STYLE, ...props.style }
  const stageRef = useRef<Konva.Stage>(null)
  const overviewRef = useRef<Konva.Layer>(null)
  const finishedRef = useRef<Konva.Layer>(null)
  const liveRef = useRef<Konva.Layer>(null)
  const cursorRef = useRef<HTMLDivElement>(null)
  const sceneRef = useRef<BoardScene | null>(null)
  const selectionLayerRef = useRef<Konva.Layer>(null)
  const selectRef = useRef<SelectionLayer | null>(null)
  const selection = props.selection
  const selectionStoreRef = useRef(selection)
  selectionStoreRef.current = selection
  const [size, setSize] = useState({ width: window.innerWidth, height: window.innerHeight })
  const spaceHeld = props.handHeld === true
  const [panning, setPanning] = useState(false)
  // The text or note being edited in place, if any.
  const [editing, setEditing] = useState<{ id: string; fresh: boolean } | null>(null)
  const editingRef = useRef(editing)
  editingRef.current = editing
  // The frame being renamed (a double-click on its name), if any.
  const [naming, setNaming] = useState<string | null>(null)
  const fileInputRef = useRef<HTMLInputElement>(null)
  const wrapRef = useRef<HTMLDivElement>(null)
  // Input handlers are installed once; they read the current tool and style through these refs.
  const toolRef = useRef(tool)
  const styleRef = useRef(style)
  const spaceRef = useRef(false)
  toolRef.current = tool
  styleRef.current = style
  spaceRef.current = spaceHeld
  // Sessions: a viewer's pointer never writes to the board.
  const readOnlyRef = useRef(readOnly)
  readOnlyRef.current = readOnly
  // A used-once tool hands back to Select (Excalidraw), unless the tool lock keeps it.
  const handBackRef = useRef<(made: string | undefined) => void>(() => {})
  handBackRef.current = (made) => {
    if (props.toolLocked || !ONE_USE_TOOLS.has(toolRef.current)) return
    props.onTool?.(Tool.Select)
    if (made) selectionStoreRef.current?.set([made])
  }

  useEffect(() => {
    const onResize = () => setSize({ width: window.innerWidth, height: window.innerHeight })
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])

  useEffect(() => viewport.setScreenSize(size.width, size.height), [viewport, size])

  useImageInput({
    board,
    viewport,
    target: wrapRef,
    fileInput: fileInputRef,
    tool,
    readOnly,
    onTool: props.onTool,
    onMessage: props.onMessage,
  })

  // The element under the editor is not drawn (a shape under its label's editor is, without its label), so its
  // text shows once.
  useEffect(() => {
    const edited = editing ? board.readElement(editing.id) : undefined
    const label = edited !== undefined && holdsLabel(edited)
    sceneRef.current?.setHidden(editing && !label ? [editing.id] : [])
    sceneRef.current?.setLabelHidden(editing && label ? editing.id : null)
  }, [board, editing])

  const onEditor = props.onEditor
  useEffect(() => {
    onEditor?.((id) => {
      const el = board.readElement(id)
      if (!readOnlyRef.current && !editingRef.current && el && editsInPlace(el))
        setEditing({ id, fresh: false })
    })
    return () => onEditor?.(null)
  }, [board, onEditor])

  // The select tool's layer shows lock badges while it is picked, and drops the selection when it is put down.
  useEffect(() => selectRef.current?.setActive(tool === Tool.Select), [tool])

  // The scene: board -> layers, and the viewport -> stage transform.
  useEffect(() => {
    const stage = stageRef.current
    const finished = finishedRef.current
    const live = liveRef.current
    if (!stage || !finished || !live) return
    const container = stage.container()
    container.dataset.testid = 'board-canvas'
    container.style.touchAction = 'none'
    const scene = new BoardScene(board, finished, live, preview)
    sceneRef.current = scene
    const overviewLayer =
      overview && overviewRef.current
        ? new OverviewLayer(overviewRef.current, overview, (picture) => scene.keepPicture(picture))
        : undefined
    if (overviewLayer) scene.setOverview(overviewLayer)
    const apply = () => {
      const view = viewport.get()
      const { width, height } = viewport.screenSize()
      stage.scale({ x: view.zoom, y: view.zoom })
      stage.position({ x: -view.x * view.zoom, y: -view.y * view.zoom })
      scene.setView(visibleRect(view, width, height))
      overviewLayer?.setZoom(view.zoom)
      stage.batchDraw()
      // A view the person moved shows before the board's next part is applied (a part holds the page ~0.1 s).
      screenPacing.changed()
    }
    apply()
    const off = viewport.subscribe(apply)
    const background = new CanvasBackground(container, board, viewport)
    const selectLayer = selectionLayerRef.current
    const select =
      selection && selectLayer ? new SelectionLayer(board, scene, selectLayer, selection, viewport) : null
    select?.setActive(toolRef.current === Tool.Select)
    // No selection here (the layer stays empty): its canvas is not composited at all.
    if (!select && selectLayer) selectLayer.getNativeCanvasElement().style.visibility = 'hidden'
    selectRef.current = select
    onScene?.(scene)
    return () => {
      off()
      background.destroy()
      select?.destroy()
      selectRef.current = null
      onScene?.(null)
      sceneRef.current = null
      overviewLayer?.destroy()
      scene.destroy()
    }
  }, [board, preview, overview, viewport, onScene, selection])

  // Pointer, wheel and touch input on the stage's container.
  useEffect(() => {
    const stage = stageRef.current
    if (!stage) return
    const el = stage.container()
    let gesture: Pointing | null = null
    const touches = new Map<number, { x: number; y: number }>()
    let pinchLast: { mid: { x: number; y: number }; dist: number } | null = null

    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect()
      return { x: e.clientX - r.left, y: e.clientY - r.top }
    }
    const inputOf = (e: PointerEvent | MouseEvent): PointerInput => {
      const p = local(e)
      const b = screenToBoard(viewport.get(), p.x, p.y)
      const pointer = e instanceof PointerEvent ? e : undefined
      return {
        x: b.x,
        y: b.y,
        screenX: p.x,
        screenY: p.y,
        pressure: samplePressure(pointer?.pointerType ?? 'mouse', pointer?.pressure ?? 0),
        pointerType: pointer?.pointerType ?? 'mouse',
        button: e.button,
        shift: e.shiftKey,
        alt: e.altKey,
        mod: e.ctrlKey || e.metaKey,
      }
    }
    // What tools act on, read afresh at each event.
    const toolContext = (): ToolContext => ({
      board,
      viewport,
      scene: sceneRef.current,
      style: { ...DEFAULT_STYLE, ...styleRef.current },
      selection: selectRef.current,
      store: selectionStoreRef.current,
      readOnly: readOnlyRef.current,
      edit: setEditing,
      setPanning,
    })

    const pinchState = () => {
      const pts = [...touches.values()]
      const a = pts[0] as { x: number; y: number }
      const b = pts[1] as { x: number; y: number }
      return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, dist: Math.hypot(a.x - b.x, a.y - b.y) }
    }

    const onDown = (e: PointerEvent) => {
      if (e.pointerType === 'touch') {
        touches.set(e.pointerId, local(e))
        if (touches.size === 2) {
          // A second finger turns the gesture into pan/pinch.
          if (gesture?.kind === 'tool') gesture.gesture.cancel()
          gesture = { kind: 'pinch' }
          pinchLast = pinchState()
          return
        }
        if (touches.size > 2) return
      }
      if (gesture) return
      const wantsPan = e.button === 1 || spaceRef.current || toolRef.current === Tool.Hand
      if (e.button !== 0 && e.button !== 1) return
      const tool = wantsPan ? handTool : CANVAS_TOOLS[toolRef.current]
      const input = inputOf(e)
      // A press on a Transformer handle is Konva's: cancelling it would cancel the mouse events Konva listens to.
      if (tool.leavesToKonva?.(input, toolContext())) return
      e.preventDefault()
      if (editingRef.current) {
        // A press elsewhere ends the edit, and does nothing else (as in Excalidraw).
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur()
        return
      }
      el.setPointerCapture(e.pointerId)
      if (readOnlyRef.current && !wantsPan) return
      const started = tool.down(input, toolContext())
      if (started) gesture = { kind: 'tool', pointerId: e.pointerId, gesture: started, last: input }
    }

    const onMove = (e: PointerEvent) => {
      const cursor = cursorRef.current
      if (cursor) {
        const p = local(e)
        cursor.style.transform = `translate(${p.x}px, ${p.y}px)`
      }
      if (e.pointerType === 'touch' && touches.has(e.pointerId)) {
        touches.set(e.pointerId, local(e))
        if (gesture?.kind === 'pinch' && touches.size >= 2 && pinchLast) {
          const next = pinchState()
          const view = viewport.get()
          const zoomed =
            pinchLast.dist > 0
              ? zoomAround(view, (view.zoom * next.dist) / pinchLast.dist, next.mid.x, next.mid.y)
              : view
          viewport.set(zoomed)
          viewport.panBy(next.mid.x - pinchLast.mid.x, next.mid.y - pinchLast.mid.y)
          pinchLast = next
          return
        }
      }
      if (!gesture && !spaceRef.current) CANVAS_TOOLS[toolRef.current].hover?.(inputOf(e), toolContext())
      if (gesture?.kind !== 'tool' || gesture.pointerId !== e.pointerId) return
      const coalesced = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : []
      const input = inputOf(e)
      gesture.last = input
      gesture.gesture.move(input, coalesced.length > 0 ? coalesced.map(inputOf) : [input])
    }

    const onUp = (e: PointerEvent) => {
      if (e.pointerType === 'touch') {
        touches.delete(e.pointerId)
        if (gesture?.kind === 'pinch') {
          if (touches.size < 2) {
            gesture = null
            pinchLast = null
          }
          return
        }
      }
      if (gesture?.kind === 'tool' && gesture.pointerId === e.pointerId) {
        const ending = gesture.gesture
        gesture = null
        ending.up(inputOf(e))
        const made = ending.made?.()
        if (made) handBackRef.current(made)
      }
    }

    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? window.innerHeight : 1
      if (e.ctrlKey || e.metaKey) {
        const p = local(e)
        const view = viewport.get()
        viewport.set(
          zoomAround(view, view.zoom * Math.exp(-e.deltaY * unit * ZOOM_PER_WHEEL_PIXEL), p.x, p.y),
        )
      } else {
        viewport.panBy(-e.deltaX * unit, -e.deltaY * unit)
      }
    }

    const onLeave = () => {
      if (cursorRef.current) cursorRef.current.style.transform = 'translate(-100px, -100px)'
    }

    el.addEventListener('pointerdown', onDown)
    el.addEventListener('pointermove', onMove)
    el.addEventListener('pointerup', onUp)
    el.addEventListener('pointercancel', onUp)
    el.addEventListener('pointerleave', onLeave)
    el.addEventListener('wheel', onWheel, { passive: false })
    // Double-click a text or note to edit it in place, a frame's name to rename it, or a shape or arrow to edit its
    // label, whatever the tool.
    const onDoubleClick = (e: MouseEvent) => {
      const s = sceneRef.current
      if (!s || readOnlyRef.current || editingRef.current) return
      const p = local(e)
      const b = screenToBoard(viewport.get(), p.x, p.y)
      const frame = frameNameAt(s, b.x, b.y, 2 / viewport.get().zoom)
      if (frame) {
        setNaming(frame)
        return
      }
      const hit = textAt(s, b.x, b.y) ?? labelTargetAt(s, b.x, b.y, LABEL_HIT_PX / viewport.get().zoom)
      if (hit) setEditing({ id: hit, fresh: false })
    }
    el.addEventListener('dblclick', onDoubleClick)
    // No browser menu on the canvas; the tool may open its own (the select tool's).
    const onContextMenu = (e: MouseEvent) => {
      e.preventDefault()
      CANVAS_TOOLS[toolRef.current].contextMenu?.(inputOf(e), toolContext(), { x: e.clientX, y: e.clientY })
    }
    el.addEventListener('contextmenu', onContextMenu)
    return () => {
      // The canvas goes (another board): a gesture under way ends where it is.
      if (gesture?.kind === 'tool') gesture.gesture.up(gesture.last)
      gesture = null
      el.removeEventListener('pointerdown', onDown)
      el.removeEventListener('pointermove', onMove)
      el.removeEventListener('pointerup', onUp)
      el.removeEventListener('pointercancel', onUp)
      el.removeEventListener('pointerleave', onLeave)
      el.removeEventListener('wheel', onWheel)
      el.removeEventListener('dblclick', onDoubleClick)
      el.removeEventListener('contextmenu', onContextMenu)
    }
  }, [board, viewport])

  const handMode = spaceHeld || tool === Tool.Hand
  const cursor = panning ? 'grabbing' : handMode ? 'grab' : CANVAS_TOOLS[tool].cursor
  const eraserSize = ERASER_RADIUS_PX * 2

  return (
    <div className="board-canvas-wrap" style={{ cursor }} ref={wrapRef}>
      <Stage ref={stageRef} width={size.width} height={size.height} className="board-stage">
        <Layer ref={overviewRef} listening={false} />
        <Layer ref={finishedRef} listening={false} />
        <Layer ref={liveRef} listening={false} />
        <Layer ref={selectionLayerRef} />
      </Stage>
      <div
        ref={cursorRef}
        className="eraser-cursor"
        style={{
          display: tool === Tool.Eraser && !handMode ? 'block' : 'none',
          width: eraserSize,
          height: eraserSize,
          margin: `${-eraserSize / 2}px 0 0 ${-eraserSize / 2}px`,
        }}
      />
      {editing && (
        <TextEditor
          board={board}
          viewport={viewport}
          id={editing.id}
          fresh={editing.fresh}
          onDone={() => {
            // A text or note just placed was the tool's one use; editing an old one was not.
            if (editing.fresh) handBackRef.current(undefined)
            setEditing(null)
          }}
        />
      )}
      {naming && (
        <FrameNameEditor board={board} viewport={viewport} id={naming} onDone={() => setNaming(null)} />
      )}
      <input
        ref={fileInputRef}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        multiple
        hidden
        data-testid="image-input"
      />
    </div>
  )
}
