import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DEFAULT_LIMITS } from '../../../src/main/host/limits'
import { listPeople } from '../../../src/renderer/src/presence/people'
import {
  LASER_MAX_POINTS,
  LocalPresence,
  MAX_SHARED_SELECTION,
  type PeerPresence,
  readPresence,
} from '../../../src/renderer/src/presence/presence'
import { followView } from '../../../src/renderer/src/presence/useFollow'
import { newElementId } from '../../../src/shared/board'
import { awarenessFrame } from '../../../src/shared/sync/frames'

const peer = (clientId: number, name: string): PeerPresence => ({
  clientId,
  laserReceivedAt: 0,
  user: { name, color: '#1c7ed6' },
  viewport: { x: 0, y: 0, zoom: 1, width: 800, height: 600 },
  laser: [],
  selection: [],
})

describe('presence from the network', () => {
  it('reads a well-formed state', () => {
    const state = {
      user: { name: 'Alice', color: '#1c7ed6' },
      viewport: { x: 1, y: 2, zoom: 2, width: 800, height: 600 },
      laser: [[1, 2, 3]],
      selection: ['0123456789abcdef01234567'],
    }
    expect(readPresence(state)).toEqual(state)
    // The pointer travels as a cursor delta (MessageType.Cursor), not in the awareness state.
    expect(readPresence({ ...state, cursor: { x: 10, y: 20 } })).toEqual(state)
  })

  it('refuses states without a valid user and drops bad fields', () => {
    expect(readPresence(null)).toBeUndefined()
    expect(readPresence({ user: { name: 'A', color: 'red' } })).toBeUndefined()
    expect(readPresence({ user: { name: 3, color: '#123456' } })).toBeUndefined()
    const odd = readPresence({
      user: { name: 'x'.repeat(200), color: '#123456' },
      viewport: { x: 0, y: 0, zoom: -1, width: 1, height: 1 },
      laser: [[1, 2], 'no', ...Array.from({ length: 500 }, (_, i) => [i, i, i])],
    })
    expect(odd?.user.name).toHaveLength(40)
    expect(odd?.viewport.zoom).toBe(1)
    expect(odd?.laser).toHaveLength(LASER_MAX_POINTS)
    expect(odd?.selection).toEqual([])
  })

  it('keeps at most MAX_SHARED_SELECTION well-formed selected ids, dropping the rest', () => {
    const user = { name: 'A', color: '#123456' }
    const ids = Array.from({ length: MAX_SHARED_SELECTION + 50 }, (_, i) => `id${i}`)
    expect(readPresence({ user, selection: ids })?.selection).toEqual(ids.slice(0, MAX_SHARED_SELECTION))
    const mixed = ['good_id-1', '', 'bad id', 'x'.repeat(65), 7, null, { id: 'a' }, 'ok']
    expect(readPresence({ user, selection: mixed })?.selection).toEqual(['good_id-1', 'ok'])
    expect(readPresence({ user, selection: 'abc' })?.selection).toEqual([])
  })
})

describe('following a view', () => {
  it('shows exactly their view on a screen of the same size', () => {
    expect(followView({ x: 100, y: 50, zoom: 2, width: 800, height: 600 }, 800, 600)).toEqual({
      x: 100,
      y: 50,
      zoom: 2,
    })
  })

  it('shows at least their view, centred, on a smaller screen', () => {
    const v = followView({ x: 0, y: 0, zoom: 1, width: 1000, height: 500 }, 500, 500)
    expect(v.zoom).toBe(0.5)
    // Their centre (500, 250) is the centre of the follower's screen.
    expect(v.x + 500 / 2 / v.zoom).toBe(500)
    expect(v.y + 500 / 2 / v.zoom).toBe(250)
  })
})

describe('the participant list', () => {
  it("takes the host's list, marks you, and prefers live presence names", () => {
    const people = listPeople(
      [
        { id: 'h', name: 'Hana', color: '#2b8a3e', role: 'host', awarenessId: 1 },
        { id: 'b', name: 'Bob', color: '#e8590c', role: 'viewer', awarenessId: 3 },
        { id: 'a', name: 'Old name', color: '#7048e8', role: 'editor', awarenessId: 2 },
      ],
      'b',
      [peer(2, 'Alice'), peer(1, 'Hana')],
      { name: 'Bobby', color: '#e8590c' },
      3,
    )
    expect(people.map((p) => [p.name, p.role, p.you])).toEqual([
      ['Bobby', 'viewer', true],
      ['Hana', 'host', false],
      ['Alice', 'editor', false],
    ])
    expect(people[2]?.clientId).toBe(2)
  })

  it('falls back to presence when the host shares no list', () => {
    const people = listPeople([], undefined, [peer(5, 'Zed')], { name: 'Me', color: '#123456' }, 4)
    expect(people.map((p) => p.name)).toEqual(['Me', 'Zed'])
  })
})

describe("this page's presence on the wire", () => {
  it("fits the host's cap on one awareness message with everything selected, a full laser trail and the longest name", () => {
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    const presence = new LocalPresence(awareness, { name: 'W'.repeat(40), color: '#1c7ed6' })
    presence.setViewport({ x: -123456.789, y: 98765.4321, zoom: 0.123456789 }, 3840, 2160)
    presence.setSelection(Array.from({ length: 10_000 }, () => newElementId()))
    for (let i = 0; i < LASER_MAX_POINTS * 2; i++) presence.addLaserPoint(-1234567.891 + i, 7654321.123 - i)
    presence.destroy()
    awareness.setLocalState({ ...presence.current })
    const frame = awarenessFrame(awareness, [doc.clientID])
    expect(presence.current.selection).toHaveLength(MAX_SHARED_SELECTION)
    expect(presence.current.laser.length).toBeGreaterThan(LASER_MAX_POINTS / 2)
    expect(frame.byteLength).toBeLessThanOrEqual(DEFAULT_LIMITS.maxAwarenessBytes)
    awareness.destroy()
  })
})
