import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** A path in `dir` for a new board that no existing file has, so an existing board is never overwritten. */
export function freshBoardPath(dir: string): string {
  for (let i = 1; ; i++) {
    const path = join(dir, i === 1 ? 'Untitled.lanvas' : `Untitled ${i}.lanvas`)
    if (!existsSync(path)) return path
  }
}
