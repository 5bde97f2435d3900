import { useCallback, useEffect, useState } from 'react'
import type { AppSettings, SettingsResult } from '../../../shared/ipc'
import type { Bridge } from '../bridge'

const THEMES: { value: AppSettings['theme']; label: string }[] = [
  { value: 'system', label: 'As the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/**
 * The app's settings: theme, the port and network "Share on network" uses, and the folder for new boards. Each
 * change is saved at once; the app checks it and says when it kept the old value.
 */
export function SettingsPanel({ bridge }: { bridge: Bridge }) {
  const [settings, setSettings] = useState<AppSettings | null>(null)
  const [message, setMessage] = useState<string | undefined>()
  const [port, setPort] = useState('')
  const [networks, setNetworks] = useState<string[]>([])

  const take = useCallback((result: SettingsResult | null) => {
    if (!result) return
    if ('error' in result) {
      setMessage(result.error)
      return
    }
    setSettings(result.settings)
    setPort(String(result.settings.sharePort))
    setMessage(result.message)
  }, [])

  useEffect(() => {
    let alive = true
    bridge
      .settings?.()
      .then((r) => alive && take(r))
      .catch(() => {})
    bridge
      .networkAddresses?.()
      .then((a) => alive && setNetworks(a))
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [bridge, take])

  const change = async (next: Partial<AppSettings>) => {
    if (bridge.setSettings) take(await bridge.setSettings(next))
  }

  if (!settings) return <p className="muted">Reading the settings…</p>
  return (
    <div className="settings-panel" data-testid="settings-panel">
      {message && (
        <p className="error-text" role="alert" data-testid="settings-message">
          {message}
        </p>
      )}
      <fieldset className="settings-group">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="settings-choice">
            <input
              type="radio"
              name="theme"
              data-testid={`settings-theme-${t.value}`}
              checked={settings.theme === t.value}
              onChange={() => void change({ theme: t.value })}
            />
            {t.label}
          </label>
        ))}
      </fieldset>
      <form
        className="settings-group"
        onSubmit={(e) => {
          e.preventDefault()
          void change({ sharePort: Number(port) })
        }}
      >
        <label htmlFor="settings-port">Port for sharing on the network</label>
        <div className="link-row">
          <input
            id="settings-port"
            className="text-input"
            data-testid="settings-port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            onBlur={() => port !== String(settings.sharePort) && void change({ sharePort: Number(port) })}
          />
        </div>
      </form>
      <div className="settings-group">
        <label htmlFor="settings-network">Network to share on</label>
        <select
          id="settings-network"
          className="text-input"
          data-testid="settings-network"
          value={settings.shareNetwork ?? ''}
          onChange={(e) => void change({ shareNetwork: e.target.value || null })}
        >
          <option value="">All networks</option>
          {[...new Set([...networks, ...(settings.shareNetwork ? [settings.shareNetwork] : [])])].map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="settings-group">
        <span>Folder for new boards</span>
        <span className="muted" data-testid="settings-folder">
          {settings.autosaveDir ?? 'Documents/Lanvas'}
        </span>
        <div className="start-actions">
          <button
            type="button"
            className="text-button"
            data-testid="settings-folder-choose"
            onClick={async () => bridge.chooseBoardsFolder && take(await bridge.chooseBoardsFolder())}
          >
            Choose…
          </button>
          {settings.autosaveDir && (
            <button
              type="button"
              className="text-button"
              data-testid="settings-folder-default"
              onClick={() => void change({ autosaveDir: null })}
            >
              Use Documents/Lanvas
            </button>
          )}
        </div>
      </div>
    </div>
  )
}
