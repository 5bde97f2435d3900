import { stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'

/** As many as a File > Open Recent menu and a start screen show without scrolling. */
export const RECENT_BOARDS_CAP = 12

// Windows and macOS file systems ignore case by default: C:\A.lanvas and c:\a.lanvas are one board there.
const sameFile = (a: string, b: string, platform: NodeJS.Platform): boolean =>
  platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase()

/** The list with `path` in front (moved there if it was already in it), cut to the cap. */
export function addRecentBoard(
  list: readonly string[],
  path: string,
  platform: NodeJS.Platform = process.platform,
  cap = RECENT_BOARDS_CAP,
): string[] {
  const full = resolve(path)
  return [full, ...list.filter((p) => !sameFile(p, full, platform))].slice(0, cap)
}

/** The list without `path` (a board that could not be opened, or one the person removed). */
export function removeRecentBoard(
  list: readonly string[],
  path: string,
  platform: NodeJS.Platform = process.platform,
): string[] {
  return list.filter((p) => !sameFile(p, resolve(path), platform))
}

/** The boards whose files are still there (regular files); gone, moved or replaced by a folder are dropped. */
export async function pruneRecentBoards(list: readonly string[]): Promise<string[]> {
  const kept = await Promise.all(
    list.map((p) =>
      stat(p).then(
        (s) => s.isFile(),
        () => false,
      ),
    ),
  )
  return list.filter((_p, i) => kept[i])
}

/** A stored list: absolute paths only, no repeats, at most the cap; undefined when it is not a list. */
export function parseRecentBoards(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined
  const paths = value.filter((p): p is string => typeof p === 'string' && isAbsolute(p) && p.length < 4096)
  return [...new Set(paths)].slice(0, RECENT_BOARDS_CAP)
}
