import type { Bridge, LanvasPreloadApi } from './bridge'

/** The bridge inside the Electron shell: native dialogs through the preload API. */
export class ElectronBridge implements Bridge {
  constructor(private readonly api: LanvasPreloadApi) {}

  async saveBoard(boardId: string): Promise<string | null> {
    const result = await this.api.saveBoardAs(boardId)
    if (!result) return null
    if ('error' in result) return result.error
    return `Saved to ${result.path}`
  }

  openBoard(): Promise<{ id: string } | { error: string } | null> {
    return this.api.openBoard()
  }
}
