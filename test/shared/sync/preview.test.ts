/**
 * View first, the page's side (src/shared/sync/preview.ts): a preview the page asked for is checked like any data
 * from the network and held until the board has come; a malformed one, or one never asked for, is refused with a
 * message that says what is wrong (the engine starts over on a fresh socket, as for any unreadable frame).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { isFlatRecord } from '../../../src/shared/elements/entry'
import { FrameError, readFrame, syncStep2Frame } from '../../../src/shared/sync/frames'
import { BoardPreview, previewFrame } from '../../../src/shared/sync/preview'
import { CloseReason, MessageType } from '../../../src/shared/sync/protocol'
import { parseClientControl } from '../../../src/shared/sync/session'
import { welcomedPage } from '../../support/handHost'

const VIEW = { minX: 0, minY: 0, maxX: 800, maxY: 600 }

/** A real finished stroke's id and flat record, as a host's board holds it. */
function strokeRecord(): { id: string; record: Record<string, unknown> } {
  const board = new Board(new Y.Doc(), 'author')
  const id = board.beginStroke({ color: '#1971c2', width: 4 }, [10, 10, 0.5, 90, 60, 0.5])
  board.finishStroke(id)
  const record = board.elements.get(id)
  if (!isFlatRecord(record)) throw new Error('a finished stroke is a flat record')
  return { id, record: { ...record } }
}

/** A page's connection on the memory network, asking for a preview; the test plays the host. */
function page(options: { preview?: boolean } = {}) {
  const preview = new BoardPreview(() => VIEW)
  return { ...welcomedPage(options.preview === false ? {} : { preview }), preview }
}

describe('a view preview on the page', () => {
  it('is asked for in the hello, shown until the board came, then dropped', () => {
    const { network, host, connection, preview, hellos } = page()
    expect(hellos[0]).toMatchObject({ type: 'hello', preview: VIEW })
    const stroke = strokeRecord()
    host.send(previewFrame([stroke]))
    network.flush()
    expect([...preview.elements.keys()]).toEqual([stroke.id])
    expect(preview.ended).toBe(false)
    host.send(syncStep2Frame(new Y.Doc(), new Uint8Array([0])))
    network.flush()
    expect(connection.synced).toBe(true)
    expect(preview.ended).toBe(true)
    expect(preview.elements.size).toBe(0)
  })

  it('is not asked for without a place to show it (what older pages send)', () => {
    const { hellos } = page({ preview: false })
    expect(hellos[0]).toMatchObject({ type: 'hello' })
    expect(hellos[0]).not.toHaveProperty('preview')
  })

  it('refuses a preview with a malformed stroke, saying which and why', () => {
    const { network, host, connection, preview } = page()
    const stroke = strokeRecord()
    host.send(previewFrame([{ id: stroke.id, record: { ...stroke.record, width: 9999 } }]))
    network.flush()
    expect(connection.closeCode).toBe(CloseReason.InvalidMessage)
    expect(connection.closeReason).toMatch(
      /a view preview with a bad stroke: a flat stroke's width must be a number/,
    )
    // Nothing of it is shown, and no later socket shows a preview of this page's board again.
    expect(preview.elements.size).toBe(0)
    expect(preview.ended).toBe(true)
  })

  it('refuses a stroke under an id no element has, and a record that is no stroke', () => {
    const bad = page()
    bad.host.send(previewFrame([{ id: 'no such id!', record: strokeRecord().record }]))
    bad.network.flush()
    expect(bad.connection.closeReason).toMatch(
      /a view preview with a bad stroke: a stroke id that is no element id/,
    )
    const text = page()
    text.host.send(previewFrame([{ id: 'abc', record: { kind: 'text', text: 'hi' } }]))
    text.network.flush()
    expect(text.connection.closeReason).toMatch(/a flat record must be of kind 'stroke'/)
  })

  it('refuses a preview it did not ask for, and one after the board came', () => {
    const unasked = page({ preview: false })
    unasked.host.send(previewFrame([strokeRecord()]))
    unasked.network.flush()
    expect(unasked.connection.closeCode).toBe(CloseReason.InvalidMessage)
    expect(unasked.connection.closeReason).toMatch(/a view preview this page did not ask for/)
    const late = page()
    late.host.send(syncStep2Frame(new Y.Doc(), new Uint8Array([0])))
    late.host.send(previewFrame([strokeRecord()]))
    late.network.flush()
    expect(late.connection.closeReason).toMatch(/a view preview this page did not ask for/)
  })

  it('reads no frame from bytes that are no list of strokes', () => {
    const frame = previewFrame([strokeRecord()])
    expect(() => readFrame(frame.subarray(0, frame.byteLength - 3))).toThrow(FrameError)
    expect(() => readFrame(new Uint8Array([MessageType.Preview, 1, 1, 97, 2]))).toThrow(
      /a view preview that is no list of strokes|cut short/,
    )
  })

  it('a host checks the view a hello asks for', () => {
    const hello = { type: 'hello', name: 'a', color: '#112233', awarenessId: 5 }
    expect(parseClientControl(JSON.stringify({ ...hello, preview: VIEW }))).toMatchObject({ preview: VIEW })
    for (const preview of [
      { ...VIEW, maxX: -1 },
      { ...VIEW, minX: 'a' },
      { ...VIEW, maxY: 1e12 },
      [0, 0, 1, 1],
    ])
      expect(parseClientControl(JSON.stringify({ ...hello, preview }))).toBeUndefined()
  })
})
