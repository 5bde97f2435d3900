import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Board, StrokeStyle } from '../../shared/board'
import { fitRect, rectsIntersect, type Viewport, visibleRect, zoomAround } from '../../shared/geometry'
import { createBridge } from './bridge'
import { BoardCanvas, isTyping } from './canvas/BoardCanvas'
import type { BoardScene } from './canvas/boardScene'
import { ViewportStore } from './canvas/viewportStore'
import { boardIdFromHash, fetchDefaultBoard } from './session/boardId'
import { useBoardSession } from './session/useBoardSession'
import { PALETTE, TOOL_KEYS, Tool, WIDTHS } from './tools/tool'
import { type Message, MessageBar } from './ui/MessageBar'
import { Toolbar } from './ui/Toolbar'
import { TopBar } from './ui/TopBar'
import { ZoomControls } from './ui/ZoomControls'

/** What e2e tests may read; nothing here is an API for the app itself. */
export interface LanvasTestHandle {
  readonly board: Board
  viewport(): Viewport
  boardToScreen(x: number, y: number): { x: number; y: number }
  /** Finished strokes currently in the drawn layer (the ones intersecting the view). */
  visibleStrokeCount(): number
}

declare global {
  interface Window {
    __lanvas?: LanvasTestHandle
  }
}

let nextMessageId = 1

export function App() {
  const bridge = useMemo(createBridge, [])
  const viewport = useMemo(() => new ViewportStore(), [])
  const [boardId, setBoardId] = useState<string | null>(() => boardIdFromHash())
  const [name, setName] = useState('')
  const [tool, setTool] = useState<Tool>(Tool.Pen)
  const [style, setStyle] = useState<StrokeStyle>({ color: PALETTE[0], width: WIDTHS[1] })
  const [messages, setMessages] = useState<Message[]>([])
  const [history, setHistory] = useState({ canUndo: false, canRedo: false })
  const sceneRef = useRef<BoardScene | null>(null)
  const session = useBoardSession(boardId)
  const board = session?.board ?? null

  const say = useCallback((kind: Message['kind'], text: string) => {
    const id = nextMessageId++
    setMessages((list) => [...list.filter((m) => m.text !== text), { id, kind, text }])
    if (kind === 'info') setTimeout(() => setMessages((list) => list.filter((m) => m.id !== id)), 4000)
  }, [])

  // Which board: the URL fragment, else the host's default board.
  useEffect(() => {
    const onHash = () => setBoardId(boardIdFromHash())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  // The host's default board (when the URL names none), and board names as far as this page knows them.
  const namesRef = useRef(new Map<string, string>())
  useEffect(() => {
    setName((boardId && namesRef.current.get(boardId)) || '')
    let alive = true
    fetchDefaultBoard()
      .then((b) => {
        namesRef.current.set(b.id, b.name)
        if (!alive) return
        if (!boardId) setBoardId(b.id)
        if (!boardId || boardId === b.id) setName(b.name)
      })
      .catch(
        (err: Error) => alive && !boardId && say('error', `Could not reach the board host: ${err.message}`),
      )
    return () => {
      alive = false
    }
  }, [boardId, say])

  // A new board starts at the origin; once synced, if its content is all off-screen, show it.
  useEffect(() => {
    if (!board) return
    viewport.set({ x: 0, y: 0, zoom: 1 })
  }, [board, viewport])

  const synced = session?.synced ?? false
  useEffect(() => {
    if (!board || !synced) return
    const content = board.contentBounds()
    const { width, height } = viewport.screenSize()
    if (content && !rectsIntersect(content, visibleRect(viewport.get(), width, height)))
      viewport.set(fitRect(content, width, height))
  }, [board, synced, viewport])

  const closedBecause = session?.closedBecause
  useEffect(() => {
    if (closedBecause) say('error', `Disconnected from this board: ${closedBecause}`)
  }, [closedBecause, say])

  // Undo/redo availability follows this person's undo stack.
  useEffect(() => {
    if (!board) return
    const um = board.undoManager
    const update = () => setHistory({ canUndo: um.undoStack.length > 0, canRedo: um.redoStack.length > 0 })
    update()
    um.on('stack-item-added', update)
    um.on('stack-item-popped', update)
    um.on('stack-cleared', update)
    return () => {
      um.off('stack-item-added', update)
      um.off('stack-item-popped', update)
      um.off('stack-cleared', update)
    }
  }, [board])

  const zoomBy = useCallback(
    (factor: number) => {
      const { width, height } = viewport.screenSize()
      const view = viewport.get()
      viewport.set(zoomAround(view, view.zoom * factor, width / 2, height / 2))
    },
    [viewport],
  )
  const resetZoom = useCallback(() => {
    const { width, height } = viewport.screenSize()
    viewport.set(zoomAround(viewport.get(), 1, width / 2, height / 2))
  }, [viewport])
  const zoomToFit = useCallback(() => {
    const content = board?.contentBounds()
    if (!content) return
    const { width, height } = viewport.screenSize()
    viewport.set(fitRect(content, width, height))
  }, [board, viewport])

  const save = useCallback(async () => {
    if (!boardId) return
    try {
      const message = await bridge.saveBoard(boardId, name || 'board')
      if (message) say(message.startsWith('Saved') ? 'info' : 'error', message)
    } catch (err) {
      say('error', `Could not save the board: ${(err as Error).message}`)
    }
  }, [bridge, boardId, name, say])

  const open = useCallback(async () => {
    try {
      const result = await bridge.openBoard()
      if (!result) return
      if ('error' in result) say('error', result.error)
      else {
        if (result.name) namesRef.current.set(result.id, result.name)
        location.hash = `board=${encodeURIComponent(result.id)}`
      }
    } catch (err) {
      say('error', `Could not open the board: ${(err as Error).message}`)
    }
  }, [bridge, say])

  // Keyboard shortcuts; none fire while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && key === 'z') {
        e.preventDefault()
        if (e.shiftKey) board?.redo()
        else board?.undo()
      } else if (mod && key === 'y') {
        e.preventDefault()
        board?.redo()
      } else if (mod && key === 's') {
        e.preventDefault()
        void save()
      } else if (mod && key === 'o') {
        e.preventDefault()
        void open()
      } else if (mod && (key === '=' || key === '+')) {
        e.preventDefault()
        zoomBy(1.25)
      } else if (mod && key === '-') {
        e.preventDefault()
        zoomBy(1 / 1.25)
      } else if (mod && key === '0') {
        e.preventDefault()
        resetZoom()
      } else if (e.shiftKey && !mod && !e.altKey && e.code === 'Digit1') {
        e.preventDefault()
        zoomToFit()
      } else if (!mod && !e.altKey && !e.shiftKey && TOOL_KEYS[key]) {
        setTool(TOOL_KEYS[key])
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [board, save, open, zoomBy, resetZoom, zoomToFit])

  // The read-only handle for e2e tests.
  useEffect(() => {
    if (!board) return
    window.__lanvas = {
      board,
      viewport: () => viewport.get(),
      boardToScreen: (x, y) => viewport.toScreen(x, y),
      visibleStrokeCount: () => sceneRef.current?.shownCount() ?? 0,
    }
    return () => {
      if (window.__lanvas?.board === board) delete window.__lanvas
    }
  }, [board, viewport])

  const onScene = useCallback((scene: BoardScene | null) => {
    sceneRef.current = scene
  }, [])

  return (
    <div className="app">
      {board && <BoardCanvas board={board} viewport={viewport} tool={tool} style={style} onScene={onScene} />}
      <TopBar
        name={name || 'Untitled board'}
        status={session?.status ?? 'starting'}
        onOpen={open}
        onSave={save}
      />
      <Toolbar
        tool={tool}
        style={style}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onTool={setTool}
        onStyle={setStyle}
        onUndo={() => board?.undo()}
        onRedo={() => board?.redo()}
      />
      <ZoomControls viewport={viewport} onZoomBy={zoomBy} onReset={resetZoom} onFit={zoomToFit} />
      <MessageBar
        messages={messages}
        onDismiss={(id) => setMessages((list) => list.filter((m) => m.id !== id))}
      />
    </div>
  )
}
