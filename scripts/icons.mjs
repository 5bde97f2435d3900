// `npm run icons`: every icon size the packages need, drawn from resources/icon.svg and resources/file-icon.svg with
// @napi-rs/canvas (already a dependency), so the SVGs stay the only sources. Run it after changing an SVG; the
// outputs are committed, as electron-builder reads them and packaging must not need a drawing step.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'

const resources = new URL('../resources/', import.meta.url).pathname
// Linux hicolor sizes (and 1024 for macOS); Windows and macOS containers take the sizes they list below.
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
// The PNG-holding types of the .icns format, by pixel size.
const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' }

/** The SVG drawn at `size` pixels (drawn at that size, not scaled up from the SVG's own). */
async function render(svg, size) {
  const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `)
  const image = await loadImage(Buffer.from(sized))
  const canvas = createCanvas(size, size)
  canvas.getContext('2d').drawImage(image, 0, 0, size, size)
  return canvas.encode('png')
}

/** A Windows .ico holding PNG images (Vista and later read PNG entries). */
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(pngs.length, 4)
  let offset = header.length
  pngs.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, at)
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt16LE(1, at + 4)
    header.writeUInt16LE(32, at + 6)
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...pngs.map((p) => p.png)])
}

/** A macOS .icns holding PNG images. */
function icns(pngs) {
  const entries = pngs.map(({ size, png }) => {
    const head = Buffer.alloc(8)
    head.write(ICNS_TYPES[size], 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4)
  return Buffer.concat([head, ...entries])
}

for (const [source, name] of [
  ['icon.svg', 'icon'],
  ['file-icon.svg', 'file-icon'],
]) {
  const svg = readFileSync(join(resources, source), 'utf8')
  const pngs = []
  for (const size of SIZES) pngs.push({ size, png: await render(svg, size) })
  const folder = name === 'icon' ? join(resources, 'icons') : join(resources, 'file-icons')
  mkdirSync(folder, { recursive: true })
  for (const { size, png } of pngs) writeFileSync(join(folder, `${size}x${size}.png`), png)
  writeFileSync(join(resources, `${name}.png`), pngs.find((p) => p.size === 1024).png)
  writeFileSync(join(resources, `${name}.ico`), ico(pngs.filter((p) => ICO_SIZES.includes(p.size))))
  writeFileSync(join(resources, `${name}.icns`), icns(pngs.filter((p) => p.size in ICNS_TYPES)))
}
console.log(`icons written to ${resources}`)
