import { useEffect, useState } from 'react'
import { errorMessage } from '../../../shared/errors'
import type { Bridge } from '../bridge'
import { Dialog } from './Dialog'
import { JoinChoices } from './JoinPanel'
import { SettingsPanel } from './SettingsPanel'
import './JoinPanel.css'
import './StartScreen.css'

type Opened = { id: string } | { error: string } | null

/** A board's name as the person sees it: the file name without the folder and the extension. */
function boardName(path: string): string {
  return (path.split(/[\\/]/).at(-1) ?? path).replace(/\.lanvas$/i, '')
}

/** The folder a board is in, to tell apart two boards of the same name. */
function folderOf(path: string): string {
  return path.slice(0, Math.max(0, path.length - (path.split(/[\\/]/).at(-1)?.length ?? 0) - 1))
}

/** A recent board: its thumbnail (drawn by the app when the board was saved or closed), name and folder. */
function RecentBoard({ bridge, path, onOpen }: { bridge: Bridge; path: string; onOpen(): void }) {
  const [thumbnail, setThumbnail] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    bridge
      .boardThumbnail?.(path)
      .then((url) => alive && setThumbnail(url))
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [bridge, path])
  return (
    <button
      type="button"
      className="session-item recent-board"
      data-testid="start-recent"
      data-path={path}
      title={path}
      onClick={onOpen}
    >
      <span className="recent-thumbnail" aria-hidden="true">
        {/* The name beside it says which board it is: the picture adds nothing for a screen reader. */}
        {thumbnail && <img src={thumbnail} alt="" data-testid="start-recent-thumbnail" />}
      </span>
      <span className="recent-text">
        <span className="session-name">{boardName(path)}</span>
        <span className="muted">{folderOf(path)}</span>
      </span>
    </button>
  )
}

/**
 * The app's start screen: a new board, opening one, the recent boards, and the sessions on the network with the
 * address field (the Join panel's own parts). `onOpened` takes a board the person opened or made.
 */
export function StartScreen({
  bridge,
  onOpened,
  onClose,
}: {
  bridge: Bridge
  onOpened(result: Opened): void
  onClose(): void
}) {
  const [recent, setRecent] = useState<string[] | null>(null)
  const [showSettings, setShowSettings] = useState(false)

  useEffect(() => {
    let alive = true
    bridge
      .recentBoards?.()
      .then((list) => alive && setRecent(list))
      .catch(() => alive && setRecent([]))
    return () => {
      alive = false
    }
  }, [bridge])

  const run = async (action: () => Promise<Opened>) => {
    try {
      onOpened(await action())
    } catch (err) {
      onOpened({ error: errorMessage(err) })
    }
  }

  return (
    <Dialog
      title={showSettings ? 'Settings' : 'Lanvas'}
      className="start-screen"
      testId="start-screen"
      closeTestId="start-close"
      onClose={onClose}
      headerActions={
        bridge.settings && (
          <button
            type="button"
            className="text-button"
            data-testid="start-settings"
            aria-pressed={showSettings}
            onClick={() => setShowSettings((v) => !v)}
          >
            {showSettings ? 'Back' : 'Settings'}
          </button>
        )
      }
    >
      {showSettings && <SettingsPanel bridge={bridge} />}
      <div className="start-columns" hidden={showSettings}>
        <section className="start-boards" aria-label="Your boards">
          <div className="start-actions">
            {bridge.newBoard && (
              <button
                type="button"
                className="primary-button"
                data-testid="start-new"
                onClick={() =>
                  bridge.newBoard && void run(() => bridge.newBoard?.() ?? Promise.resolve(null))
                }
              >
                New board
              </button>
            )}
            <button
              type="button"
              className="text-button"
              data-testid="start-open"
              onClick={() => void run(() => bridge.openBoard())}
            >
              Open…
            </button>
          </div>
          <h3>Recent boards</h3>
          {recent !== null && recent.length === 0 && (
            <p className="muted" data-testid="start-no-recent">
              Boards you open or save appear here.
            </p>
          )}
          <ul className="start-recent">
            {recent?.map((path) => (
              <li key={path}>
                <RecentBoard
                  bridge={bridge}
                  path={path}
                  onOpen={() =>
                    bridge.openRecentBoard &&
                    void run(() => bridge.openRecentBoard?.(path) ?? Promise.resolve(null))
                  }
                />
              </li>
            ))}
          </ul>
        </section>
        <section className="start-join" aria-label="Join a session">
          <h3>Sessions on your network</h3>
          <JoinChoices bridge={bridge} />
        </section>
      </div>
    </Dialog>
  )
}
