import { useEffect, useRef } from 'react'
import type { Board } from '../../../shared/board'
import type { ViewportStore } from '../canvas/viewportStore'
import { countRender } from '../testHandle'
import { followInkTips, type PeerCursors } from './peerCursors'
import { LASER_FADE_MS, type LocalPresence, type PeerPresence } from './presence'
import type { PeerPresences } from './usePresence'
import './PresenceLayer.css'

export interface PresenceLayerProps {
  viewport: ViewportStore
  peers: PeerPresence[]
  local: LocalPresence | undefined
  /** Everyone's pointers (moved without a render) and latest presence (laser trails). */
  cursors: PeerCursors
  presences: PeerPresences
  /** The board, whose strokes in progress carry their drawer's cursor at their tip. */
  board: Board
}

/** Laser line width in screen pixels, the same at every zoom. */
const LASER_WIDTH_PX = 4

/**
 * Other people's cursors (name and colour) and everyone's laser trails, in screen space over the board.
 * Never listens to the pointer: the board below gets every event.
 */
export function PresenceLayer({ viewport, peers, local, cursors, presences, board }: PresenceLayerProps) {
  countRender()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const cursorEls = useRef(new Map<number, HTMLDivElement>())

  // Cursors: placed straight on their elements when someone's pointer or ink moves or the view changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new peer's cursor element is placed once React made it.
  useEffect(() => {
    // What each cursor element was last given: only what changes is written (a write restyles the element).
    const shown = new WeakMap<HTMLDivElement, { transform: string; onInk: boolean }>()
    const placeOne = (client: number, el: HTMLDivElement) => {
      const at = cursors.get(client)
      const was = shown.get(el)
      if (!at) {
        if (was?.transform !== '') el.style.display = 'none'
        shown.set(el, { transform: '', onInk: false })
        return
      }
      const s = viewport.toScreen(at.x, at.y)
      const transform = `translate(${s.x}px, ${s.y}px)`
      // A cursor on someone's ink moves with every point, where the ink is drawn in that frame: not eased behind it
      // (an eased move is an animation, which costs the page two more frames per point; PresenceLayer.css).
      const onInk = cursors.followsInk(client)
      if (!was || was.transform === '') el.style.display = ''
      if (was?.onInk !== onInk) {
        if (onInk) el.dataset.onInk = ''
        else delete el.dataset.onInk
      }
      if (was?.transform !== transform) el.style.transform = transform
      shown.set(el, { transform, onInk })
    }
    const place = () => {
      for (const [client, el] of cursorEls.current) placeOne(client, el)
    }
    place()
    // One person's pointer moved: only their cursor is placed again.
    const offCursors = cursors.subscribe((client) => {
      const el = cursorEls.current.get(client)
      if (el) placeOne(client, el)
    })
    const offView = viewport.subscribe(place)
    const offInk = followInkTips(board, board.doc.clientID, (client, x, y) => cursors.inkTip(client, x, y))
    return () => {
      offCursors()
      offView()
      offInk()
    }
  }, [cursors, viewport, board, peers])

  // Laser trails: redrawn every frame while any trail is still fading, idle otherwise.
  useEffect(() => {
    const canvas = canvasRef.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx) return
    let frame = 0
    const draw = () => {
      frame = 0
      const dpr = window.devicePixelRatio || 1
      const { width, height } = viewport.screenSize()
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr)
        canvas.height = Math.round(height * dpr)
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      ctx.clearRect(0, 0, width, height)
      const now = performance.now()
      const wall = Date.now()
      let alive = false
      const trails: { color: string; points: [number, number, number][]; age: (t: number) => number }[] = []
      for (const p of presences.current) {
        const newest = p.laser.at(-1)?.[2] ?? 0
        // Ages from this page's clock and the sender's own spacing, so clock skew between machines is harmless.
        trails.push({
          color: p.user.color,
          points: p.laser,
          age: (t) => now - p.laserReceivedAt + newest - t,
        })
      }
      if (local) {
        const own = local.current
        trails.push({ color: own.user.color, points: own.laser, age: (t) => wall - t })
      }
      ctx.lineCap = 'round'
      ctx.lineJoin = 'round'
      for (const trail of trails) {
        const pts = trail.points
        for (let i = 1; i < pts.length; i++) {
          const a = pts[i - 1] as [number, number, number]
          const b = pts[i] as [number, number, number]
          const fade = 1 - trail.age(b[2]) / LASER_FADE_MS
          if (fade <= 0) continue
          alive = true
          const sa = viewport.toScreen(a[0], a[1])
          const sb = viewport.toScreen(b[0], b[1])
          ctx.globalAlpha = fade
          ctx.strokeStyle = trail.color
          ctx.lineWidth = LASER_WIDTH_PX * (0.4 + 0.6 * fade)
          ctx.shadowColor = trail.color
          ctx.shadowBlur = 8
          ctx.beginPath()
          ctx.moveTo(sa.x, sa.y)
          ctx.lineTo(sb.x, sb.y)
          ctx.stroke()
        }
        const last = pts.at(-1)
        if (last && trail.age(last[2]) < LASER_FADE_MS) {
          alive = true
          const s = viewport.toScreen(last[0], last[1])
          ctx.globalAlpha = 1 - trail.age(last[2]) / LASER_FADE_MS
          ctx.fillStyle = trail.color
          ctx.beginPath()
          ctx.arc(s.x, s.y, LASER_WIDTH_PX, 0, Math.PI * 2)
          ctx.fill()
        }
      }
      ctx.globalAlpha = 1
      ctx.shadowBlur = 0
      // Hidden while no laser shows: a full-screen transparent canvas costs the compositor every frame.
      canvas.hidden = !alive
      if (alive) frame = requestAnimationFrame(draw)
    }
    const kick = () => {
      if (!frame) frame = requestAnimationFrame(draw)
    }
    kick()
    // New laser points (own or others') and view changes restart the loop.
    const offView = viewport.subscribe(kick)
    const offLaser = local?.onLaser(kick)
    const offPeerLaser = presences.onLaser(kick)
    return () => {
      cancelAnimationFrame(frame)
      offView()
      offLaser?.()
      offPeerLaser()
    }
  }, [viewport, local, presences])

  return (
    <div className="presence-layer" data-testid="presence-layer">
      <canvas ref={canvasRef} className="laser-canvas" data-testid="laser-canvas" />
      {peers.map((p) => (
        <div
          key={p.clientId}
          ref={(el) => {
            if (el) cursorEls.current.set(p.clientId, el)
            else cursorEls.current.delete(p.clientId)
          }}
          className="presence-cursor"
          data-testid="presence-cursor"
          data-name={p.user.name}
          style={{ display: 'none' }}
        >
          <svg width="16" height="18" viewBox="0 0 16 18" aria-hidden="true">
            <path
              d="M1 1l5.2 15 2.3-6.2L15 7.5z"
              fill={p.user.color}
              stroke="#fff"
              strokeWidth="1.4"
              strokeLinejoin="round"
            />
          </svg>
          <span className="presence-name" style={{ background: p.user.color }}>
            {p.user.name}
          </span>
        </div>
      ))}
    </div>
  )
}
