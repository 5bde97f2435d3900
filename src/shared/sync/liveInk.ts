/**
 * Live ink on the wire (docs/protocol.md, "Ink"): the Yjs update that appends one chunk of points to a stroke being
 * drawn (Board.appendPoints) travels as an Ink frame of a few bytes instead of a ~35-byte Update frame. It is the
 * same edit: each side turns the frame back into the very bytes of that Yjs update and applies it, so the ink is in
 * the shared document as before (saved, merged offline, kept by a host that takes over).
 *
 * What makes it small is what both ends of one socket already know: the last Ink frame sent on it (its client, clock
 * and last point). A frame that continues it ("the next item of that client, after that item") is the points'
 * differences alone, in the compact form's steps (1/16 unit, pressure 1/256, compactPoints.ts), which the board
 * stores live points in. Any other update, or points off those steps, goes as an Update frame: nothing is lost.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { COMPACT_STEP_BITS, PRESSURE_STEPS } from '../compactPoints'
import { POINT_STRIDE } from '../points'
import { MessageType } from './protocol'

/** Coordinates of live ink travel in steps of 1/INK_STEPS board unit (the compact form's step). */
export const INK_STEPS = 2 ** COMPACT_STEP_BITS
/** Most points one Ink frame holds; a larger chunk goes as an Update frame. */
export const MAX_INK_POINTS = 256
/** Farthest coordinate an Ink frame reaches, in steps: float32 holds every step up to here exactly. */
const MAX_INK_STEP = 2 ** 24
/** Yjs client ids are 32-bit. */
const MAX_CLIENT = 2 ** 32 - 1
/** A Yjs item with a left origin and ContentBinary (content ref 3), as the struct's info byte. */
const APPEND_INFO = 0x80 | 3

/** An Ink frame as read: where the item goes (absent: after the last Ink frame on the socket), and its points. */
export interface InkFrame {
  /** The item's id and its left origin (the item before it, of the same client): `clock - 1 - back`. */
  at?: { client: number; clock: number; back: number }
  /** x, y differences in steps, per point (from the previous point; the first of an `at` frame from 0). */
  deltas: number[]
  /** Each point's pressure in 1/PRESSURE_STEPS; absent: the previous point's. */
  pressures?: number[]
}

/** Bytes that are no Ink frame, or one this socket cannot place; the message says which. */
export class InkError extends Error {}

/** Reads an Ink frame's body (after its type) and checks its numbers; throws InkError. */
export function readInk(decoder: decoding.Decoder): InkFrame {
  const head = decoding.readVarUint(decoder)
  const count = Math.floor(head / 4) + 1
  if (count > MAX_INK_POINTS)
    throw new InkError(`ink of ${count} points in one frame (at most ${MAX_INK_POINTS})`)
  let at: InkFrame['at']
  if (head & 1) {
    const client = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const back = decoding.readVarUint(decoder)
    if (client > MAX_CLIENT) throw new InkError('ink of a client id beyond 32 bits')
    if (back >= clock) throw new InkError('ink after an item before the first')
    at = { client, clock, back }
  }
  const hasPressure = (head & 2) !== 0
  if (at && !hasPressure) throw new InkError("a stroke's ink without its pressure")
  const deltas: number[] = []
  const pressures: number[] | undefined = hasPressure ? [] : undefined
  for (let i = 0; i < count; i++) {
    deltas.push(decoding.readVarInt(decoder), decoding.readVarInt(decoder))
    if (pressures) {
      const q = decoding.readVarUint(decoder)
      if (q > PRESSURE_STEPS) throw new InkError(`a pressure of ${q}/${PRESSURE_STEPS}`)
      pressures.push(q)
    }
  }
  return pressures ? { at, deltas, pressures } : { at, deltas }
}

/** Writes an Ink frame (type and body). */
export function writeInk(ink: InkFrame): Uint8Array {
  const encoder = encoding.createEncoder()
  const count = ink.deltas.length / 2
  encoding.writeVarUint(encoder, MessageType.Ink)
  encoding.writeVarUint(encoder, (count - 1) * 4 + (ink.pressures ? 2 : 0) + (ink.at ? 1 : 0))
  if (ink.at) {
    encoding.writeVarUint(encoder, ink.at.client)
    encoding.writeVarUint(encoder, ink.at.clock)
    encoding.writeVarUint(encoder, ink.at.back)
  }
  for (let i = 0; i < count; i++) {
    encoding.writeVarInt(encoder, ink.deltas[2 * i] as number)
    encoding.writeVarInt(encoder, ink.deltas[2 * i + 1] as number)
    if (ink.pressures) encoding.writeVarUint(encoder, ink.pressures[i] as number)
  }
  return encoding.toUint8Array(encoder)
}

/** The last Ink frame on one direction of a socket: its item and its last point, in steps. */
interface InkTip {
  client: number
  clock: number
  x: number
  y: number
  p: number
}

/** An append as read from a Yjs update: the item's id, its origin's clock, its points in steps. */
interface Append {
  client: number
  clock: number
  origin: number
  steps: number[]
}

/**
 * One direction of a socket's live ink: `frame` turns an outgoing update into an Ink frame when it is an append of
 * live points, `update` an incoming Ink frame back into its Yjs update. One per direction per socket: both ends
 * see the same frames in the same order, so their tips agree.
 */
export class InkChannel {
  private tip: InkTip | undefined

  /** The Ink frame for `update`, or undefined when it is no append of live points (send it as an Update frame). */
  frame(update: Uint8Array): Uint8Array | undefined {
    const append = readAppend(update)
    if (!append) return undefined
    const { client, clock, origin, steps } = append
    const tip = this.tip
    const continues =
      tip !== undefined && tip.client === client && tip.clock + 1 === clock && tip.clock === origin
    let x = continues ? tip.x : 0
    let y = continues ? tip.y : 0
    let p = continues ? tip.p : -1
    const deltas: number[] = []
    const pressures: number[] = []
    let samePressure = continues
    for (let i = 0; i < steps.length; i += POINT_STRIDE) {
      deltas.push((steps[i] as number) - x, (steps[i + 1] as number) - y)
      x = steps[i] as number
      y = steps[i + 1] as number
      pressures.push(steps[i + 2] as number)
      if (steps[i + 2] !== p) samePressure = false
      p = steps[i + 2] as number
    }
    const ink: InkFrame = continues ? { deltas } : { at: { client, clock, back: clock - 1 - origin }, deltas }
    if (!samePressure) ink.pressures = pressures
    // Sent only when it reads back as the very same update (a float that is no step, a -0, would not).
    const check = new InkChannel()
    check.tip = tip
    try {
      if (!sameBytes(check.update(ink), update)) return undefined
    } catch {
      return undefined
    }
    this.tip = check.tip
    return writeInk(ink)
  }

  /** The Yjs update an incoming Ink frame stands for; throws InkError when it continues nothing or leaves the board. */
  update(ink: InkFrame): Uint8Array {
    const tip = this.tip
    if (!ink.at && !tip) throw new InkError('ink that continues a stroke this socket never started')
    const client = ink.at ? ink.at.client : (tip as InkTip).client
    const clock = ink.at ? ink.at.clock : (tip as InkTip).clock + 1
    const origin = ink.at ? ink.at.clock - 1 - ink.at.back : (tip as InkTip).clock
    let x = ink.at ? 0 : (tip as InkTip).x
    let y = ink.at ? 0 : (tip as InkTip).y
    let p = ink.at ? 0 : (tip as InkTip).p
    const count = ink.deltas.length / 2
    const bytes = new Uint8Array(count * POINT_STRIDE * 4)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < count; i++) {
      x += ink.deltas[2 * i] as number
      y += ink.deltas[2 * i + 1] as number
      if (ink.pressures) p = ink.pressures[i] as number
      if (Math.abs(x) > MAX_INK_STEP || Math.abs(y) > MAX_INK_STEP) throw new InkError('ink beyond the board')
      view.setFloat32(i * 12, x / INK_STEPS, true)
      view.setFloat32(i * 12 + 4, y / INK_STEPS, true)
      view.setFloat32(i * 12 + 8, p / PRESSURE_STEPS, true)
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeUint8(encoder, APPEND_INFO)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, origin)
    encoding.writeVarUint8Array(encoder, bytes)
    // No deletions.
    encoding.writeVarUint(encoder, 0)
    this.tip = { client, clock, x, y, p }
    return encoding.toUint8Array(encoder)
  }
}

/**
 * The append a Yjs update (v1) holds when it is one item of binary points after an item of the same client, with
 * nothing deleted; its points in steps. Undefined for anything else.
 */
function readAppend(update: Uint8Array): Append | undefined {
  try {
    const d = decoding.createDecoder(update)
    if (decoding.readVarUint(d) !== 1 || decoding.readVarUint(d) !== 1) return undefined
    const client = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    if (decoding.readUint8(d) !== APPEND_INFO) return undefined
    if (decoding.readVarUint(d) !== client) return undefined
    const origin = decoding.readVarUint(d)
    const content = decoding.readVarUint8Array(d)
    if (decoding.readVarUint(d) !== 0 || decoding.hasContent(d)) return undefined
    if (client > MAX_CLIENT || origin >= clock) return undefined
    const floats = content.byteLength / 4
    if (floats === 0 || floats % POINT_STRIDE !== 0 || floats / POINT_STRIDE > MAX_INK_POINTS)
      return undefined
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength)
    const steps: number[] = []
    for (let i = 0; i < floats; i++) {
      const scale = i % POINT_STRIDE === 2 ? PRESSURE_STEPS : INK_STEPS
      const s = view.getFloat32(i * 4, true) * scale
      if (!Number.isInteger(s)) return undefined
      if (scale === PRESSURE_STEPS ? s < 0 || s > PRESSURE_STEPS : Math.abs(s) > MAX_INK_STEP)
        return undefined
      steps.push(s)
    }
    return { client, clock, origin, steps }
  } catch {
    return undefined
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
