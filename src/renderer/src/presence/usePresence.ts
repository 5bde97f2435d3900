import { useEffect, useMemo, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { screenToBoard } from '../../../shared/geometry'
import type { ViewportStore } from '../canvas/viewportStore'
import type { SelectionStore } from '../selection/selectionStore'
import type { Identity } from '../session/identity'
import { Tool } from '../tools/tool'
import { LocalPresence, type PeerPresence, readPresence } from './presence'

/** The board canvas element that pointer positions are measured against. */
function boardElement(): HTMLElement | null {
  return document.querySelector('[data-testid="board-canvas"]')
}

/**
 * Publishes this page's presence (pointer, viewport, laser, selection) and gathers everyone else's.
 * The pointer is read from window events, so the canvas needs no knowledge of presence.
 */
export function usePresence(
  awareness: Awareness | undefined,
  viewport: ViewportStore,
  identity: Identity,
  tool: Tool,
  selection: SelectionStore,
): { local: LocalPresence | undefined; peers: PeerPresence[] } {
  // The identity is applied below; a new one must not make a new presence.
  const identityRef = useRef(identity)
  identityRef.current = identity
  const local = useMemo(
    () => (awareness ? new LocalPresence(awareness, identityRef.current) : undefined),
    [awareness],
  )
  const [peers, setPeers] = useState<PeerPresence[]>([])

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
      if (tool !== Tool.Laser || e.button !== 0 || !onBoard(e)) return
      lasering = true
      const p = toBoard(e)
      if (p) local.addLaserPoint(p.x, p.y)
    }
    const up = () => {
      lasering = false
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
      setPeers([])
      return
    }
    const known = new Map<number, PeerPresence>()
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
      setPeers(next)
    }
    update()
    awareness.on('change', update)
    return () => awareness.off('change', update)
  }, [awareness])

  return { local, peers }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i])
}
