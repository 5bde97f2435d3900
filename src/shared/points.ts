/** Values stored per point of a stroke: x, y (board units) and pressure (0..1). */
export const POINT_STRIDE = 3
const BYTES_PER_POINT = POINT_STRIDE * 4

/** Packs flat [x, y, pressure, ...] values into little-endian float32 bytes, as stored in the board. */
export function encodePoints(flat: ArrayLike<number>): Uint8Array {
  if (flat.length % POINT_STRIDE !== 0) throw new Error(`point data must hold x, y, pressure triples`)
  const bytes = new Uint8Array(flat.length * 4)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < flat.length; i++) view.setFloat32(i * 4, flat[i] as number, true)
  return bytes
}

/** Unpacks stored chunks of point bytes into one flat Float32Array of [x, y, pressure, ...]. */
export function decodePoints(chunks: readonly Uint8Array[]): Float32Array {
  let total = 0
  for (const chunk of chunks) total += Math.floor(chunk.byteLength / BYTES_PER_POINT) * POINT_STRIDE
  const out = new Float32Array(total)
  let at = 0
  for (const chunk of chunks) {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const n = Math.floor(chunk.byteLength / BYTES_PER_POINT) * POINT_STRIDE
    for (let i = 0; i < n; i++) out[at++] = view.getFloat32(i * 4, true)
  }
  return out
}

/** Number of points held by a flat [x, y, pressure, ...] array. */
export function pointCount(flat: ArrayLike<number>): number {
  return Math.floor(flat.length / POINT_STRIDE)
}
