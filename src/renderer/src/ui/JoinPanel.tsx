import { useEffect, useState } from 'react'
import { parseJoinInput } from '../../../shared/joinLink'
import { listedSessionAddress } from '../../../shared/sessionAddress'
import type { Bridge, SessionList } from '../bridge'
import { Dialog } from './Dialog'
import './JoinPanel.css'

// The list is asked again this often while open, so sessions appear and go within the 3 s.
/** How often the Join panel asks for the sessions on the network. */
const REFRESH_MS = 2000

/** Sessions on the network, and an address field for networks where they cannot be found. */
export function JoinChoices({ bridge, initialAddress = '' }: { bridge: Bridge; initialAddress?: string }) {
  const [list, setList] = useState<SessionList | null>(null)
  const [failed, setFailed] = useState(false)
  const [address, setAddress] = useState(initialAddress)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = async () => {
      try {
        const next = await bridge.discoverSessions()
        if (!alive) return
        setList(next)
        setFailed(false)
      } catch {
        if (alive) setFailed(true)
      }
      if (alive) timer = setTimeout(load, REFRESH_MS)
    }
    void load()
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [bridge])

  const open = async (url: string) => {
    setError(null)
    const result = await bridge.joinSession(url)
    if (result) setError(result.error)
  }

  return (
    <>
      <div className="session-list" data-testid="join-sessions">
        {list === null && !failed && <p className="muted">Looking for sessions on your network…</p>}
        {failed && (
          <p className="muted" data-testid="join-discovery-failed">
            Could not ask for sessions right now; trying again…
          </p>
        )}
        {list && !failed && !list.discovery && (
          <p className="muted" data-testid="join-discovery-off">
            Finding sessions on the network is off here. Type the address the host gives you below.
          </p>
        )}
        {!failed && list?.discovery && list.sessions.length === 0 && (
          <p className="muted" data-testid="join-none">
            No sessions found on your network yet. They appear here as soon as someone shares one.
          </p>
        )}
        {list?.sessions.map((s) => {
          if (s.addresses.length === 0) return null
          // Anyone can announce a session: its address passes the same check as a typed one.
          const target = listedSessionAddress(s.addresses, s.port)
          return (
            <button
              key={`${s.name}@${s.addresses.join(',')}:${s.port}`}
              type="button"
              className="session-item"
              data-testid="join-session"
              data-name={s.name}
              onClick={() => ('error' in target ? setError(target.error) : void open(target.url))}
            >
              <span className="session-name">{s.name}</span>
              <span className="muted">
                “{s.boardName}” · hosted by {s.hostName}
                {s.approval ? ' · the host lets you in' : ''}
                {s.participants !== undefined ? ` · ${s.participants} in` : ''}
              </span>
            </button>
          )
        })}
      </div>
      <form
        className="address-form"
        onSubmit={(e) => {
          e.preventDefault()
          const parsed = parseJoinInput(address)
          if ('error' in parsed) setError(parsed.error)
          else void open(parsed.url)
        }}
      >
        <label className="muted" htmlFor="join-address">
          Or type the host’s address
        </label>
        <div className="link-row">
          <input
            id="join-address"
            className="text-input"
            data-testid="join-address"
            placeholder="192.168.1.20:47800"
            value={address}
            onChange={(e) => {
              setAddress(e.target.value)
              setError(null)
            }}
          />
          <button type="submit" className="primary-button" data-testid="join-submit">
            Join
          </button>
        </div>
        {error && (
          <p className="error-text" data-testid="join-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </>
  )
}

/** The Join dialog: the sessions on the network and the address field. */
export function JoinPanel({
  bridge,
  onClose,
  initialAddress = '',
}: {
  bridge: Bridge
  onClose(): void
  /** A join link the person pasted on the board: shown for them to confirm with Join. */
  initialAddress?: string
}) {
  return (
    <Dialog
      title="Join a session"
      className="join-dialog"
      testId="join-panel"
      closeTestId="join-close"
      onClose={onClose}
    >
      <JoinChoices bridge={bridge} initialAddress={initialAddress} />
    </Dialog>
  )
}
