import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Board } from '../../../shared/board'
import { encodeBoardFile } from '../../../shared/boardFile'
import { errorMessage } from '../../../shared/errors'
import type { Bridge } from '../bridge'
import type { Say } from './useMessages'

/** Which side panel is open. */
export type Panel = 'people' | 'share' | null

/**
 * Sharing this board on the network (app only): the networks this computer is on, while the Share panel is open;
 * sharing on all or one of them; and hosting a copy of a board whose host left (`hostAgain`).
 */
export function useSharing(
  bridge: Bridge,
  board: Board | null,
  name: string,
  panel: Panel,
  setPanel: (panel: Panel) => void,
  say: Say,
) {
  const [sharedLinks, setSharedLinks] = useState<string[]>([])
  const [sharing, setSharing] = useState(false)
  const [networkAddresses, setNetworkAddresses] = useState<string[]>([])
  // The network the app's settings name, picked first in the Share panel (when this computer still has it).
  const [preferredNetwork, setPreferredNetwork] = useState<string | undefined>()
  const [shareError, setShareError] = useState<string | undefined>()

  useEffect(() => {
    if (panel !== 'share' || !bridge.networkAddresses) return
    let alive = true
    bridge
      .networkAddresses()
      .then((list) => alive && setNetworkAddresses(list))
      .catch(() => {})
    bridge
      .settings?.()
      .then((r) => alive && 'settings' in r && setPreferredNetwork(r.settings.shareNetwork ?? undefined))
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [panel, bridge])

  const share = useCallback(
    async (address?: string) => {
      if (!bridge.shareSession) return
      setSharing(true)
      setShareError(undefined)
      try {
        const result = await bridge.shareSession(address)
        if ('error' in result) setShareError(result.error)
        else setSharedLinks(result.joinLinks)
      } catch (err) {
        setShareError(`Could not share the board: ${errorMessage(err)}`)
      } finally {
        setSharing(false)
      }
    },
    [bridge],
  )

  const hostAgain = useMemo(() => {
    const hostBoard = bridge.hostBoard
    if (!hostBoard || !board) return undefined
    return async () => {
      try {
        const result = await hostBoard(encodeBoardFile(board.doc), name || 'board')
        if ('error' in result) say('error', result.error)
        else {
          setSharedLinks(result.joinLinks)
          setPanel('share')
          say('info', 'You now host this board; send the others the new link.')
        }
      } catch (err) {
        say('error', `Could not host the board: ${errorMessage(err)}`)
      }
    }
  }, [bridge, board, name, say, setPanel])

  return { sharedLinks, sharing, networkAddresses, preferredNetwork, shareError, share, hostAgain }
}
