import type { Api } from './index'

declare global {
  interface Window {
    /** The Electron preload's API; absent in a plain browser. */
    lanvas?: Api
  }
}
