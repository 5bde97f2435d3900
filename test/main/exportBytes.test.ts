import { describe, expect, it } from 'vitest'
import { exportBytesProblem, MAX_EXPORT_BYTES } from '../../src/main/exportBytes'
import { exportBoard } from '../../src/shared/export'
import { allKindsBoard } from '../shared/exportFixtures'

const text = (s: string) => new TextEncoder().encode(s)

describe('what SaveExport writes (src/main/exportBytes.ts)', () => {
  for (const format of ['png', 'jpeg', 'webp', 'svg', 'pdf'] as const)
    it(`takes a real ${format} export of a board with every kind of element, the board embedded`, async () => {
      const board = allKindsBoard()
      const embedBoard = format === 'png' || format === 'svg'
      const result = await exportBoard(board, { format, scale: 1, padding: 10, embedBoard })
      const bytes = result.bytes ?? new Uint8Array(0)
      expect(exportBytesProblem(bytes, format)).toBeUndefined()
      if (format === 'jpeg') expect(exportBytesProblem(bytes, 'jpg')).toBeUndefined()
    })

  it.each([
    ['png', text('MZ\u0090\u0000 an executable'), 'not a PNG file'],
    ['pdf', text('%!PS-Adobe'), 'not a PDF file'],
    ['webp', text('RIFF\u0000\u0000\u0000\u0000AVI '), 'not a WEBP file'],
    ['svg', text('<html><body>'), 'does not start as an SVG document'],
    ['svg', text('<svg><foreignObject><iframe/></foreignObject></svg>'), 'holds script'],
    ['svg', text('<svg><image onload="x()"/></svg>'), 'holds script'],
    ['svg', text('<svg><a href="javascript:x()">x</a></svg>'), 'holds script'],
    ['svg', text('<svg>\u0000</svg>'), 'binary'],
    ['exe', text('MZ'), 'PNG, JPEG, WebP, SVG and PDF files only'],
  ])('refuses %s bytes that are not (%#): %s', (format, bytes, reason) => {
    expect(exportBytesProblem(bytes, format)).toContain(reason)
  })

  it('lets an SVG say onload or javascript: in its text, where no browser runs it', () => {
    const svg = text('<?xml version="1.0"?>\n<svg><text>write onload="x" and javascript:alert()</text></svg>')
    expect(exportBytesProblem(svg, 'svg')).toBeUndefined()
  })

  it('refuses more bytes than any export can have', () => {
    const huge = { byteLength: MAX_EXPORT_BYTES + 1 } as Uint8Array
    expect(exportBytesProblem(huge, 'png')).toContain('larger than any Lanvas export')
  })
})
