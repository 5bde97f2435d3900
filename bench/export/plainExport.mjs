// The baseline of the large export (bench/export.scenario.ts): what a plain script does with no Lanvas code.
// Decodes a simple stroke file (the bench writes it from the same board), computes each outline with
// perfect-freehand, fills it on one @napi-rs/canvas as large as the image, and encodes that canvas with
// @napi-rs/canvas' own PNG encoder. Usage: node plainExport.mjs STROKES.bin OUT.png SCALE PADDING
import { readFileSync, writeFileSync } from 'node:fs'
import { createCanvas, Path2D } from '@napi-rs/canvas'
import { getStroke } from 'perfect-freehand'

const [input, output, scaleText, paddingText] = process.argv.slice(2)
const scale = Number(scaleText)
const padding = Number(paddingText)
const bytes = readFileSync(input)
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
// Stroke file: u32 count, then per stroke u32 0xRRGGBB, f32 width, u32 points, points × (f32 x, y, pressure).
let at = 0
const u32 = () => {
  const v = view.getUint32(at, true)
  at += 4
  return v
}
const f32 = () => {
  const v = view.getFloat32(at, true)
  at += 4
  return v
}
const strokes = []
let minX = Infinity
let minY = Infinity
let maxX = -Infinity
let maxY = -Infinity
for (let i = u32(); i > 0; i--) {
  const color = `#${u32().toString(16).padStart(6, '0')}`
  const width = f32()
  const points = []
  for (let n = u32(); n > 0; n--) points.push([f32(), f32(), f32()])
  const outline = getStroke(points, {
    size: width,
    thinning: 0.5,
    smoothing: 0.5,
    streamline: 0.4,
    last: true,
  })
  for (const [x, y] of outline) {
    if (x < minX) minX = x
    if (y < minY) minY = y
    if (x > maxX) maxX = x
    if (y > maxY) maxY = y
  }
  strokes.push({ color, outline })
}
const width = Math.ceil((maxX - minX + 2 * padding) * scale)
const height = Math.ceil((maxY - minY + 2 * padding) * scale)
const canvas = createCanvas(width, height)
const ctx = canvas.getContext('2d')
ctx.fillStyle = '#ffffff'
ctx.fillRect(0, 0, width, height)
ctx.setTransform(scale, 0, 0, scale, (padding - minX) * scale, (padding - minY) * scale)
for (const { color, outline } of strokes) {
  const path = new Path2D()
  path.moveTo(outline[0][0], outline[0][1])
  for (let i = 1; i < outline.length; i++) path.lineTo(outline[i][0], outline[i][1])
  path.closePath()
  ctx.fillStyle = color
  ctx.fill(path)
}
writeFileSync(output, await canvas.encode('png'))
process.stdout.write(`${width}x${height}\n`)
