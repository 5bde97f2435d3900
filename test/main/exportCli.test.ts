import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AUTO_WORKERS_MAX,
  ExportUsageError,
  idleWorkers,
  parseExportArgs,
} from '../../src/main/host/export/exportArgs'
import { defaultWorkers } from '../../src/main/host/export/parallelBands'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { exportLayout, extractEmbeddedBoard } from '../../src/shared/export'
import {
  ALL_KINDS,
  allKindsBoard,
  compareImages,
  decodeImage,
  knownBoard,
  pixelOf,
  sceneReference,
} from '../shared/exportFixtures'
import { builtFile } from '../support/built'
import { removeDir, tempDir } from '../support/hostFixture'

const CLI = builtFile('main/export.js')

/** Preloaded into the command line, it prints a line from every worker thread the export starts. */
const ANNOUNCE_WORKERS = fileURLToPath(new URL('../fixtures/announceWorkers.cjs', import.meta.url))
/** Preloaded into the command line, it prints a line from every thread that loads fontkit. */
const ANNOUNCE_FONTKIT = fileURLToPath(new URL('../fixtures/announceFontkit.cjs', import.meta.url))

function runExport(
  args: string[],
  onStderr?: (text: string, child: ChildProcess) => void,
  nodeArgs: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
      onStderr?.(stderr, child)
    })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('parseExportArgs', () => {
  it('reads --frame NAME as the frame to export', () => {
    expect(parseExportArgs(['b.lanvas', 'o.png', '--frame', 'Slide 1'])).toMatchObject({
      kind: 'export',
      frameName: 'Slide 1',
    })
  })

  it('reads files, format and options', () => {
    const c = parseExportArgs([
      'b.lanvas',
      'out.JPG',
      '--scale',
      '3',
      '--padding=0',
      '--dark',
      '--background',
      'white',
    ])
    expect(c).toMatchObject({
      kind: 'export',
      options: { format: 'jpeg', scale: 3, padding: 0, dark: true, background: 'white' },
    })
  })
  it('--workers auto: one worker per idle core, at least one, at most AUTO_WORKERS_MAX', () => {
    expect(parseExportArgs(['b.lanvas', 'o.png', '--workers', 'auto'])).toMatchObject({ workers: 'auto' })
    expect(parseExportArgs(['b.lanvas', 'o.png', '--workers', '3'])).toMatchObject({ workers: 3 })
    // A busy machine (this one: 2 cores, load 4-16): one thread, as without the flag.
    expect(idleWorkers(2, 13.2)).toBe(1)
    expect(idleWorkers(2, 0.9)).toBe(1)
    // Idle machines: a worker per core, bounded; Windows reports no load average (0).
    expect(idleWorkers(4, 0)).toBe(4)
    expect(idleWorkers(8, 1.2)).toBe(AUTO_WORKERS_MAX)
    expect(idleWorkers(8, 5.6)).toBe(2)
    expect(idleWorkers(1, 0)).toBe(1)
  })
  it.each([
    [['b.lanvas'], /Give a board file and an output file/],
    [['b.lanvas', 'o.gif'], /name the output .png, .jpg, .webp, .svg or .pdf/],
    [['b.lanvas', 'o.png', '--scale', 'x'], /--scale must be a number from 1 to 4, not "x"/],
    [['b.lanvas', 'o.png', '--scale', '0.5'], /--scale must be/],
    [['b.lanvas', 'o.png', '--width', '10.5'], /--width must be a whole number/],
    [['b.lanvas', 'o.png', '--background', 'red'], /--background must be board, white or transparent/],
    [['b.lanvas', 'o.png', '--padding'], /--padding needs a value/],
    [['b.lanvas', 'o.png', '--frobnicate'], /Unknown option "--frobnicate"/],
    [['b.lanvas', 'o.png', '--frame'], /--frame needs a value/],
    [['b.lanvas', 'o.png', '--frame', ' '], /--frame needs the name of a frame/],
    [['b.lanvas', 'o.png', '--workers', '0'], /--workers must be a whole number from 1 to 8, not "0"/],
  ])('refuses %j', (args, message) => {
    expect(() => parseExportArgs(args)).toThrow(ExportUsageError)
    expect(() => parseExportArgs(args)).toThrow(message)
  })
})

describe('npm run export (out/main/export.js)', () => {
  let dir: string
  let boardPath: string
  beforeAll(async () => {
    dir = await tempDir()
    boardPath = join(dir, 'known.lanvas')
    await writeFile(boardPath, encodeBoardFile(knownBoard().doc))
  })
  afterAll(async () => {
    await removeDir(dir)
  })

  it('exports every format from a board file', async () => {
    for (const ext of ['png', 'jpg', 'webp', 'svg', 'pdf']) {
      const out = join(dir, `out.${ext}`)
      const r = await runExport([boardPath, out, '--scale', '1', '--padding', '8'])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/\d+ × \d+ px/)
      const bytes = new Uint8Array(await readFile(out))
      if (ext === 'svg') expect(new TextDecoder().decode(bytes)).toMatch(/<svg[^>]+viewBox/)
      else if (ext === 'pdf') expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
      else expect((await decodeImage(bytes)).width).toBeGreaterThan(100)
    }
  })

  it('scales --padding with the image: --scale 2 doubles the 1× size, --width keeps its shape', async () => {
    const size = async (name: string, args: string[]) => {
      const out = join(dir, name)
      expect((await runExport([boardPath, out, '--padding', '16', ...args])).code).toBe(0)
      const { width, height } = await decodeImage(new Uint8Array(await readFile(out)))
      return { width, height }
    }
    const at1 = await size('pad1.png', ['--scale', '1'])
    const at2 = await size('pad2.png', ['--scale', '2'])
    expect([2 * at1.width - 1, 2 * at1.width]).toContain(at2.width)
    expect([2 * at1.height - 1, 2 * at1.height]).toContain(at2.height)
    const wide = await size('pad3.png', ['--width', String(3 * at1.width)])
    expect(Math.abs(wide.height - 3 * at1.height)).toBeLessThanOrEqual(3)
  })

  it('exports a board with every kind of element: the image and the text in PNG, SVG and PDF', async () => {
    const board = allKindsBoard()
    const path = join(dir, 'all-kinds.lanvas')
    await writeFile(path, encodeBoardFile(board.doc))
    const png = join(dir, 'all.png')
    expect((await runExport([path, png, '--scale', '2', '--padding', '10'])).code).toBe(0)
    // The CLI's pixels are the scene's pixels (images decoded, text in its font).
    const layout = exportLayout(board, { scale: 2, padding: 10 })
    const image = await decodeImage(new Uint8Array(await readFile(png)))
    const diff = compareImages(image.data, await sceneReference(board, layout), 2)
    expect(diff.offShare).toBeLessThan(0.0001)
    const { px, py } = pixelOf(layout, ALL_KINDS.image.x + 20, ALL_KINDS.image.y + 20)
    expect(
      Array.from(image.data.slice((py * image.width + px) * 4, (py * image.width + px) * 4 + 3)),
    ).toEqual([0xe0, 0x31, 0x31])

    const svg = join(dir, 'all.svg')
    expect((await runExport([path, svg])).code).toBe(0)
    const text = await readFile(svg, 'utf8')
    expect(text).toContain('href="data:image/png;base64,')
    expect(text).toMatch(
      /<text [^>]*font-family="&quot;Lanvas Sans&quot;, &quot;Lanvas Sans SC&quot;, sans-serif"[^>]*><tspan [^>]*>Hello Lanvas<\/tspan><\/text>/,
    )

    const pdfPath = join(dir, 'all.pdf')
    expect((await runExport([path, pdfPath])).code).toBe(0)
    const pdf = await PDFDocument.load(new Uint8Array(await readFile(pdfPath)))
    const resources = pdf.getPage(0).node.Resources() as PDFDict
    expect((resources.lookup(PDFName.of('XObject')) as PDFDict).keys()).toHaveLength(1)
    expect((resources.lookup(PDFName.of('Font')) as PDFDict).keys()).toHaveLength(1)
  })

  it('--frame NAME exports only that frame, at its size; an unknown name says which frames there are', async () => {
    const board = allKindsBoard()
    const path = join(dir, 'framed.lanvas')
    await writeFile(path, encodeBoardFile(board.doc))
    const out = join(dir, 'greeting.png')
    const r = await runExport([path, out, '--frame', 'greeting', '--scale', '2'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const f = ALL_KINDS.frame
    expect(r.stdout).toContain(`${f.width * 2} × ${f.height * 2} px PNG`)
    const image = await decodeImage(new Uint8Array(await readFile(out)))
    expect([image.width, image.height]).toEqual([f.width * 2, f.height * 2])
    // The text it holds is there (red ink), and nothing of the image beside it (blue) is.
    const reds = (rgb: [number, number, number]) => {
      let n = 0
      for (let i = 0; i < image.data.length; i += 4)
        if ([0, 1, 2].every((c) => Math.abs((image.data[i + c] as number) - (rgb[c] as number)) < 10)) n++
      return n
    }
    expect(reds([0xe0, 0x31, 0x31])).toBeGreaterThan(50)
    expect(reds([0x19, 0x71, 0xc2])).toBe(0)

    const missing = await runExport([path, join(dir, 'nope.png'), '--frame', 'Intro'])
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim()).toBe(
      'lanvas export: No frame is named "Intro"; the board\'s frames are "Greeting".',
    )
    expect(await readdir(dir)).not.toContain('nope.png')
  })

  it('embeds the board with --embed, and says so when JPEG cannot', async () => {
    const out = join(dir, 'embedded.png')
    expect((await runExport([boardPath, out, '--embed'])).code).toBe(0)
    const restored = openBoardFile(extractEmbeddedBoard(new Uint8Array(await readFile(out))) as Uint8Array)
    expect(restored.strokes()).toHaveLength(4)
    const jpeg = await runExport([
      boardPath,
      join(dir, 'embedded.jpg'),
      '--embed',
      '--background',
      'transparent',
    ])
    expect(jpeg.code).toBe(0)
    expect(jpeg.stderr).toMatch(/JPEG cannot carry the board/)
    expect(jpeg.stderr).toMatch(/JPEG has no transparency/)
  })

  it('--progress prints how far the export is, a line each whole percent, from 0 % to 100 %', async () => {
    const out = join(dir, 'progress.png')
    // 5,000 px wide: three bands, drawn by two worker threads.
    const r = await runExport([boardPath, out, '--width', '5000', '--progress', '--workers', '2'])
    expect(r.code).toBe(0)
    const lines = r.stderr.trim().split('\n')
    for (const line of lines) expect(line).toMatch(/^lanvas export: \d+ %$/)
    const percents = lines.map((l) => Number(/(\d+) %/.exec(l)?.[1]))
    expect(percents[0]).toBe(0)
    expect(percents.at(-1)).toBe(100)
    expect(percents.length).toBeGreaterThan(3)
    expect([...percents].sort((a, b) => a - b)).toEqual(percents)
    expect((await decodeImage(new Uint8Array(await readFile(out)))).width).toBe(5000)
  }, 180_000)

  it('--workers auto draws the same image as one thread', async () => {
    const one = join(dir, 'one-thread.png')
    const auto = join(dir, 'auto.png')
    expect((await runExport([boardPath, one, '--width', '5000'])).code).toBe(0)
    const r = await runExport([boardPath, auto, '--width', '5000', '--workers', 'auto'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/auto\.png: 5000 × \d+ px PNG/)
    const a = await decodeImage(new Uint8Array(await readFile(one)))
    const b = await decodeImage(new Uint8Array(await readFile(auto)))
    expect(b.width).toBe(a.width)
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true)
  }, 180_000)

  it('a PNG of a board with text loads no font library, neither on its main thread nor in its band workers; SVG and PDF text do', async () => {
    const path = join(dir, 'fonts.lanvas')
    await writeFile(path, encodeBoardFile(allKindsBoard().doc))
    const announce = ['--require', ANNOUNCE_FONTKIT]
    // 5,000 px wide: several bands, drawn by workers (two here).
    const png = await runExport([path, join(dir, 'fonts.png'), '--width', '5000'], undefined, announce)
    expect(png.code).toBe(0)
    expect(png.stderr).toBe('')
    // The same check sees fontkit where text needs it: the SVG's and PDF's fonts are subsets read with it.
    for (const ext of ['svg', 'pdf']) {
      const r = await runExport([path, join(dir, `fonts.${ext}`)], undefined, announce)
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('fontkit loaded in thread 0\n')
    }
  }, 180_000)

  it('by default worker threads (one per core, as many as fit) draw a PNG of several bands, the same image as one thread (--workers 1)', async () => {
    const one = join(dir, 'workers-1.png')
    const byDefault = join(dir, 'default.png')
    const announce = ['--require', ANNOUNCE_WORKERS]
    // 5,000 px wide: three bands.
    const single = await runExport([boardPath, one, '--width', '5000', '--workers', '1'], undefined, announce)
    expect(single.code).toBe(0)
    expect(single.stderr).toBe('')
    const r = await runExport([boardPath, byDefault, '--width', '5000'], undefined, announce)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/default\.png: 5000 × \d+ px PNG/)
    // This machine (and CI) has two cores or more: a worker per core, as many as fit (two here), each its run of bands.
    if (availableParallelism() >= 2)
      expect(r.stderr.trim().split('\n').sort()).toEqual(
        Array.from({ length: defaultWorkers() }, () => expect.stringMatching(/^export worker thread \d+$/)),
      )
    const a = await decodeImage(new Uint8Array(await readFile(one)))
    const b = await decodeImage(new Uint8Array(await readFile(byDefault)))
    expect([b.width, b.height]).toEqual([a.width, a.height])
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true)
  }, 180_000)

  it.each([
    ['by default (two workers)', 'interrupted-default.png', []],
    ['on one thread (--workers 1)', 'interrupted-one.png', ['--workers', '1']],
  ])(
    'Ctrl+C during an export %s stops it: exit 130, one line saying so, and no file, partial or whole',
    async (_how, name, extra) => {
      const out = join(dir, name)
      let sent = false
      const r = await runExport(
        [boardPath, out, '--width', '20000', '--progress', ...extra],
        (text, child) => {
          // Once drawing has begun (a band is done), as a person would press Ctrl+C.
          if (!sent && /lanvas export: [1-9]\d* %/.test(text)) {
            sent = true
            child.kill('SIGINT')
          }
        },
      )
      expect(sent).toBe(true)
      expect(r.code).toBe(130)
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        'lanvas export: The export was cancelled; no file was written.',
      )
      const left = await readdir(dir)
      expect(left).not.toContain(name)
      expect(left.filter((n) => n.endsWith('.part'))).toEqual([])
    },
    180_000,
  )

  it('bad input: one clear line, exit 2, and no output file', async () => {
    const damaged = join(dir, 'damaged.lanvas')
    const bytes = encodeBoardFile(knownBoard().doc)
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0xff
    await writeFile(damaged, bytes)
    const empty = join(dir, 'empty.lanvas')
    await writeFile(empty, encodeBoardFile(openBoardFile(encodeBoardFile(knownBoard([]).doc)).doc))
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.lanvas'), join(dir, 'a.png')], /There is no board file at .*missing\.lanvas/],
      [[damaged, join(dir, 'b.png')], /damaged: its contents do not match its checksum/],
      [[boardPath, join(dir, 'c.gif')], /Cannot tell the format/],
      [[boardPath, join(dir, 'd.png'), '--scale', 'big'], /--scale must be a number/],
      [[boardPath, join(dir, 'e.png'), '--padding', '-4'], /--padding/],
      [[empty, join(dir, 'f.png')], /The board is empty/],
      [[boardPath, join(dir, 'no-such-folder', 'g.png')], /The folder .* does not exist/],
    ]
    for (const [args, message] of cases) {
      const r = await runExport(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    const left = await readdir(dir)
    for (const name of ['a.png', 'b.png', 'd.png', 'e.png', 'f.png']) expect(left).not.toContain(name)
    expect(left.filter((n) => n.endsWith('.part'))).toEqual([])
  })
})
