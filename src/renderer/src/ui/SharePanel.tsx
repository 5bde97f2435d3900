import QRCode from 'qrcode'
import { useEffect, useState } from 'react'
import { copyText } from './copyText'
import './SharePanel.css'

export interface SharePanelProps {
  sessionName: string | undefined
  joinLinks: string[]
  /** The app can open this board to the network ("Share on network"), on all or one network; undefined in a browser. */
  onShare?: (address?: string) => void
  /** This computer's network addresses; with several, the person may pick one. */
  addresses?: string[]
  sharing: boolean
  error?: string
  /** The host makes a new link: the old links stop working, the people in stay in (host role only). */
  onNewLink?: () => void
  onClose(): void
  /** The network the app's settings name for sharing. */
  preferredNetwork?: string
}

/** The session's join links with copy buttons and a QR code of the first, for phones. */
export function SharePanel({
  sessionName,
  joinLinks,
  onShare,
  addresses = [],
  preferredNetwork,
  sharing,
  error,
  onNewLink,
  onClose,
}: SharePanelProps) {
  const first = joinLinks[0]
  const [network, setNetwork] = useState('')
  // The settings' network is picked once it is known to be one of this computer's; the person can still change it.
  useEffect(() => {
    if (preferredNetwork && addresses.includes(preferredNetwork)) setNetwork(preferredNetwork)
  }, [preferredNetwork, addresses])
  const [qr, setQr] = useState<string | null>(null)
  const [copied, setCopied] = useState<string | null>(null)

  useEffect(() => {
    setQr(null)
    if (!first) return
    let alive = true
    QRCode.toDataURL(first, { margin: 1, width: 176, errorCorrectionLevel: 'M' })
      .then((url) => alive && setQr(url))
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [first])

  return (
    <section className="side-panel share-panel panel" data-testid="share-panel" aria-label="Share">
      <div className="panel-header">
        <span>{joinLinks.length > 0 ? 'Shared on your network' : 'Share this board'}</span>
        <button
          type="button"
          className="dismiss"
          aria-label="Close"
          data-testid="share-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {sessionName && joinLinks.length > 0 && (
        <div className="share-name" data-testid="share-session-name">
          {sessionName}
        </div>
      )}
      {joinLinks.length === 0 && onShare && (
        <>
          <p className="muted">
            People on this network can join from their Lanvas app or a browser. You choose who gets in.
          </p>
          {addresses.length > 1 && (
            <label className="share-network">
              Network
              <select
                data-testid="share-network"
                value={network}
                onChange={(e) => setNetwork(e.target.value)}
              >
                <option value="">All networks</option>
                {addresses.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="primary-button wide"
            data-testid="share-start"
            disabled={sharing}
            onClick={() => onShare(network || undefined)}
          >
            {sharing ? 'Sharing…' : 'Share on network'}
          </button>
        </>
      )}
      {joinLinks.length === 0 && !onShare && (
        <p className="muted">Only the host of this board can share it.</p>
      )}
      {error && (
        <p className="error-text" data-testid="share-error">
          {error}
        </p>
      )}
      {joinLinks.length > 0 && (
        <>
          <p className="muted">Anyone with a link joins as an editor. Send it only to people you trust.</p>
          <ul className="links">
            {joinLinks.map((link) => (
              <li key={link} className="link-row">
                <input
                  className="text-input link-text"
                  data-testid="share-link"
                  readOnly
                  value={link}
                  aria-label="Join link"
                  onFocus={(e) => e.target.select()}
                />
                <button
                  type="button"
                  className="text-button"
                  data-testid="share-copy"
                  onClick={async () => {
                    if (await copyText(link)) setCopied(link)
                  }}
                >
                  {copied === link ? 'Copied' : 'Copy'}
                </button>
              </li>
            ))}
          </ul>
          {qr && (
            <div className="qr">
              <img src={qr} width={176} height={176} alt="QR code of the join link" data-testid="share-qr" />
              <span className="muted">Scan with a phone on the same network</span>
            </div>
          )}
          {onNewLink && (
            <>
              <button type="button" className="text-button" data-testid="share-new-link" onClick={onNewLink}>
                New link
              </button>
              <p className="muted">
                A new link stops the old links and QR code from working. People already in stay in.
              </p>
            </>
          )}
        </>
      )}
    </section>
  )
}
