import { toBase64 } from 'lib0/buffer'
import { pixelSizeProblem } from '../elements/imageHeader'
import type { ImageAsset } from '../elements/types'
import type { ExportLayout } from './layout'
import { type Matrix, type Paint, type VectorElement, type VectorPart, vectorElement } from './vector'

/** Namespace of the <metadata> element that carries an embedded board. */
export const SVG_BOARD_NAMESPACE = 'urn:lanvas:board'

/** Board units are written with two decimals: a hundredth of a unit is far below a pixel at 4×. */
const num = (n: number, digits = 2) => {
  const f = 10 ** digits
  const r = Math.round(n * f) / f
  return Object.is(r, -0) ? '0' : String(r)
}

/** Text and attribute values as XML (the five characters XML gives meaning to). */
function xml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  )
}

/** The SVG path data of a filled outline polygon: M x y L x y x y ... Z. */
export function outlinePathData(outline: ArrayLike<number>): string {
  if (outline.length < 4) return ''
  const parts: string[] = [`M${num(outline[0] as number)} ${num(outline[1] as number)}L`]
  for (let i = 2; i + 1 < outline.length; i += 2) {
    parts.push(`${num(outline[i] as number)} ${num(outline[i + 1] as number)}`)
  }
  return `${parts.join(' ')}Z`
}

/** An open polyline as path data: M x y L x y ...; with `bezier`, cubic segments: M x y C x y x y x y ... */
function polylineData(points: ArrayLike<number>, bezier = false): string {
  if (bezier && points.length >= 8) {
    const parts: string[] = [`M${num(points[0] as number)} ${num(points[1] as number)}C`]
    for (let i = 2; i + 1 < points.length; i += 2)
      parts.push(`${num(points[i] as number)} ${num(points[i + 1] as number)}`)
    return parts.join(' ')
  }
  const d = outlinePathData(points)
  return d.endsWith('Z') ? d.slice(0, -1) : d
}

function isIdentity(m: Matrix): boolean {
  return m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0
}

function transformAttr(m: Matrix): string {
  if (isIdentity(m)) return ''
  if (m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1)
    return ` transform="translate(${num(m[4])} ${num(m[5])})"`
  return ` transform="matrix(${num(m[0], 6)} ${num(m[1], 6)} ${num(m[2], 6)} ${num(m[3], 6)} ${num(m[4])} ${num(m[5])})"`
}

/** Opacity and blending of a whole element (a highlighter multiplies, as on screen). */
function compositeAttrs(v: VectorElement): string {
  let out = v.opacity < 1 ? ` opacity="${num(v.opacity, 3)}"` : ''
  if (v.blend !== 'source-over') out += ` style="mix-blend-mode:${v.blend}"`
  return out
}

function paintAttrs(p: Paint): string {
  let out = ` fill="${p.fill ?? 'none'}"`
  if (!p.stroke || !(p.strokeWidth > 0)) return out
  out += ` stroke="${p.stroke}" stroke-width="${num(p.strokeWidth)}"`
  if (p.strokeOpacity !== undefined && p.strokeOpacity < 1)
    out += ` stroke-opacity="${num(p.strokeOpacity, 3)}"`
  if (p.dash.length > 0) out += ` stroke-dasharray="${p.dash.map((d) => num(d)).join(' ')}"`
  if (p.lineCap !== 'butt') out += ` stroke-linecap="${p.lineCap}"`
  if (p.lineJoin !== 'miter') out += ` stroke-linejoin="${p.lineJoin}"`
  return out
}

/** Image assets shown more than once go into <defs> once and are drawn with <use>; the rest are inline. */
class ImageDefs {
  private readonly uses = new Map<string, number>()
  private readonly written = new Set<string>()

  constructor(elements: { parts: VectorPart[] }[]) {
    for (const v of elements)
      for (const p of v.parts)
        if (p.type === 'image') this.uses.set(p.asset.id, (this.uses.get(p.asset.id) ?? 0) + 1)
  }

  /** The <image> (inline, or a <use> of the shared one, written to `defs` the first time). */
  image(part: { width: number; height: number; asset: ImageAsset }, rest: string, defs: string[]): string {
    const { asset } = part
    const size = `width="${num(part.width)}" height="${num(part.height)}"`
    // An image over the pixel cap is not passed on to whoever opens the SVG: a grey box, as PDF shows it.
    if (pixelSizeProblem(asset.bytes)) return `<rect ${size} fill="#cccccc"${rest}/>`
    if ((this.uses.get(asset.id) ?? 0) < 2)
      return `<image ${size} preserveAspectRatio="none"${rest} href="${dataUrl(asset)}"/>`
    const id = `image-${asset.id.slice(0, 16)}`
    if (!this.written.has(asset.id)) {
      this.written.add(asset.id)
      defs.push(
        `<image id="${id}" width="1" height="1" preserveAspectRatio="none" href="${dataUrl(asset)}"/>\n`,
      )
    }
    const use = `<use href="#${id}" transform="scale(${num(part.width)} ${num(part.height)})"/>`
    // The <use> has its own scale: whatever places the element goes on a group around it.
    return rest ? `<g${rest}>${use}</g>` : use
  }
}

function dataUrl(asset: ImageAsset): string {
  return `data:${asset.mime};base64,${toBase64(asset.bytes)}`
}

function textElement(part: Extract<VectorPart, { type: 'text' }>, rest: string): string {
  const spans = part.lines
    .filter((l) => l.text !== '')
    .map((l) => `<tspan x="${num(l.x)}" y="${num(l.y)}">${xml(l.text)}</tspan>`)
    .join('')
  return `<text font-family="${xml(part.fontFamily)}" font-size="${num(part.fontSize)}" fill="${part.color}" xml:space="preserve"${rest}>${spans}</text>`
}

function partElement(part: VectorPart, rest: string, images: ImageDefs, defs: string[]): string {
  switch (part.type) {
    case 'outline':
      return `<path fill="${part.fill}" d="${outlinePathData(part.points)}"${rest}/>`
    case 'polyline':
      return `<path${paintAttrs(part.paint)} d="${polylineData(part.points, part.bezier)}"${rest}/>`
    case 'polygon':
      return `<path${paintAttrs(part.paint)} d="${outlinePathData(part.points)}"${rest}/>`
    case 'rect': {
      const r = part.radius > 0 ? ` rx="${num(part.radius)}"` : ''
      return `<rect width="${num(part.width)}" height="${num(part.height)}"${r}${paintAttrs(part.paint)}${rest}/>`
    }
    case 'ellipse':
      return `<ellipse cx="${num(part.cx)}" cy="${num(part.cy)}" rx="${num(part.rx)}" ry="${num(part.ry)}"${paintAttrs(part.paint)}${rest}/>`
    case 'text':
      return textElement(part, rest)
    case 'image':
      return images.image(part, rest, defs)
  }
}

/**
 * One element as SVG: a single primitive carries the element's transform and opacity itself (a stroke is one
 * <path>, a rectangle one <rect>); several (an arrow and its heads, a note and its text) share a <g>.
 */
function elementSvg(v: VectorElement, images: ImageDefs, defs: string[]): string {
  const transform = transformAttr(v.matrix)
  const composite = compositeAttrs(v)
  if (v.parts.length === 1)
    return `${partElement(v.parts[0] as VectorPart, transform + composite, images, defs)}\n`
  const inner = v.parts.map((p) => partElement(p, '', images, defs)).join('')
  return `<g${transform}${composite}>${inner}</g>\n`
}

/**
 * An SVG document of an export, in board units under a viewBox so it stays a vector at any size: strokes as
 * <path> (their pen outline), rectangles and ellipses as <rect>/<ellipse>, lines and arrows as <path>s, texts and
 * notes as <text> with one <tspan> per line as the screen wraps them, images as <image> with their bytes inline.
 * `boardBase64` adds the embedded board.
 */
export function exportSvg(
  layout: ExportLayout,
  boardBase64?: string,
  onItem?: (done: number) => void,
): string {
  const { rect, width, height, background } = layout
  const w = rect.maxX - rect.minX
  const h = rect.maxY - rect.minY
  const elements = layout.items.map((item) => vectorElement(item, layout))
  const images = new ImageDefs(elements)
  const defs: string[] = []
  const body: string[] = []
  elements.forEach((v, i) => {
    body.push(elementSvg(v, images, defs))
    onItem?.(i + 1)
  })
  // Blending (highlighters) mixes with what is under it inside this image only, as on the canvas.
  const isolate = elements.some((v) => v.blend !== 'source-over') ? ' style="isolation:isolate"' : ''
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="${num(rect.minX)} ${num(rect.minY)} ${num(w)} ${num(h)}"${isolate}>\n`,
  ]
  if (boardBase64 !== undefined) {
    // Base64 has no characters XML must escape.
    out.push(
      `<metadata><lanvas:board xmlns:lanvas="${SVG_BOARD_NAMESPACE}" encoding="base64">${boardBase64}</lanvas:board></metadata>\n`,
    )
  }
  if (defs.length > 0) out.push('<defs>\n', ...defs, '</defs>\n')
  if (background) {
    out.push(
      `<rect x="${num(rect.minX)}" y="${num(rect.minY)}" width="${num(w)}" height="${num(h)}" fill="${background}"/>\n`,
    )
  }
  out.push(...body)
  out.push('</svg>\n')
  return out.join('')
}
