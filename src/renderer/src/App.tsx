// The app's one screen: the board, its toolbars, panels and dialogs, wired to the board session and the bridge.
// Over 400 lines because it is where every panel's open state meets the shortcuts and the menus; each panel, the
// session and the file commands live in their own modules (ui/, session/, app/).
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useBoardChoice } from './app/useBoardChoice'
import { useFileCommands } from './app/useFileCommands'
import { useKnockReports } from './app/useKnockReports'
import { useMessages } from './app/useMessages'
import { usePastedJoinLink } from './app/usePastedJoinLink'
import { useSelecting } from './app/useSelecting'
import { type Panel, useSharing } from './app/useSharing'
import { useTool } from './app/useTool'
import { useUndoState } from './app/useUndoState'
import { useView } from './app/useView'
import { windowTitle } from './app/windowTitle'
import { createBridge } from './bridge'
import { BoardCanvas } from './canvas/BoardCanvas'
import type { BoardScene } from './canvas/boardScene'
import { editsInPlace } from './canvas/shapeLabel'
import { ViewportStore } from './canvas/viewportStore'
import type { CommandContext } from './commands/command'
import { useCommands } from './commands/useCommands'
import { copyBoardImage } from './export/clipboard'
import { PeerSelections } from './presence/PeerSelections'
import { PresenceLayer } from './presence/PresenceLayer'
import { listPeople } from './presence/people'
import { useFollow } from './presence/useFollow'
import { usePresence } from './presence/usePresence'
import { SelectionMenu } from './selection/SelectionMenu'
import { WithSelection } from './selection/selectionStore'
import { currentIdentity, type Identity, saveIdentity, storedIdentity } from './session/identity'
import { joinsSession } from './session/joinTarget'
import { useBoardSession } from './session/useBoardSession'
import { countRender, useTestHandle } from './testHandle'
import { Tool } from './tools/tool'
import { FollowBanner, HostOfflineBanner, NotSavedBanner, useWarnBeforeClosing } from './ui/Banners'
import { CanvasOptions } from './ui/CanvasOptions'
import { FramesMenu } from './ui/FramesMenu'
import { IdentityDialog } from './ui/IdentityDialog'
import { HomeIcon } from './ui/icons'
import { JoinPanel } from './ui/JoinPanel'
import { KnockCards } from './ui/KnockCards'
import { MessageBar } from './ui/MessageBar'
import { NamePrompt } from './ui/NamePrompt'
import { OpeningProgress } from './ui/OpeningProgress'
import { ParticipantsPanel } from './ui/ParticipantsPanel'
import { SendingProgress } from './ui/SendingProgress'
import { SessionActions } from './ui/SessionActions'
import { endedMessage, KnockingScreen, SessionEndedScreen } from './ui/SessionScreens'
import { SharePanel } from './ui/SharePanel'
import { StartScreen } from './ui/StartScreen'
import { StylePanel } from './ui/StylePanel'
import { Toolbar } from './ui/Toolbar'

// The export dialog and the export code behind it (fonts, PDF, PNG encoders) load once the board shows, not before:
// they are most of the page's script and nothing of a join needs them.
const loadExportDialog = () => import('./ui/ExportDialog')
const ExportDialog = lazy(() => loadExportDialog().then((m) => ({ default: m.ExportDialog })))

import { TopBar } from './ui/TopBar'
import { ZoomControls } from './ui/ZoomControls'

/** The whole page: the board's canvas, its panels and dialogs; each job is a hook in app/. */
export function App() {
  countRender()
  const bridge = useMemo(createBridge, [])
  const viewport = useMemo(() => new ViewportStore(), [])
  const { messages, say, dismiss } = useMessages()
  const { fragment, boardId, name, served, rememberName } = useBoardChoice(say)
  const [identity, setIdentity] = useState<Identity>(currentIdentity)
  // Whether the person gave a name on this device (the app's settings, or this page's storage).
  const [named, setNamed] = useState(() => storedIdentity() !== undefined)
  // Joining someone's session asks the name first, once per device: by a link, from the list, or by typing the
  // host's address (its page then says it shares a session, and this page has no owner key).
  const joining = joinsSession(fragment) || (served !== undefined && !fragment.ownerKey)
  const askIdentity = joining && !named
  const [editingIdentity, setEditingIdentity] = useState(false)
  const [panel, setPanel] = useState<Panel>(null)
  const [joinOpen, setJoinOpen] = useState(false)
  // The app's start screen (new, open, recent boards, sessions): the own host's page only (the owner key), where
  // boards are the person's files.
  const [startOpen, setStartOpen] = useState(false)
  // A join link pasted on the board, waiting in the Join panel for the person's Join.
  const [pastedJoin, setPastedJoin] = useState('')
  usePastedJoinLink(
    useCallback((url: string) => {
      setPastedJoin(url)
      setJoinOpen(true)
    }, []),
    useCallback((message: string) => say('error', message), [say]),
  )
  const [exporting, setExporting] = useState(false)
  // The "Go to frame" list is open.
  const [framesOpen, setFramesOpen] = useState(false)
  const closeFrames = useCallback(() => setFramesOpen(false), [])
  // Space held: the hand, whatever the tool.
  const [handHeld, setHandHeld] = useState(false)
  const sceneRef = useRef<BoardScene | null>(null)
  // Opens the canvas's in-place editor on an element (the canvas hands it over once it is up).
  const editorRef = useRef<((id: string) => void) | null>(null)
  const join = useMemo(
    () => (askIdentity ? null : { identity, token: fragment.token, ownerKey: fragment.ownerKey }),
    [askIdentity, identity, fragment],
  )
  const session = useBoardSession(boardId, join)
  // Closing while the host cannot save this person's edits (it cannot write, or it is away) may lose them.
  const sessionRef = useRef(session)
  sessionRef.current = session
  useWarnBeforeClosing(
    useCallback(() => {
      const s = sessionRef.current
      // A large edit still waiting to leave is only in this page until it has.
      return (
        !!s &&
        (s.status === 'offline' ||
          s.sendingNow() !== undefined ||
          (s.saveProblem !== undefined && s.unsaved() > 0))
      )
    }, []),
  )
  const board = session?.board ?? null
  const role = session?.role
  const viewOnly = role === 'viewer'
  const isHost = role === 'host'
  const status = session?.status
  const { tool, setTool, pickTool, style, setStyle, toggleStyle, toolLocked, toggleToolLock } =
    useTool(viewOnly)
  const pickSelect = useCallback(() => setTool(Tool.Select), [setTool])
  const { selection, actions, hasSelection } = useSelecting(
    board,
    viewport,
    sceneRef,
    viewOnly,
    say,
    pickSelect,
  )
  const { local, peers, cursors, presences } = usePresence(
    session?.awareness,
    viewport,
    identity,
    tool,
    selection,
    session?.cursors,
  )
  const follow = useFollow(viewport, peers)
  const people = listPeople(
    session?.participants ?? [],
    session?.participantId,
    peers,
    identity,
    session?.awareness.clientID,
  )
  const { zoomBy, resetZoom, zoomToFit } = useView(
    viewport,
    board,
    session?.synced ?? false,
    sceneRef,
    session?.overview,
  )
  // Re-renders the toolbar when undo or redo becomes possible; the commands read the stacks themselves.
  useUndoState(board)
  const { save, open } = useFileCommands(bridge, boardId, board, name, say, rememberName)
  const sharing = useSharing(bridge, board, name, panel, setPanel, say)
  useTestHandle(board, viewport, selection, sceneRef, role, {
    participants: session?.participants.map((p) => p.name) ?? [],
    standbys: session?.standbys ?? [],
  })
  useKnockReports(bridge, session?.knocks, isHost)

  const closedBecause = session?.closedBecause
  const closeCode = session?.closeCode
  const ended = status === 'closed' ? endedMessage(closeCode, closedBecause) : undefined
  useEffect(() => {
    if (closedBecause && !endedMessage(closeCode, closedBecause))
      say('error', `Disconnected from this board: ${closedBecause}`)
  }, [closedBecause, closeCode, say])

  // A guest hears it once: the link it was opened with no longer works (the host hears it on each click).
  const linkReplaced = (session?.linkReplaced ?? false) && !isHost
  useEffect(() => {
    if (linkReplaced)
      say(
        'info',
        'The host made a new link: the link you opened no longer works. You stay in; ask the host for the new one to join from another device.',
      )
  }, [linkReplaced, say])

  // The host left for good and a standby carries the session on: this page moved there by itself.
  const movedTo = session?.movedTo
  useEffect(() => {
    if (movedTo) say('info', `The host left — ${movedTo} is hosting now. Everything drawn is here; carry on.`)
  }, [movedTo, say])

  const commandContext: CommandContext = {
    board,
    viewOnly,
    tool,
    setTool,
    pickTool,
    toggleStyle,
    toolLocked,
    toggleToolLock,
    selection: actions,
    hasSelection,
    canEditSelected: () => {
      const ids = selection.get()
      const el = ids.length === 1 && board ? board.readElement(ids[0] as string) : undefined
      return el !== undefined && editsInPlace(el)
    },
    editSelected: () => {
      const [id] = selection.get()
      if (id) editorRef.current?.(id)
    },
    exporting,
    openExport: () => setExporting(true),
    copyImage: () => {
      if (!board) return
      // With a selection, the selection is copied (as Excalidraw does); without, the whole board.
      const selected = selection.get()
      const what = selected.length > 0 ? 'the selection' : 'the board'
      copyBoardImage(board, selected.length > 0 ? { area: 'selection', selection: selected } : {})
        .then((problem) => (problem ? say('error', problem) : say('info', `Copied ${what} as an image.`)))
        .catch((err: Error) => say('error', `Could not copy ${what}: ${err.message}`))
    },
    save: () => void save(),
    open: () => void open(),
    zoomBy,
    resetZoom,
    zoomToFit,
    openFrames: () => setFramesOpen((open) => !open),
    following: follow.following !== undefined,
    stopFollowing: follow.stop,
    holdHand: () => setHandHeld(true),
  }
  const commands = useCommands(commandContext, bridge, () => setHandHeld(false))

  const onScene = useCallback((scene: BoardScene | null) => {
    sceneRef.current = scene
  }, [])
  const onEditor = useCallback((start: ((id: string) => void) | null) => {
    editorRef.current = start
  }, [])

  const joinLinks = session?.joinLinks.length ? session.joinLinks : sharing.sharedLinks
  const inSession = role !== undefined || peers.length > 0
  const following = follow.following
  const boardName = session?.info?.boardName || name
  // Marked while the host cannot save (it cannot write, or it is away): the same state the banners show.
  const unsaved = status === 'offline' || session?.saveProblem !== undefined
  useEffect(() => {
    document.title = windowTitle(boardName, unsaved)
  }, [boardName, unsaved])

  return (
    <div className="app">
      {board && (
        <BoardCanvas
          board={board}
          preview={session?.preview}
          overview={session?.overview}
          viewport={viewport}
          tool={tool}
          style={style}
          readOnly={viewOnly}
          handHeld={handHeld}
          onScene={onScene}
          onEditor={onEditor}
          onTool={setTool}
          toolLocked={toolLocked}
          onMessage={say}
          selection={selection}
        />
      )}
      {board && <PeerSelections board={board} viewport={viewport} peers={peers} scene={sceneRef} />}
      {board && (
        <PresenceLayer
          viewport={viewport}
          peers={peers}
          local={local}
          cursors={cursors}
          presences={presences}
          board={board}
        />
      )}
      <TopBar
        name={boardName || 'Untitled board'}
        status={status ?? 'starting'}
        attempts={session?.attempts}
        viewOnly={viewOnly}
        sessionActions={
          <>
            {bridge.newBoard && fragment.ownerKey && (
              <button
                type="button"
                className="icon-button"
                data-testid="start-screen-open"
                title="Start: new, open, recent boards and sessions"
                aria-label="Start screen"
                onClick={() => setStartOpen(true)}
              >
                <HomeIcon />
              </button>
            )}
            <SessionActions
              panel={panel}
              count={inSession ? people.length : undefined}
              knocking={isHost && (session?.knocks.length ?? 0) > 0}
              canShare={isHost || bridge.shareSession !== undefined}
              onTogglePanel={(which) => setPanel((p) => (p === which ? null : which))}
              onJoin={() => setJoinOpen(true)}
            />
          </>
        }
        commands={commands}
      />
      <Toolbar tool={tool} toolLocked={toolLocked} commands={commands} />
      {board && !viewOnly && (
        <WithSelection store={selection}>
          {(selected) => (
            <StylePanel tool={tool} style={style} onStyle={setStyle} board={board} selection={selected} />
          )}
        </WithSelection>
      )}
      <div className="banners">
        {session?.progress !== undefined && session.progress < 1 && status === 'connected' && (
          <OpeningProgress progressNow={session.progressNow} onProgress={session.onProgress} />
        )}
        {session?.sending !== undefined && status === 'connected' && (
          <SendingProgress sendingNow={session.sendingNow} onProgress={session.onProgress} />
        )}
        {following && (
          <FollowBanner name={following.user.name} color={following.user.color} onStop={follow.stop} />
        )}
        {status === 'offline' && (
          <HostOfflineBanner
            onSave={save}
            onHost={sharing.hostAgain}
            attempts={session?.attempts}
            standbys={session?.standbys}
          />
        )}
        {session?.saveProblem && <NotSavedBanner problem={session.saveProblem} unsaved={session.unsaved} />}
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
          onShare={bridge.shareSession ? sharing.share : undefined}
          addresses={sharing.networkAddresses}
          preferredNetwork={sharing.preferredNetwork}
          sharing={sharing.sharing}
          error={sharing.shareError}
          onNewLink={
            isHost
              ? () => {
                  session?.control({ type: 'new-link' })
                  say(
                    'info',
                    'New link made: the old links and QR code no longer work. People already in stay in.',
                  )
                }
              : undefined
          }
          onClose={() => setPanel(null)}
        />
      )}
      {isHost && session && <KnockCards knocks={session.knocks} onControl={session.control} />}
      <ZoomControls viewport={viewport} commands={commands} />
      {framesOpen && board && <FramesMenu board={board} viewport={viewport} onClose={closeFrames} />}
      <CanvasOptions
        board={board}
        readOnly={viewOnly}
        selection={selection}
        onZoomToSelection={() => commands.run('zoom-to-selection')}
      />
      {actions && <SelectionMenu store={selection} commands={commands} />}
      <MessageBar messages={messages} onDismiss={dismiss} />
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
      {startOpen && (
        <StartScreen
          bridge={bridge}
          onClose={() => setStartOpen(false)}
          onOpened={(result) => {
            if (!result) return
            if ('error' in result) say('error', result.error)
            else {
              setStartOpen(false)
              location.hash = `board=${encodeURIComponent(result.id)}`
            }
          }}
        />
      )}
      {joinOpen && (
        <JoinPanel
          key={pastedJoin}
          bridge={bridge}
          initialAddress={pastedJoin}
          onClose={() => {
            setJoinOpen(false)
            setPastedJoin('')
          }}
        />
      )}
      {exporting && board && (
        // Export's code (half the page's script) loads when Export is first opened, never on its own: loaded in the
        // page's idle time, it stalled a stroke being drawn or watched for 150-300 ms (docs/decisions.md).
        <Suspense
          fallback={
            <div className="scrim">
              <div className="dialog panel" role="status" data-testid="export-loading">
                Opening Export…
              </div>
            </div>
          }
        >
          <ExportDialog
            board={board}
            boardId={boardId ?? undefined}
            boardName={boardName || 'Board'}
            viewport={{ ...viewport.get(), ...viewport.screenSize() }}
            selection={selection.get()}
            onSave={bridge.saveExport?.bind(bridge)}
            onClose={() => setExporting(false)}
          />
        </Suspense>
      )}
      {isHost && !named && !editingIdentity && (
        // The host's own page is asked too, without stopping it: people may be knocking.
        <NamePrompt
          identity={identity}
          onDone={(next) => {
            setIdentity(saveIdentity(next))
            setNamed(true)
          }}
        />
      )}
      {(askIdentity || editingIdentity) && (
        <IdentityDialog
          identity={identity}
          action={askIdentity ? 'Join' : 'Save'}
          intro={askIdentity ? `Join ${served?.name ?? 'the session'}` : 'Your name and colour'}
          onDone={(next) => {
            setIdentity(saveIdentity(next))
            setNamed(true)
            setEditingIdentity(false)
          }}
          onCancel={askIdentity ? undefined : () => setEditingIdentity(false)}
        />
      )}
    </div>
  )
}
