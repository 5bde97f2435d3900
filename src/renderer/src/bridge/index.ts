import type { Bridge } from './bridge'
import { ElectronBridge } from './electronBridge'
import { WebBridge } from './webBridge'

export type { Bridge, DiscoveredSessionInfo, SaveBoardOutcome, SessionList } from './bridge'

/** The bridge for where this page runs: Electron when the preload exposed its API, else the web. */
export function createBridge(): Bridge {
  return window.lanvas ? new ElectronBridge(window.lanvas) : new WebBridge()
}
