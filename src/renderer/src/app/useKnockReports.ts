import { useEffect } from 'react'
import type { Knock } from '../../../shared/sync/session'
import type { Bridge } from '../bridge'

/**
 * Tells the app who is knocking on the session this window hosts, each time the list changes: the app shows a
 * system notification when the window is not in front (src/main/knockNotice.ts decides).
 */
export function useKnockReports(bridge: Bridge, knocks: readonly Knock[] | undefined, isHost: boolean): void {
  const list = isHost ? (knocks ?? []) : []
  // The list's identity changes with every session update: only a change of who knocks is reported.
  const key = list.map((k) => k.id).join('\n')
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the list's content
  useEffect(() => {
    if (!bridge.knocks) return
    bridge.knocks(list.map((k) => ({ id: k.id, name: k.name }))).catch(() => {})
  }, [bridge, key])
}
