import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Board } from '../../shared/board'
import { encodeBoardFile } from '../../shared/boardFile'
import { fitRect, rectsIntersect, type Viewport, visibleRect, zoomAround } from '../../shared/geometry'
import type { SessionInfo } from '../../shared/sync/session'
import { createBridge } from './bridge'
import { BoardCanvas, isTyping } from './canvas/BoardCanvas'
import type { BoardScene } from './canvas/boardScene'
import { ViewportStore } from './canvas/viewportStore'
import { copyBoardImage } from './export/clipboard'
import { useExportShortcuts } from './export/shortcuts'
import { PresenceLayer } from './presence/PresenceLayer'
import { listPeople } from './presence/people'
import { useFollow } from './presence/useFollow'
import { usePresence } from './presence/usePresence'
import { selectionActions } from './selection/actions'
import { SelectionMenu } from './selection/SelectionMenu'
import { SelectionStore, WithSelection } from './selection/selectionStore'
import { useSelectionClipboard } from './selection/useSelectionClipboard'
import { useSelectionKeys } from './selection/useSelectionKeys'
import { fetchDefaultBoard } from './session/boardId'
import { currentIdentity, type Identity, saveIdentity, storedIdentity } from './session/identity'
import { fetchSessionInfo, joinsSession, readJoinFragment } from './session/joinTarget'
import { useBoardSession } from './session/useBoardSession'
import { DEFAULT_STYLE, type ToolStyle } from './tools/style'
import { TOOL_KEYS, Tool, WRITING_TOOLS } from './tools/tool'
import { FollowBanner, HostOfflineBanner } from './ui/Banners'
import { CanvasOptions } from './ui/CanvasOptions'
import { ExportDialog } from './ui/ExportDialog'
import { IdentityDialog } from './ui/IdentityDialog'
import { JoinIcon, PeopleIcon, ShareIcon } from './ui/icons'
import { JoinPanel } from './ui/JoinPanel'
import { KnockCards } from './ui/KnockCards'
import { type Message, MessageBar } from './ui/MessageBar'
import { ParticipantsPanel } from './ui/ParticipantsPanel'
import { endedMessage, KnockingScreen, SessionEndedScreen } from './ui/SessionScreens'
import { SharePanel } from './ui/SharePanel'
import { StylePanel } from './ui/StylePanel'
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
  /** This page's role in the session, when the host shares one. */
  role(): string | undefined
  /** The ids the select tool has selected. */
  selected(): readonly string[]
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
  const [fragment, setFragment] = useState(readJoinFragment)
  const [boardId, setBoardId] = useState<string | null>(() => fragment.boardId ?? null)
  const [name, setName] = useState('')
  const [identity, setIdentity] = useState<Identity>(currentIdentity)
  // Joining someone's session asks the name once per device; the host's own pages and plain boards do not.
  const [askIdentity, setAskIdentity] = useState(() => joinsSession(fragment) && !storedIdentity())
  const [editingIdentity, setEditingIdentity] = useState(false)
  const [panel, setPanel] = useState<'people' | 'share' | null>(null)
  const [joinOpen, setJoinOpen] = useState(false)
  const [exporting, setExporting] = useState(false)
  const [sharedLinks, setSharedLinks] = useState<string[]>([])
  const [sharing, setSharing] = useState(false)
  const [networkAddresses, setNetworkAddresses] = useState<string[]>([])
  const [shareError, setShareError] = useState<string | undefined>()
  // What the host that served this page says about its session, before (or without) joining it.
  const [served, setServed] = useState<SessionInfo | undefined>()
  const [tool, setTool] = useState<Tool>(Tool.Pen)
  const [style, setStyle] = useState<ToolStyle>(DEFAULT_STYLE)
  const [messages, setMessages] = useState<Message[]>([])
  const [history, setHistory] = useState({ canUndo: false, canRedo: false })
  const sceneRef = useRef<BoardScene | null>(null)
  // What the select tool (V) has picked; a selection belongs to one board. Only what shows it re-renders with it.
  const selection = useMemo(() => new SelectionStore(), [])
  const join = useMemo(
    () => (askIdentity ? null : { identity, token: fragment.token, ownerKey: fragment.ownerKey }),
    [askIdentity, identity, fragment],
  )
  const session = useBoardSession(boardId, join)
  const board = session?.board ?? null
  const role = session?.role
  const viewOnly = role === 'viewer'
  const isHost = role === 'host'
  const status = session?.status
  const { local, peers } = usePresence(session?.awareness, viewport, identity, tool)
  const follow = useFollow(viewport, peers)
  const people = listPeople(
    session?.participants ?? [],
    session?.participantId,
    peers,
    identity,
    session?.awareness.clientID,
  )

  const say = useCallback((kind: Message['kind'], text: string) => {
    const id = nextMessageId++
    setMessages((list) => [...list.filter((m) => m.text !== text), { id, kind, text }])
    if (kind === 'info') setTimeout(() => setMessages((list) => list.filter((m) => m.id !== id)), 4000)
  }, [])

  // Which board: the URL fragment, else the shared session's board, else the host's default board.
  useEffect(() => {
    const onHash = () => {
      const next = readJoinFragment()
      setFragment(next)
      setBoardId(next.boardId ?? null)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  // Board names as far as this page knows them.
  const namesRef = useRef(new Map<string, string>())
  useEffect(() => {
    setName((boardId && namesRef.current.get(boardId)) || '')
    let alive = true
    const pick = async () => {
      const shared = await fetchSessionInfo()
      if (alive) setServed(shared)
      if (shared) return { id: shared.boardId, name: shared.boardName }
      return fetchDefaultBoard()
    }
    pick()
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

  // A viewer cannot hold a tool that writes; the hand is the harmless default.
  useEffect(() => {
    if (viewOnly && WRITING_TOOLS.has(tool)) setTool(Tool.Hand)
  }, [viewOnly, tool])

  const closedBecause = session?.closedBecause
  const closeCode = session?.closeCode
  const ended = status === 'closed' ? endedMessage(closeCode) : undefined
  useEffect(() => {
    if (closedBecause && !endedMessage(closeCode))
      say('error', `Disconnected from this board: ${closedBecause}`)
  }, [closedBecause, closeCode, say])

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
    if (!boardId || !board) return
    try {
      // From this page's replica: saving works when the host is gone.
      const message = await bridge.saveBoard(boardId, name || 'board', encodeBoardFile(board.doc))
      if (message) say(message.startsWith('Saved') ? 'info' : 'error', message)
    } catch (err) {
      say('error', `Could not save the board: ${(err as Error).message}`)
    }
  }, [bridge, boardId, board, name, say])

  // The networks this computer is on, for sharing on one of several (app only).
  useEffect(() => {
    if (panel !== 'share' || !bridge.networkAddresses) return
    let alive = true
    bridge
      .networkAddresses()
      .then((list) => alive && setNetworkAddresses(list))
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [panel, bridge])

  const share = useCallback(
    async (address?: string) => {
      if (!bridge.shareSession) return
      setSharing(true)
      setShareError(undefined)
      try {
        const result = await bridge.shareSession(address)
        if ('error' in result) setShareError(result.error)
        else setSharedLinks(result.joinLinks)
      } catch (err) {
        setShareError(`Could not share the board: ${(err as Error).message}`)
      } finally {
        setSharing(false)
      }
    },
    [bridge],
  )

  const hostAgain = useMemo(() => {
    const hostBoard = bridge.hostBoard
    if (!hostBoard || !board) return undefined
    return async () => {
      try {
        const result = await hostBoard(encodeBoardFile(board.doc), name || 'board')
        if ('error' in result) say('error', result.error)
        else {
          setSharedLinks(result.joinLinks)
          setPanel('share')
          say('info', 'You now host this board; send the others the new link.')
        }
      } catch (err) {
        say('error', `Could not host the board: ${(err as Error).message}`)
      }
    }
  }, [bridge, board, name, say])

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

  // A selection belongs to one board: opening another drops it.
  useEffect(() => {
    if (board) return () => selection.clear()
  }, [selection, board])
  const selecting = useMemo(
    () =>
      board
        ? selectionActions({
            board,
            store: selection,
            viewport,
            query: () => sceneRef.current,
            readOnly: () => viewOnly,
            say,
          })
        : null,
    [board, selection, viewport, viewOnly, say],
  )
  const pickSelect = useCallback(() => setTool(Tool.Select), [])
  useSelectionKeys(selecting, () => selection.get().length > 0, pickSelect)
  useSelectionClipboard(selecting, viewport, pickSelect)

  useExportShortcuts({
    enabled: !exporting && board !== null,
    onOpenExport: () => setExporting(true),
    onCopyImage: () => {
      if (!board) return
      copyBoardImage(board)
        .then((problem) => (problem ? say('error', problem) : say('info', 'Copied the board as an image.')))
        .catch((err: Error) => say('error', `Could not copy the board: ${err.message}`))
    },
  })

  // Keyboard shortcuts; none fire while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && key === 'z') {
        e.preventDefault()
        if (viewOnly) return
        if (e.shiftKey) board?.redo()
        else board?.undo()
      } else if (mod && key === 'y') {
        e.preventDefault()
        if (!viewOnly) board?.redo()
      } else if (mod && key === 's') {
        e.preventDefault()
        void save()
      } else if (mod && key === 'o') {
        e.preventDefault()
        if (!viewOnly) void open()
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
      } else if (e.shiftKey && !mod && !e.altKey && (key === 'p' || key === 'e') && !viewOnly) {
        // Shift+P: the pen as a highlighter (and back); Shift+E: the eraser cutting ink (and back).
        const flag = key === 'p' ? 'highlighter' : 'partialEraser'
        setTool(key === 'p' ? Tool.Pen : Tool.Eraser)
        setStyle((s) => ({ ...s, [flag]: !s[flag] }))
      } else if (!mod && !e.altKey && !e.shiftKey && TOOL_KEYS[key]) {
        const next = TOOL_KEYS[key]
        if (!(viewOnly && WRITING_TOOLS.has(next))) setTool(next)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [board, viewOnly, save, open, zoomBy, resetZoom, zoomToFit])

  // The read-only handle for e2e tests.
  const roleRef = useRef(role)
  roleRef.current = role
  useEffect(() => {
    if (!board) return
    window.__lanvas = {
      board,
      viewport: () => viewport.get(),
      boardToScreen: (x, y) => viewport.toScreen(x, y),
      visibleStrokeCount: () => sceneRef.current?.shownCount() ?? 0,
      role: () => roleRef.current,
      selected: () => selection.get(),
    }
    return () => {
      if (window.__lanvas?.board === board) delete window.__lanvas
    }
  }, [board, viewport, selection])

  const onScene = useCallback((scene: BoardScene | null) => {
    sceneRef.current = scene
  }, [])

  const joinLinks = session?.joinLinks.length ? session.joinLinks : sharedLinks
  const canShare = isHost || bridge.shareSession !== undefined
  const inSession = role !== undefined || peers.length > 0
  const following = follow.following
  const togglePanel = (which: 'people' | 'share') => setPanel((p) => (p === which ? null : which))

  const sessionActions = (
    <>
      <button
        type="button"
        className={`icon-button people-button${panel === 'people' ? ' active' : ''}`}
        data-testid="participants-toggle"
        title="People"
        aria-label="People"
        aria-pressed={panel === 'people'}
        onClick={() => togglePanel('people')}
      >
        <PeopleIcon />
        {inSession && <span className="count">{people.length}</span>}
        {isHost && (session?.knocks.length ?? 0) > 0 && <span className="knock-dot" />}
      </button>
      {canShare && (
        <button
          type="button"
          className={`icon-button${panel === 'share' ? ' active' : ''}`}
          data-testid="share-open"
          title="Share on network"
          aria-label="Share"
          aria-pressed={panel === 'share'}
          onClick={() => togglePanel('share')}
        >
          <ShareIcon />
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        data-testid="join-open"
        title="Join a session on the network"
        aria-label="Join a session"
        onClick={() => setJoinOpen(true)}
      >
        <JoinIcon />
      </button>
    </>
  )

  return (
    <div className="app">
      {board && (
        <BoardCanvas
          board={board}
          viewport={viewport}
          tool={tool}
          style={style}
          readOnly={viewOnly}
          onScene={onScene}
          onTool={setTool}
          onMessage={say}
          selection={selection}
        />
      )}
      {board && <PresenceLayer viewport={viewport} peers={peers} local={local} />}
      <TopBar
        name={session?.info?.boardName || name || 'Untitled board'}
        status={status ?? 'starting'}
        viewOnly={viewOnly}
        sessionActions={sessionActions}
        onOpen={open}
        onSave={save}
        onExport={() => setExporting(true)}
      />
      <Toolbar
        tool={tool}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        readOnly={viewOnly}
        onTool={setTool}
        onUndo={() => board?.undo()}
        onRedo={() => board?.redo()}
      />
      {board && !viewOnly && (
        <WithSelection store={selection}>
          {(selected) => (
            <StylePanel tool={tool} style={style} onStyle={setStyle} board={board} selection={selected} />
          )}
        </WithSelection>
      )}
      <div className="banners">
        {following && (
          <FollowBanner name={following.user.name} color={following.user.color} onStop={follow.stop} />
        )}
        {status === 'offline' && <HostOfflineBanner onSave={save} onHost={hostAgain} />}
      </div>
      {panel === 'people' && (
        <ParticipantsPanel
          people={people}
          isHost={isHost}
          locked={session?.locked ?? false}
          followingClientId={following?.clientId}
          onFollow={(id) => follow.follow(id)}
          onEditIdentity={() => setEditingIdentity(true)}
          onControl={(m) => session?.control(m)}
        />
      )}
      {panel === 'share' && (
        <SharePanel
          sessionName={session?.info?.name}
          joinLinks={joinLinks}
          // The app's own window is the host of its board; it shares until links exist.
          onShare={bridge.shareSession ? share : undefined}
          addresses={networkAddresses}
          sharing={sharing}
          error={shareError}
          onClose={() => setPanel(null)}
        />
      )}
      {isHost && session && <KnockCards knocks={session.knocks} onControl={session.control} />}
      <ZoomControls viewport={viewport} onZoomBy={zoomBy} onReset={resetZoom} onFit={zoomToFit} />
      <CanvasOptions
        board={board}
        readOnly={viewOnly}
        selection={selection}
        onZoomToSelection={() => selecting?.zoomToSelection()}
      />
      {selecting && <SelectionMenu store={selection} actions={selecting} readOnly={viewOnly} />}
      <MessageBar
        messages={messages}
        onDismiss={(id) => setMessages((list) => list.filter((m) => m.id !== id))}
      />
      {status === 'knocking' && (
        <KnockingScreen
          hostName={session?.info?.hostName ?? served?.hostName}
          code={session?.comparisonCode}
        />
      )}
      {ended && (
        <SessionEndedScreen
          code={closeCode}
          message={ended}
          onRetry={() => session?.reconnect()}
          onJoinOther={() => setJoinOpen(true)}
        />
      )}
      {joinOpen && <JoinPanel bridge={bridge} onClose={() => setJoinOpen(false)} />}
      {exporting && board && (
        <ExportDialog
          board={board}
          boardName={session?.info?.boardName || name || 'Board'}
          viewport={{ ...viewport.get(), ...viewport.screenSize() }}
          onSave={bridge.saveExport?.bind(bridge)}
          onClose={() => setExporting(false)}
        />
      )}
      {(askIdentity || editingIdentity) && (
        <IdentityDialog
          identity={identity}
          action={askIdentity ? 'Join' : 'Save'}
          intro={askIdentity ? `Join ${served?.name ?? 'the session'}` : 'Your name and colour'}
          onDone={(next) => {
            setIdentity(saveIdentity(next))
            setAskIdentity(false)
            setEditingIdentity(false)
          }}
          onCancel={askIdentity ? undefined : () => setEditingIdentity(false)}
        />
      )}
    </div>
  )
}
