import type { Api } from './api'

declare global {
  interface Window {
    /** The Electron preload's API; absent in a plain browser. */
    lanvas?: Api
  }
}
