// Issue 9 item 8: this page's pointer goes out as cursor deltas at the presence pace, and not at all while the pen
// draws (once "at my ink"); the awareness state never carries it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { LocalPresence, PRESENCE_SEND_MS } from '../../../src/renderer/src/presence/presence'
import { type Cursor, CursorChannel } from '../../../src/shared/sync/cursors'

let doc: Y.Doc
let awareness: Awareness
let channel: CursorChannel
let sent: Cursor[]
let presence: LocalPresence

beforeEach(() => {
  vi.useFakeTimers()
  doc = new Y.Doc()
  awareness = new Awareness(doc)
  channel = new CursorChannel()
  sent = []
  channel.bind((c) => sent.push(c))
  presence = new LocalPresence(awareness, { name: 'Ada', color: '#1c7ed6' }, channel)
})

afterEach(() => {
  presence.destroy()
  awareness.destroy()
  vi.useRealTimers()
})

describe("this page's pointer", () => {
  it('goes out as the newest cursor at most once per send interval, never in the awareness state', () => {
    presence.setCursor({ x: 1, y: 1 })
    presence.setCursor({ x: 2, y: 2 })
    presence.setCursor({ x: 3, y: 3 })
    vi.advanceTimersByTime(PRESENCE_SEND_MS)
    expect(sent).toEqual([{ kind: 'at', x: 3, y: 3 }])
    expect(awareness.getLocalState()).not.toHaveProperty('cursor')
  })

  it('is said once to be at the ink while the pen draws, and is sent again after pen-up', () => {
    presence.setInking(true)
    for (let i = 0; i < 20; i++) {
      presence.setCursor({ x: i, y: i })
      vi.advanceTimersByTime(16)
    }
    vi.advanceTimersByTime(PRESENCE_SEND_MS)
    expect(sent).toEqual([{ kind: 'ink' }])
    presence.setInking(false)
    vi.advanceTimersByTime(PRESENCE_SEND_MS)
    expect(sent).toEqual([{ kind: 'ink' }, { kind: 'at', x: 19, y: 19 }])
  })

  it('rides on an edit sent before the interval ends, and then does not go out again', () => {
    presence.setCursor({ x: 5, y: 6 })
    expect(channel.take()).toEqual({ kind: 'at', x: 5, y: 6 })
    vi.advanceTimersByTime(PRESENCE_SEND_MS)
    expect(sent).toEqual([])
  })
})
