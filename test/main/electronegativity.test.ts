// Electronegativity (Doyensec's Electron security scanner) over the app's source: zero findings, or an
// exception justified on the line it excuses ("// eng-disable CHECK" beside a "Reviewed: ..." comment).
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordFigures } from '../support/figures'
import { removeDir, tempDir } from '../support/hostFixture'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const require = createRequire(import.meta.url)
const CLI = require.resolve('@doyensec/electronegativity/dist/index.js')
const HOOK = join(ROOT, 'test/support/electronegativityTs.cjs')
const ELECTRON = (require('electron/package.json') as { version: string }).version

interface Finding {
  check: string
  file: string
  line: number | undefined
}

/**
 * Runs the scanner on a folder and returns its findings. It tries to fetch translations and Electron's release
 * list from the internet; without a connection it says so and scans with what it ships (no download needed).
 */
async function scan(input: string, out: string): Promise<{ findings: Finding[] }> {
  const sarif = join(out, `${Math.random().toString(36).slice(2)}.sarif`)
  await promisify(execFile)(
    process.execPath,
    ['-r', HOOK, CLI, '-i', input, '-r', '-v', 'false', '-e', ELECTRON, '-o', sarif],
    { cwd: out, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 },
  )
  const report = JSON.parse(await readFile(sarif, 'utf8')) as {
    runs: {
      results: {
        ruleId: string
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } }
        }[]
      }[]
    }[]
  }
  const findings = (report.runs[0]?.results ?? []).map((r) => ({
    check: r.ruleId,
    file: r.locations[0]?.physicalLocation.artifactLocation.uri ?? '',
    line: r.locations[0]?.physicalLocation.region?.startLine,
  }))
  return { findings }
}

describe('Electronegativity', () => {
  let dir: string
  let sampleFindings = 0
  beforeAll(async () => {
    dir = await tempDir()
  })
  afterAll(async () => {
    await removeDir(dir)
  })

  it('finds what it should in a badly configured app (it really runs here)', async () => {
    const app = join(dir, 'bad-app')
    await mkdir(app)
    await writeFile(
      join(app, 'main.js'),
      `const { BrowserWindow, shell } = require('electron')
const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })
win.webContents.on('new-window', (e, url) => shell.openExternal(url))
win.loadURL('http://example.org/')
`,
    )
    await writeFile(
      join(app, 'index.html'),
      '<!doctype html><html><body><script src="app.js"></script></body></html>',
    )
    const { findings } = await scan(app, dir)
    sampleFindings = findings.length
    const checks = new Set(findings.map((f) => f.check))
    // Each is something the app does right: its absence or opposite here must be reported.
    for (const check of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
      'AUXCLICK_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CSP_GLOBAL_CHECK',
    ])
      expect(checks).toContain(check)
  }, 200_000)

  it('finds nothing in src/ (main, preload, host, renderer and its index.html)', async () => {
    const { findings } = await scan(join(ROOT, 'src'), dir)
    expect(findings).toEqual([])
    // Every exception names its check on the flagged line, with the review written next to it.
    const exceptions: string[] = []
    for (const file of ['src/main/index.ts', 'src/main/host/staticFiles.ts', 'src/renderer/index.html']) {
      const lines = (await readFile(join(ROOT, file), 'utf8')).split('\n')
      lines.forEach((line, i) => {
        const disabled = /eng-disable\s+([A-Z_]+)/.exec(line)?.[1]
        if (!disabled) return
        exceptions.push(`${file}:${i + 1} ${disabled}`)
        const context = lines.slice(Math.max(0, i - 4), i + 1).join('\n')
        expect(context, `${file}:${i + 1}`).toMatch(/Reviewed|a constant/)
      })
    }
    await recordFigures('electronegativity', [
      {
        label: 'findings in a badly configured sample app (the scanner works)',
        value: sampleFindings,
        test: TEST,
      },
      {
        label: 'Electronegativity findings in src/',
        value: findings.length,
        test: TEST,
        key: 'electronegativity',
      },
      { label: 'justified exceptions', value: exceptions.join('; '), test: TEST },
    ])
  }, 200_000)
})

const TEST = 'test/main/electronegativity.test.ts › Electronegativity › finds nothing in src/'
