import { useEffect, useMemo, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { screenToBoard } from '../../../shared/geometry'
import type { CursorChannel } from '../../../shared/sync/cursors'
import type { ViewportStore } from '../canvas/viewportStore'
import type { SelectionStore } from '../selection/selectionStore'
import type { Identity } from '../session/identity'
import { Tool } from '../tools/tool'
import { PeerCursors } from './peerCursors'
import { LocalPresence, type PeerPresence, readPresence } from './presence'

/** The board canvas element that pointer positions are measured against. */
function boardElement(): HTMLElement | null {
  return document.querySelector('[data-testid="board-canvas"]')
}

/** Everyone else's presence as last received, laser trails included, for what draws every frame. */
export interface PeerPresences {
  current: PeerPresence[]
  /** Calls back when a laser trail changed (which changes no React state); returns the unsubscribe function. */
  onLaser(cb: () => void): () => void
}

/**
 * Publishes this page's presence (pointer, viewport, laser, selection) and gathers everyone else's.
 * The pointer is read from window events, so the canvas needs no knowledge of presence. `peers` (React state)
 * changes only when who is there, their names, views or selections do: pointers (`cursors`) and laser trails
 * (`presences`) move many times a second and are drawn without a render.
 */
export function usePresence(
  awareness: Awareness | undefined,
  viewport: ViewportStore,
  identity: Identity,
  tool: Tool,
  selection: SelectionStore,
  cursorChannel?: CursorChannel,
): {
  local: LocalPresence | undefined
  peers: PeerPresence[]
  cursors: PeerCursors
  presences: PeerPresences
} {
  // The identity is applied below; a new one must not make a new presence.
  const identityRef = useRef(identity)
  identityRef.current = identity
  const local = useMemo(
    () => (awareness ? new LocalPresence(awareness, identityRef.current, cursorChannel) : undefined),
    [awareness, cursorChannel],
  )
  const [peers, setPeers] = useState<PeerPresence[]>([])
  const cursors = useMemo(() => new PeerCursors(), [])
  const presences = useMemo(() => {
    const laser = new Set<() => void>()
    return {
      current: [] as PeerPresence[],
      onLaser(cb: () => void) {
        laser.add(cb)
        return () => laser.delete(cb)
      },
      laserChanged() {
        for (const cb of [...laser]) cb()
      },
    }
  }, [])

  // Others' pointers, as presence deltas.
  useEffect(() => cursorChannel?.onPeer((client, c) => cursors.apply(client, c)), [cursorChannel, cursors])

  useEffect(() => () => local?.destroy(), [local])
  useEffect(() => local?.setUser(identity), [local, identity])

  // Viewport: where this person looks, for others to follow.
  useEffect(() => {
    if (!local) return
    const send = () => {
      const { width, height } = viewport.screenSize()
      local.setViewport(viewport.get(), width, height)
    }
    send()
    return viewport.subscribe(send)
  }, [local, viewport])

  // Selection: what this person has picked, for others to see outlined.
  useEffect(() => {
    if (!local) return
    const send = () => local.setSelection(selection.get())
    send()
    return selection.subscribe(send)
  }, [local, selection])

  // Pointer: cursor on the board, and the laser while the laser tool is pressed.
  useEffect(() => {
    if (!local) return
    let lasering = false
    const toBoard = (e: PointerEvent) => {
      const el = boardElement()
      if (!el) return null
      const r = el.getBoundingClientRect()
      return screenToBoard(viewport.get(), e.clientX - r.left, e.clientY - r.top)
    }
    const onBoard = (e: PointerEvent) => {
      const el = boardElement()
      return el !== null && e.target instanceof Node && el.contains(e.target)
    }
    const move = (e: PointerEvent) => {
      if (!onBoard(e) && !lasering) return local.setCursor(null)
      const p = toBoard(e)
      local.setCursor(p)
      if (lasering && p) local.addLaserPoint(p.x, p.y)
    }
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || !onBoard(e)) return
      // The pen's ink tells peers where the pointer is while it draws.
      if (tool === Tool.Pen) local.setInking(true)
      if (tool !== Tool.Laser) return
      lasering = true
      const p = toBoard(e)
      if (p) local.addLaserPoint(p.x, p.y)
    }
    const up = () => {
      lasering = false
      local.setInking(false)
    }
    const leave = () => local.setCursor(null)
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerdown', down)
    window.addEventListener('pointerup', up)
    window.addEventListener('pointercancel', up)
    document.documentElement.addEventListener('pointerleave', leave)
    // Faded points are dropped so that a late resend does not revive them.
    const sweep = setInterval(() => local.clearFadedLaser(), 500)
    return () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerdown', down)
      window.removeEventListener('pointerup', up)
      window.removeEventListener('pointercancel', up)
      document.documentElement.removeEventListener('pointerleave', leave)
      clearInterval(sweep)
    }
  }, [local, viewport, tool])

  // Everyone else, each state checked before use.
  useEffect(() => {
    if (!awareness) {
      presences.current = []
      setPeers([])
      return
    }
    const known = new Map<number, PeerPresence>()
    let shown: PeerPresence[] = []
    const update = () => {
      const now = performance.now()
      const next: PeerPresence[] = []
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID) continue
        const presence = readPresence(state)
        if (!presence) continue
        const before = known.get(clientId)
        const laserChanged = !before || before.laser.at(-1)?.[2] !== presence.laser.at(-1)?.[2]
        // The same selection keeps its array, so what draws selections can tell a cursor move from a new pick.
        const selection =
          before && sameIds(before.selection, presence.selection) ? before.selection : presence.selection
        const peer = {
          ...presence,
          selection,
          clientId,
          laserReceivedAt: laserChanged ? now : before.laserReceivedAt,
        }
        known.set(clientId, peer)
        next.push(peer)
      }
      for (const id of [...known.keys()]) if (!next.some((p) => p.clientId === id)) known.delete(id)
      presences.current = next
      const lasers = next.some((p, i) => p.laser !== shown[i]?.laser)
      // A render only for what the page lays out from it; trails are drawn from `presences` directly.
      if (!samePeople(shown, next)) setPeers(next)
      shown = next
      if (lasers) presences.laserChanged()
    }
    update()
    awareness.on('change', update)
    return () => awareness.off('change', update)
  }, [awareness, presences])

  return { local, peers, cursors, presences }
}

/** Whether two lists show the same people with the same names, colours, views and selections (lasers aside). */
function samePeople(a: readonly PeerPresence[], b: readonly PeerPresence[]): boolean {
  if (a.length !== b.length) return false
  return a.every((p, i) => {
    const q = b[i] as PeerPresence
    const v = p.viewport
    const w = q.viewport
    return (
      p.clientId === q.clientId &&
      p.user.name === q.user.name &&
      p.user.color === q.user.color &&
      p.selection === q.selection &&
      v.x === w.x &&
      v.y === w.y &&
      v.zoom === w.zoom &&
      v.width === w.width &&
      v.height === w.height
    )
  })
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i])
}
