import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Host } from '../../src/main/host/server'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { exportBoard, exportLayout } from '../../src/shared/export'
import {
  allKindsBoard,
  compareImages,
  decodeImage,
  knownBoard,
  sceneReference,
} from '../shared/exportFixtures'
import { eachTestHost } from '../support/hostFixture'

describe('the host exports and imports exported boards', () => {
  const scope = eachTestHost()
  let host: Host
  beforeEach(async () => {
    await writeFile(join(scope.dir, 'board.lanvas'), encodeBoardFile(knownBoard().doc))
    host = await scope.start()
  })

  it('GET /api/boards/<id>/export returns the live board as a file of the asked format', async () => {
    const base = `${host.url}api/boards/${host.defaultBoardId}/export`
    const png = await fetch(`${base}?format=png&scale=1&padding=4&background=white`)
    expect(png.status).toBe(200)
    expect(png.headers.get('content-type')).toBe('image/png')
    expect(png.headers.get('content-disposition')).toMatch(/attachment; filename="board\.png"/)
    const image = await decodeImage(new Uint8Array(await png.arrayBuffer()))
    const expected = await exportBoard(knownBoard(), { scale: 1, padding: 4 })
    expect([image.width, image.height]).toEqual([expected.width, expected.height])

    const svg = await fetch(`${base}?format=svg&dark=1`)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect((await svg.text()).match(/<path /g)).toHaveLength(4)
  })

  it('exports the live board with every kind of element: the image and the text are in PNG, SVG and PDF', async () => {
    const board = allKindsBoard()
    const posted = await fetch(`${host.url}api/boards?name=all`, {
      method: 'POST',
      body: encodeBoardFile(board.doc) as Uint8Array<ArrayBuffer>,
    })
    expect(posted.status).toBe(201)
    const { id } = (await posted.json()) as { id: string }
    const base = `${host.url}api/boards/${id}/export`
    const png = await fetch(`${base}?format=png&scale=2&padding=10&background=white`)
    const layout = exportLayout(board, { scale: 2, padding: 10, background: 'white' })
    const image = await decodeImage(new Uint8Array(await png.arrayBuffer()))
    const diff = compareImages(image.data, await sceneReference(board, layout), 2)
    expect(diff.offShare).toBeLessThan(0.0001)
    const svg = await (await fetch(`${base}?format=svg`)).text()
    expect(svg.match(/<image /g)).toHaveLength(1)
    // The text, the note and the frame's name.
    expect(svg.match(/<text /g)).toHaveLength(3)
    const pdf = await fetch(`${base}?format=pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const page = (await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()))).getPage(0)
    const resources = page.node.Resources() as PDFDict
    expect((resources.lookup(PDFName.of('XObject')) as PDFDict).keys()).toHaveLength(1)
    expect((resources.lookup(PDFName.of('Font')) as PDFDict).keys()).toHaveLength(1)
  })

  it('answers a bad option with 400 and a message', async () => {
    const base = `${host.url}api/boards/${host.defaultBoardId}/export`
    const bad = await fetch(`${base}?format=gif`)
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/Unknown export format "gif"/)
    const scale = await fetch(`${base}?scale=9`)
    expect(scale.status).toBe(400)
    expect((await scale.json()).error).toMatch(/scale must be a number from 1 to 4/)
    expect((await fetch(`${host.url}api/boards/nope/export`)).status).toBe(404)
  })

  it('POST /api/boards opens a PNG or SVG with an embedded board as an editable board', async () => {
    for (const format of ['png', 'svg'] as const) {
      const file = await exportBoard(knownBoard(), { format, embedBoard: true })
      const posted = await fetch(`${host.url}api/boards?name=drawing-${format}`, {
        method: 'POST',
        body: file.bytes as Uint8Array<ArrayBuffer>,
      })
      expect(posted.status).toBe(201)
      const { id } = (await posted.json()) as { id: string }
      const restored = openBoardFile(host.boardFileBytes(id))
      expect(restored.strokes().map((s) => s.color)).toEqual(
        knownBoard()
          .strokes()
          .map((s) => s.color),
      )
    }
    const plain = await exportBoard(knownBoard(), { format: 'png' })
    const refused = await fetch(`${host.url}api/boards`, {
      method: 'POST',
      body: plain.bytes as Uint8Array<ArrayBuffer>,
    })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error).toMatch(/This image holds no Lanvas board/)
  })
})
