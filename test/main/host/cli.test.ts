import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openBoardFile } from '../../../src/shared/boardFile'
import { connectClient, removeDir, syncUrl, tempDir } from '../../support/hostFixture'
import { startHostProcess } from '../../support/hostProcess'

const CLI = fileURLToPath(new URL('../../../out/main/cli.js', import.meta.url))

// Runs the built CLI (npm test builds first).
describe('the headless host process', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(async () => {
    await removeDir(dir)
  })

  it('serves a board on a free port and saves it on SIGTERM', async () => {
    const boardPath = join(dir, 'cli.lanvas')
    const host = await startHostProcess(['--port', '0', '--board', boardPath])
    try {
      expect(host.output()).toMatch(/^Lanvas host: http:\/\/127\.0\.0\.1:\d+\/$/m)
      const health = await fetch(new URL('/api/health', host.url))
      expect(await health.json()).toEqual({ ok: true, protocol: 1 })
      const { id } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as { id: string }
      const client = connectClient(syncUrl(host.port, id), 'ann')
      await client.connection.whenSynced()
      const stroke = client.board.beginStroke({ color: '#102030', width: 2 }, [4, 5, 1])
      await client.connection.whenSynced()
      // A second client that sees the stroke proves the host has it.
      const other = connectClient(syncUrl(host.port, id), 'bob')
      await other.connection.whenSynced()
      expect(other.board.getStroke(stroke)).toBeDefined()
      client.destroy()
      other.destroy()
    } finally {
      expect(await host.stop()).toBe(0)
    }
    expect(openBoardFile(await readFile(boardPath)).strokes()).toHaveLength(1)
  })

  it('exits with 2 and one line on bad arguments', () => {
    const run = spawnSync(process.execPath, [CLI, '--port', 'nope'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([
      'lanvas host: --port must be a number from 0 to 65535, not "nope".',
    ])
  })
})
