// The oracle of the fuzz tests: what docs/board-format.md says a board holds, checked with the Yjs API alone.
import * as Y from 'yjs'
import { Board, ElementKind, IMAGE_LIMITS, IMAGE_MIMES, STROKE_LIMITS } from '../../../src/shared/board'
import { checkAttrs, type ElementAttrs, KIND_KEYS } from '../../../src/shared/elements/attrs'
import { assetIdOf, sniffImageMime } from '../../../src/shared/elements/image'

/**
 * The oracle: walks a board with the Yjs API, independently of the guard's engine, and says what is not as
 * docs/board-format.md has it. Whatever the guard lets through must leave a board this finds nothing in.
 */
export function nonConformance(source: Y.Doc): string[] {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  const problems: string[] = []
  const roots = new Set(['elements', 'order', 'meta', 'assets'])
  for (const name of doc.share.keys()) if (!roots.has(name)) problems.push(`root ${name}`)
  const board = new Board(doc)
  board.elements.forEach((el, id) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) problems.push(`element id ${id}`)
    // A finished stroke may be one flat record (schema 5): a plain map of its keys, points compact.
    const flat = !(el instanceof Y.Map) && el !== null && typeof el === 'object' && !Array.isArray(el)
    if (!(el instanceof Y.Map) && !flat) {
      problems.push(`element ${id} is no map`)
      return
    }
    const entries: [string, unknown][] = el instanceof Y.Map ? [...el.entries()] : Object.entries(el)
    const kind = (el instanceof Y.Map ? el.get('kind') : (el as Record<string, unknown>).kind) as ElementKind
    if (flat) {
      const record = el as Record<string, unknown>
      if (kind !== ElementKind.Stroke) problems.push(`flat element ${id} is no stroke`)
      for (const k of ['author', 'color', 'width', 'points'])
        if (!(k in record)) problems.push(`flat stroke ${id} lacks ${k}`)
      if (!(record.points instanceof Uint8Array)) problems.push(`flat stroke ${id} points not compact`)
      for (const k of ['done', 'live', 'ink'])
        if (k in record) problems.push(`flat stroke ${id} ${k}: no such key`)
    }
    if (!Object.values(ElementKind).includes(kind)) {
      problems.push(`element ${id} kind ${String(kind)}`)
      return
    }
    const drawn = ['author', 'color', 'width', 'highlighter', 'opacity', 'points']
    const check = (key: string, value: unknown, where: string): void => {
      if (key === 'author') {
        if (typeof value !== 'string' || value.length > 200) problems.push(where)
      } else if (kind === ElementKind.Stroke && key === 'points') {
        if (value instanceof Uint8Array) {
          const problem = compactProblem(value)
          if (problem) problems.push(`${where} compact: ${problem}`)
        } else if (!(value instanceof Y.Array)) problems.push(where)
        else {
          let points = 0
          for (const chunk of value.toArray()) {
            if (!(chunk instanceof Uint8Array) || chunk.byteLength % 12 !== 0 || chunk.byteLength === 0)
              problems.push(`${where} chunk`)
            else {
              const f = new Float32Array(chunk.slice().buffer)
              for (let i = 0; i < f.length; i += 3)
                if (
                  !(
                    Math.abs(f[i] as number) <= 1e7 &&
                    Math.abs(f[i + 1] as number) <= 1e7 &&
                    (f[i + 2] as number) >= 0 &&
                    (f[i + 2] as number) <= 1
                  )
                )
                  problems.push(`${where} point`)
              points += f.length / 3
            }
          }
          if (points > STROKE_LIMITS.maxPoints) problems.push(`${where} ${points} points`)
        }
      } else if (kind === ElementKind.Stroke && key === 'done') {
        if (typeof value !== 'boolean') problems.push(where)
      } else if (kind === ElementKind.Stroke && key === 'width') {
        if (!(typeof value === 'number' && value >= 0.5 && value <= 200)) problems.push(where)
      } else if (
        (kind === ElementKind.Text || kind === ElementKind.Note) &&
        key === 'text' &&
        value instanceof Y.Text
      ) {
        const delta = value.toDelta() as { insert: unknown; attributes?: unknown }[]
        if (delta.some((d) => typeof d.insert !== 'string' || d.attributes !== undefined))
          problems.push(`${where} rich`)
        if (value.length > 100_000) problems.push(`${where} length`)
      } else if (kind === ElementKind.Image && key === 'assetId') {
        if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) problems.push(where)
      } else if (KIND_KEYS[kind].has(key as keyof ElementAttrs)) {
        try {
          checkAttrs(kind, { [key]: value })
        } catch {
          problems.push(`${where} = ${JSON.stringify(value)?.slice(0, 40)}`)
        }
      } else problems.push(`${where}: no such key`)
    }
    for (const [key, value] of entries) {
      const where = `${kind} ${id} ${key}`
      if (key === 'kind') continue
      if (kind === ElementKind.Stroke && key === 'live') {
        // A stroke being drawn: a map of the keys the pen writes, points as chunks.
        if (!(value instanceof Y.Map)) problems.push(`${where} not a map`)
        else
          for (const [k, v] of value.entries())
            if (drawn.includes(k) && !(k === 'points' && v instanceof Uint8Array))
              check(k, v, `${where} ${k}`)
            else problems.push(`${where} ${k}: no such key`)
      } else if (kind === ElementKind.Stroke && key === 'ink') {
        // A finished stroke: one record of the same keys, points compact; author, colour, width and points required.
        if (
          value === null ||
          typeof value !== 'object' ||
          Array.isArray(value) ||
          value instanceof Uint8Array
        )
          problems.push(`${where} not a record`)
        else {
          const record = value as Record<string, unknown>
          for (const k of ['author', 'color', 'width', 'points'])
            if (!(k in record)) problems.push(`${where} lacks ${k}`)
          if (!(record.points instanceof Uint8Array)) problems.push(`${where} points not compact`)
          for (const [k, v] of Object.entries(record))
            if (drawn.includes(k)) check(k, v, `${where} ${k}`)
            else problems.push(`${where} ${k}: no such key`)
        }
      } else check(key, value, where)
    }
  })
  for (const entry of board.order.toArray())
    if (typeof entry !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(entry))
      problems.push(`order ${String(entry)}`)
  for (const [key, value] of board.meta.entries())
    if (key !== 'schema' || !Number.isInteger(value)) problems.push(`meta ${key}`)
  board.assets.forEach((asset, id) => {
    if (!/^[0-9a-f]{64}$/.test(id) || !(asset instanceof Y.Map)) {
      problems.push(`asset ${id}`)
      return
    }
    for (const [key, value] of asset.entries()) {
      if (key === 'bytes') {
        if (!(value instanceof Uint8Array) || value.byteLength > IMAGE_LIMITS.maxBytes)
          problems.push(`asset ${id} bytes`)
        else if (assetIdOf(value) !== id || !sniffImageMime(value)) problems.push(`asset ${id} bytes content`)
      } else if (key === 'mime') {
        if (!(IMAGE_MIMES as readonly unknown[]).includes(value)) problems.push(`asset ${id} mime`)
      } else if (key === 'width' || key === 'height') {
        if (!(typeof value === 'number' && value >= 1 && value <= IMAGE_LIMITS.maxPixels))
          problems.push(`asset ${id} ${key}`)
      } else problems.push(`asset ${id} key ${key}`)
    }
  })
  return problems
}

/**
 * What is wrong with compact points, read as docs/board-format.md describes them (written apart from
 * src/shared/compactPoints.ts on purpose): a byte header, then exponential-Golomb codes of zigzag residuals.
 */
function compactProblem(b: Uint8Array): string | undefined {
  let at = 0
  let bit = 0
  const uint = (): number | undefined => {
    let n = 0
    for (let i = 0; i < 5; i++) {
      if (at >= b.length) return undefined
      const byte = b[at++] as number
      n += (byte & 127) * 128 ** i
      if (byte < 128) return n
    }
    return undefined
  }
  const readBit = (): number | undefined => {
    const i = bit >> 3
    if (i >= b.length) return undefined
    const v = ((b[i] as number) >> (7 - (bit & 7))) & 1
    bit++
    return v
  }
  const bits = (count: number): number | undefined => {
    let n = 0
    for (let i = 0; i < count; i++) {
      const v = readBit()
      if (v === undefined) return undefined
      n = n * 2 + v
    }
    return n
  }
  const code = (k: number): number | undefined => {
    let zeros = 0
    for (;;) {
      const v = readBit()
      if (v === undefined || zeros > 40) return undefined
      if (v === 1) break
      zeros++
    }
    const rest = bits(zeros)
    const low = bits(k)
    if (rest === undefined || low === undefined) return undefined
    const z = (2 ** zeros + rest - 1) * 2 ** k + low
    return z % 2 ? -(z + 1) / 2 : z / 2
  }
  if (b.length < 5 || b[0] !== 1 || ((b[1] as number) & ~3) !== 0 || (b[2] as number) > 8) return 'header'
  const perPoint = ((b[1] as number) & 1) === 1
  const second = ((b[1] as number) & 2) === 2
  const limit = 1e7 * 2 ** (b[2] as number)
  const kxy = (b[3] as number) >> 4
  const kp = (b[3] as number) & 15
  at = 4
  const count = uint()
  if (count === undefined || count < 1 || count > STROKE_LIMITS.maxPoints) return 'count'
  let p = perPoint ? 0 : uint()
  if (p === undefined || p > 256) return 'pressure'
  bit = at * 8
  const xs = [0, 0]
  const ys = [0, 0]
  for (let i = 0; i < count; i++) {
    const k = i === 0 ? 15 : kxy
    const dx = code(k)
    const dy = code(k)
    if (dx === undefined || dy === undefined) return 'cut short'
    const [x1, x2] = xs as [number, number]
    const [y1, y2] = ys as [number, number]
    const x = dx + (second && i >= 2 ? 2 * x1 - x2 : x1)
    const y = dy + (second && i >= 2 ? 2 * y1 - y2 : y1)
    if (Math.abs(x) > limit || Math.abs(y) > limit) return 'off the board'
    xs.splice(0, 2, x, x1)
    ys.splice(0, 2, y, y1)
    if (perPoint) {
      const dp = code(kp)
      if (dp === undefined) return 'cut short'
      p += dp
      if (p < 0 || p > 256) return 'pressure'
    }
  }
  // Only zero bits may pad the last byte; no byte may follow.
  if (Math.ceil(bit / 8) !== b.length) return 'trailing bytes'
  return bits((8 - (bit & 7)) & 7) === 0 ? undefined : 'padding'
}
