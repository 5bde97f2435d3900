import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** What the app remembers between runs. */
export interface Settings {
  /** The board that was open when the app last closed; reopened at start. */
  lastBoardPath?: string
}

/** Reads the app's settings from `dir`; a missing or unreadable file gives the defaults. */
export async function readSettings(dir: string): Promise<Settings> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))
    if (
      parsed &&
      typeof parsed === 'object' &&
      'lastBoardPath' in parsed &&
      typeof parsed.lastBoardPath === 'string'
    )
      return { lastBoardPath: parsed.lastBoardPath }
  } catch {
    // No settings yet, or a damaged file: start from the defaults rather than refuse to open.
  }
  return {}
}

/** Writes the app's settings to `dir` (to a temporary name first, then renamed). */
export async function writeSettings(dir: string, settings: Settings): Promise<void> {
  const file = join(dir, 'settings.json')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(`${file}.tmp`, JSON.stringify(settings, null, 2))
  await rename(`${file}.tmp`, file)
}
