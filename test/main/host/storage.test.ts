import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { Autosave, boardFileName, writeNewBoardFile } from '../../../src/main/host/storage'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

describe('board files on disk', () => {
  const scope = eachTestHost()
  let dir: string
  beforeEach(() => {
    dir = scope.dir
  })

  it('refuses to start on a damaged board file and leaves it untouched', async () => {
    const path = join(dir, 'board.lanvas')
    const good = encodeBoardFile(new Board().doc)
    const damaged = Buffer.from(good)
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff
    await writeFile(path, damaged)
    await expect(scope.start()).rejects.toThrow(
      'This board file is damaged: its contents do not match its checksum.',
    )
    expect((await readFile(path)).equals(damaged)).toBe(true)
    expect(await readdir(dir)).toEqual(['board.lanvas'])
  })

  it('refuses to start on a foreign file', async () => {
    const path = join(dir, 'board.lanvas')
    await writeFile(path, 'just some notes')
    await expect(scope.start()).rejects.toThrow(/not a Lanvas board file/)
    expect(await readFile(path, 'utf8')).toBe('just some notes')
  })

  it('creates a missing board file on the first save, and saves on close', async () => {
    const host = await scope.start({ autosave: { quietMs: 60_000, maxDelayMs: 60_000 } })
    expect(await readdir(dir)).toEqual([])
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#abcdef', width: 2 }, [1, 1, 1])
    await waitUntil('the host has the stroke', () =>
      openBoardFile(host.boardFileBytes(host.defaultBoardId)).getStroke(id),
    )
    client.destroy()
    await host.close()
    const saved = openBoardFile(await readFile(join(dir, 'board.lanvas')))
    expect(saved.getStroke(id)?.points).toEqual(new Float32Array([1, 1, 1]))
    expect(await readdir(dir)).toEqual(['board.lanvas'])
  })

  it('autosaves while a stroke is still being drawn', async () => {
    const host = await scope.start()
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#abcdef', width: 2 }, [0, 0, 1])
    client.board.appendPoints(id, [1, 1, 1])
    await waitUntil('the file holds the stroke in progress', async () => {
      try {
        return openBoardFile(await readFile(join(dir, 'board.lanvas'))).getStroke(id)?.points.length === 6
      } catch {
        return false
      }
    })
    client.destroy()
    await host.close()
  })

  it('saves a board under another name and keeps saving there', async () => {
    const host = await scope.start()
    const copy = join(dir, 'copy.lanvas')
    const opened = await host.saveBoardAs(host.defaultBoardId, copy)
    expect(opened).toEqual({ id: host.defaultBoardId, name: 'copy', path: copy })
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#abcdef', width: 2 }, [0, 0, 1])
    await waitUntil('the host has the stroke', () =>
      openBoardFile(host.boardFileBytes(host.defaultBoardId)).getStroke(id),
    )
    await host.flush()
    expect(openBoardFile(await readFile(copy)).getStroke(id)).toBeDefined()
    client.destroy()
    await host.close()
  })

  it('opens the same file once and another file as another board', async () => {
    const host = await scope.start()
    const again = await host.openBoardFile(join(dir, 'board.lanvas'))
    expect(again.id).toBe(host.defaultBoardId)
    const other = await host.openBoardFile(join(dir, 'other.lanvas'))
    expect(other.id).not.toBe(host.defaultBoardId)
    expect(other.name).toBe('other')
    await host.close()
  })

  it('writes new files without overwriting, with safe names', async () => {
    const a = await writeNewBoardFile(dir, 'Notes', new Uint8Array([1]))
    const b = await writeNewBoardFile(dir, 'Notes.lanvas', new Uint8Array([2]))
    expect([a, b]).toEqual([join(dir, 'Notes.lanvas'), join(dir, 'Notes (2).lanvas')])
    expect([...(await readFile(a))]).toEqual([1])
    expect((await readdir(dir)).sort()).toEqual(['Notes (2).lanvas', 'Notes.lanvas'])
    expect(boardFileName('../../etc/passwd')).toBe('etc passwd')
    expect(boardFileName('a/b\\c:d')).toBe('a b c d')
    expect(boardFileName('  ')).toBe('Imported board')
  })
})

describe('Autosave', () => {
  it('saves during continuous changes, not only after they stop', async () => {
    let saves = 0
    const autosave = new Autosave(
      async () => {
        saves++
      },
      (e) => {
        throw e
      },
      30,
      120,
    )
    let editing = true
    const edits = (async () => {
      while (editing) {
        autosave.changed()
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    await waitUntil('a save during the edits', () => saves > 0)
    editing = false
    await edits
    await autosave.close()
    expect(autosave.pending).toBe(false)
  })

  it('keeps changes pending when a save fails, and saves them on the next flush', async () => {
    let fail = true
    let saved = 0
    const autosave = new Autosave(
      async () => {
        if (fail) throw new Error('disk full')
        saved++
      },
      () => {},
      60_000,
      60_000,
    )
    autosave.changed()
    await expect(autosave.flush()).rejects.toThrow('disk full')
    expect(autosave.pending).toBe(true)
    fail = false
    await autosave.flush()
    expect(saved).toBe(1)
    expect(autosave.pending).toBe(false)
  })
})
