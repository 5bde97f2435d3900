import { type RefObject, useEffect, useRef } from 'react'
import type { Board } from '../../../shared/board'
import type { ViewportStore } from '../canvas/viewportStore'
import type { ElementQuery } from '../selection/elementQuery'
import { drawPeerOutlines, peerOutlines } from './peerOutlines'
import './PresenceLayer.css'
import type { PeerPresence } from './presence'

export interface PeerSelectionsProps {
  board: Board
  viewport: ViewportStore
  peers: PeerPresence[]
  scene: RefObject<ElementQuery | null>
}

/**
 * Other people's selections, outlined in their colours with their names, on one canvas over the board. Redrawn (once
 * a frame at most) when the view, the board or someone's selection changes; never re-rendered by React for it.
 */
export function PeerSelections({ board, viewport, peers, scene }: PeerSelectionsProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const peersRef = useRef(peers)
  peersRef.current = peers
  const kickRef = useRef<() => void>(() => {})

  useEffect(() => {
    const canvas = canvasRef.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx) return
    let frame = 0
    let drawn = false
    const draw = () => {
      frame = 0
      const { width, height } = viewport.screenSize()
      const query = scene.current
      const all = query
        ? peerOutlines(peersRef.current, (id) => query.element(id), viewport.get(), width, height)
        : []
      // Hidden while it has no outline: a full-screen transparent canvas costs the compositor every frame.
      canvas.style.visibility = all.length === 0 ? 'hidden' : ''
      if (all.length === 0 && !drawn) return
      const dpr = window.devicePixelRatio || 1
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr)
        canvas.height = Math.round(height * dpr)
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      ctx.clearRect(0, 0, width, height)
      drawPeerOutlines(ctx, all, getComputedStyle(canvas).getPropertyValue('--on-person-color') || '#fff')
      drawn = all.length > 0
      canvas.dataset.outlines = String(all.reduce((n, p) => n + p.rects.length, 0))
    }
    const kick = () => {
      if (!frame) frame = requestAnimationFrame(draw)
    }
    // Board edits only matter while someone has a selection (it may have moved, or gone).
    const onBoard = () => {
      if (drawn || peersRef.current.some((p) => p.selection.length > 0)) kick()
    }
    kick()
    kickRef.current = kick
    const offView = viewport.subscribe(kick)
    board.elements.observeDeep(onBoard)
    board.moves.observe(onBoard)
    board.styles.observe(onBoard)
    return () => {
      cancelAnimationFrame(frame)
      kickRef.current = () => {}
      offView()
      board.elements.unobserveDeep(onBoard)
      board.moves.unobserve(onBoard)
      board.styles.unobserve(onBoard)
    }
  }, [board, viewport, scene])

  // Cursor moves change `peers` 30 times a second; only a change of someone's selection or tag redraws.
  const shownRef = useRef<PeerPresence[]>([])
  useEffect(() => {
    const before = shownRef.current
    shownRef.current = peers
    const same =
      before.length === peers.length &&
      peers.every((p, i) => {
        const b = before[i]
        return b?.selection === p.selection && b.user.color === p.user.color && b.user.name === p.user.name
      })
    if (!same) kickRef.current()
  }, [peers])

  return <canvas ref={canvasRef} className="peer-selections" data-testid="peer-selections" />
}
