import { useCallback, useEffect, useRef, useState } from 'react'
import { clampZoom, type Viewport } from '../../../shared/geometry'
import type { ViewportStore } from '../canvas/viewportStore'
import type { PeerPresence } from './presence'

/** The view that shows at least what `their` viewport shows, centred the same, on a screen of this size. */
export function followView(their: PeerPresence['viewport'], width: number, height: number): Viewport {
  const fit = their.width > 0 && their.height > 0 ? Math.min(width / their.width, height / their.height) : 1
  const zoom = clampZoom(their.zoom * fit)
  const cx = their.x + (their.width || width) / their.zoom / 2
  const cy = their.y + (their.height || height) / their.zoom / 2
  return { x: cx - width / 2 / zoom, y: cy - height / 2 / zoom, zoom }
}

/**
 * Follow mode: this page's view tracks another person's viewport until this person pans or zooms,
 * presses Esc (the Stop following command calls `stop`), or the other person leaves.
 */
export function useFollow(viewport: ViewportStore, peers: PeerPresence[]) {
  const [followingId, setFollowingId] = useState<number | null>(null)
  const lastSet = useRef<Viewport | null>(null)
  const following = followingId === null ? undefined : peers.find((p) => p.clientId === followingId)

  const stop = useCallback(() => {
    lastSet.current = null
    setFollowingId(null)
  }, [])

  useEffect(() => {
    if (followingId !== null && !following) stop()
  }, [followingId, following, stop])

  // Their viewport, applied whenever it changes.
  const target = following?.viewport
  useEffect(() => {
    if (!target) return
    const { width, height } = viewport.screenSize()
    const view = followView(target, width, height)
    lastSet.current = view
    viewport.set(view)
  }, [target, viewport])

  // Any other change of the view is this person taking over: stop following.
  useEffect(() => {
    if (followingId === null) return
    const off = viewport.subscribe(() => {
      const v = viewport.get()
      const mine = lastSet.current
      if (mine && (v.x !== mine.x || v.y !== mine.y || v.zoom !== mine.zoom)) stop()
    })
    return off
  }, [followingId, viewport, stop])

  return {
    following,
    follow: (clientId: number | null) => (clientId === null ? stop() : setFollowingId(clientId)),
    stop,
  }
}
