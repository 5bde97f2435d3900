// Exporting one frame: only what is in it, cut to it and sized to it, in every format, with the real export code.
import { describe, expect, it } from 'vitest'
import { Board } from '../../src/shared/board'
import { ExportError, exportBoard, exportLayout, frameNamed } from '../../src/shared/export'
import { decodeImage } from './exportFixtures'

const RED = '#e03131'
const BLUE = '#1971c2'
const GREEN = '#2f9e44'

/** A frame "Slide" (100, 100, 200 × 100) holding a red box; a blue box outside it, a green one across its edge. */
function slideBoard() {
  const board = new Board(undefined, 'test')
  board.addShape('rect', { x: 400, y: 100, width: 60, height: 60, fillColor: BLUE, strokeColor: BLUE })
  const frame = board.addFrame({ x: 100, y: 100, width: 200, height: 100, name: 'Slide' })
  const red = board.addShape('rect', {
    x: 120,
    y: 120,
    width: 60,
    height: 40,
    fillColor: RED,
    strokeColor: RED,
  })
  board.addShape('rect', { x: 260, y: 150, width: 80, height: 20, fillColor: GREEN, strokeColor: GREEN })
  return { board, frame, red }
}

function pixel(img: { width: number; data: ArrayLike<number> }, x: number, y: number): string {
  const i = (y * img.width + x) * 4
  const hex = [0, 1, 2].map((c) => (img.data[i + c] as number).toString(16).padStart(2, '0')).join('')
  return `#${hex}`
}

function countColour(img: { data: ArrayLike<number> }, hex: string, tolerance = 8): number {
  const n = Number.parseInt(hex.slice(1), 16)
  const want = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  let count = 0
  for (let i = 0; i < img.data.length; i += 4)
    if (want.every((v, c) => Math.abs((img.data[i + c] as number) - v) <= tolerance)) count++
  return count
}

describe('exporting a frame', () => {
  it('holds only its members, in its area, at its size (no padding)', () => {
    const { board, frame, red } = slideBoard()
    const layout = exportLayout(board, { area: 'frame', frame, scale: 2, padding: 50 })
    expect(layout.rect).toEqual({ minX: 100, minY: 100, maxX: 300, maxY: 200 })
    expect([layout.width, layout.height]).toEqual([400, 200])
    expect(layout.items.map((i) => i.element.id)).toEqual([red])
  })

  it('png: the red box where it is in the frame; no blue, no green, no outline, no name', async () => {
    const { board, frame } = slideBoard()
    const result = await exportBoard(board, { area: 'frame', frame, scale: 2, format: 'png' })
    const img = await decodeImage(result.bytes as Uint8Array)
    expect([img.width, img.height]).toEqual([400, 200])
    // The red box spans (120..180, 120..160): (40..160, 40..120) px at 2×.
    expect(pixel(img, 100, 80)).toBe(RED)
    expect(countColour(img, BLUE)).toBe(0)
    expect(countColour(img, GREEN)).toBe(0)
    // Paper at the frame's edge (no outline) and where the crossing green box would be.
    expect(pixel(img, 0, 100)).toBe('#ffffff')
    expect(pixel(img, 360, 110)).toBe('#ffffff')
  })

  it('svg and pdf: the same one box, sized to the frame', async () => {
    const { board, frame } = slideBoard()
    const svg = new TextDecoder().decode(
      (await exportBoard(board, { area: 'frame', frame, scale: 1, format: 'svg' })).bytes,
    )
    expect(svg).toMatch(/<svg[^>]* width="200" height="100"/)
    expect(svg).toContain(`fill="${RED}"`)
    expect(svg).not.toContain(BLUE)
    expect(svg).not.toContain(GREEN)
    expect(svg).not.toContain('Slide')
    const pdf = await exportBoard(board, { area: 'frame', frame, scale: 1, format: 'pdf' })
    expect([pdf.width, pdf.height]).toEqual([200, 100])
  })

  it('an empty frame exports its empty area; a frame no longer there is said so', () => {
    const board = new Board()
    const frame = board.addFrame({ x: 0, y: 0, width: 50, height: 30, name: 'Empty' })
    const layout = exportLayout(board, { area: 'frame', frame, scale: 1 })
    expect([layout.width, layout.height, layout.items.length]).toEqual([50, 30, 0])
    board.deleteElements([frame])
    expect(() => exportLayout(board, { area: 'frame', frame })).toThrow(
      new ExportError('That frame is no longer on the board.'),
    )
    expect(() => exportLayout(board, { area: 'frame' })).toThrow(
      'Exporting a frame needs the frame to export.',
    )
  })
})

describe('finding a frame by its name (--frame)', () => {
  it('ignores case and spaces around; names the frames there are when none matches; refuses two of a name', () => {
    const { board, frame } = slideBoard()
    expect(frameNamed(board, '  slide ').id).toBe(frame)
    expect(() => frameNamed(board, 'Intro')).toThrow(
      'No frame is named "Intro"; the board\'s frames are "Slide".',
    )
    board.addFrame({ x: 0, y: 400, width: 10, height: 10, name: 'SLIDE' })
    expect(() => frameNamed(board, 'Slide')).toThrow(
      '2 frames are named "Slide": rename one of them to export it.',
    )
    expect(() => frameNamed(new Board(), 'Slide')).toThrow(
      'The board has no frames, so none is named "Slide".',
    )
  })
})
