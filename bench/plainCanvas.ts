// The baseline of the canvas and selection scenarios: a page with one raw 2D canvas and no framework that draws
// the same strokes (centre lines at their widths) and answers the same input as Lanvas does in those scenarios
// (the pen, the hand, ctrl+wheel zoom, click and marquee selection, dragging the selection, Ctrl+A, arrow nudge,
// Ctrl+D, Escape). It does what the simplest canvas app does: redraw every stroke in view whenever the view or the
// selection changes, and paint the pen's new segment on top as it comes. It exposes the part of Lanvas's test
// handle (`window.__lanvas`) that the scenarios read, so the same gesture code drives both pages.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Board } from '../src/shared/board'
import { ElementKind, type Stroke } from '../src/shared/elements/types'
import { POINT_STRIDE } from '../src/shared/points'

/** The plain page served on loopback, with the board's strokes. */
export interface PlainCanvas {
  url: string
  close(): Promise<void>
}

/** The board's strokes as flat centre lines (x, y pairs) with their offsets, widths, colours and ids. */
export function centreLines(board: Board): { points: Buffer; meta: string } {
  const strokes = board.readElements().filter((e): e is Stroke => e.kind === ElementKind.Stroke)
  let total = 0
  for (const s of strokes) total += Math.floor(s.points.length / POINT_STRIDE)
  const xy = new Float32Array(total * 2)
  const offsets = [0]
  let at = 0
  for (const s of strokes) {
    for (let i = 0; i + 1 < s.points.length; i += POINT_STRIDE) {
      xy[at++] = s.points[i] as number
      xy[at++] = s.points[i + 1] as number
    }
    offsets.push(at / 2)
  }
  const meta = JSON.stringify({
    offsets,
    ids: strokes.map((s) => s.id),
    widths: strokes.map((s) => s.width),
    colors: strokes.map((s) => s.color),
  })
  return { points: Buffer.from(xy.buffer, xy.byteOffset, xy.byteLength), meta }
}

const PAGE = `<!doctype html><html><body style="margin:0;overflow:hidden"><canvas id="c"></canvas><script>
const c = document.getElementById('c'); c.width = innerWidth; c.height = innerHeight
const ctx = c.getContext('2d')
let view = { x: 0, y: 0, zoom: 1 }, dirty = true, mode = 'p', strokes = [], visible = 0, nextId = 0
let selected = new Set(), live = null, drag = null, marquee = null
const box = (s) => ({ x0: s.x0 + s.dx, y0: s.y0 + s.dy, x1: s.x1 + s.dx, y1: s.y1 + s.dy })
const toBoard = (e) => ({ x: view.x + e.offsetX / view.zoom, y: view.y + e.offsetY / view.zoom })
function addStroke(xy, width, color, id) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
  for (let k = 0; k < xy.length; k += 2) { const x = xy[k], y = xy[k + 1]
    if (x < x0) x0 = x; if (y < y0) y0 = y; if (x > x1) x1 = x; if (y > y1) y1 = y }
  const w = width / 2
  const s = { id: id ?? 'plain' + nextId++, xy, width, color, dx: 0, dy: 0, x0: x0 - w, y0: y0 - w, x1: x1 + w, y1: y1 + w }
  strokes.push(s); return s
}
window.__lanvas = {
  board: { elementIds: () => strokes.map((s) => s.id) },
  selected: () => [...selected].map((s) => s.id),
  viewport: () => view,
  visibleElementCount: () => visible,
  boardToScreen: (x, y) => ({ x: (x - view.x) * view.zoom, y: (y - view.y) * view.zoom }),
}
window.setView = (v) => { view = { ...v }; dirty = true }
Promise.all([fetch('/meta.json').then((r) => r.json()), fetch('/points.bin').then((r) => r.arrayBuffer())]).then(([m, b]) => {
  const xy = new Float32Array(b)
  for (let i = 0; i < m.ids.length; i++)
    addStroke(xy.subarray(2 * m.offsets[i], 2 * m.offsets[i + 1]), m.widths[i], m.colors[i], m.ids[i])
  dirty = true })
function line(s) {
  ctx.beginPath(); ctx.moveTo(s.xy[0] + s.dx, s.xy[1] + s.dy)
  for (let k = 2; k < s.xy.length; k += 2) ctx.lineTo(s.xy[k] + s.dx, s.xy[k + 1] + s.dy)
  ctx.strokeStyle = s.color; ctx.lineWidth = s.width; ctx.stroke()
}
function draw() {
  ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, c.width, c.height)
  ctx.setTransform(view.zoom, 0, 0, view.zoom, -view.x * view.zoom, -view.y * view.zoom)
  ctx.lineCap = 'round'; ctx.lineJoin = 'round'
  const x0 = view.x, y0 = view.y, x1 = view.x + c.width / view.zoom, y1 = view.y + c.height / view.zoom
  let n = 0
  for (const s of strokes) { const b = box(s)
    if (b.x0 > x1 || b.x1 < x0 || b.y0 > y1 || b.y1 < y0) continue
    n++; line(s) }
  visible = n
  ctx.lineWidth = 1 / view.zoom; ctx.strokeStyle = '#4dabf7'
  const sb = selectionBox(); if (sb) ctx.strokeRect(sb.x0, sb.y0, sb.x1 - sb.x0, sb.y1 - sb.y0)
  if (marquee) ctx.strokeRect(marquee.x0, marquee.y0, marquee.x1 - marquee.x0, marquee.y1 - marquee.y0)
}
const frame = () => { requestAnimationFrame(frame); if (dirty && strokes.length) { dirty = false; draw() } }
requestAnimationFrame(frame)
function selectionBox() {
  if (!selected.size) return null
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
  for (const s of selected) { const b = box(s)
    if (b.x0 < x0) x0 = b.x0; if (b.y0 < y0) y0 = b.y0; if (b.x1 > x1) x1 = b.x1; if (b.y1 > y1) y1 = b.y1 }
  return { x0, y0, x1, y1 }
}
function hit(p) {
  const tol = 4 / view.zoom
  for (let i = strokes.length - 1; i >= 0; i--) { const s = strokes[i], b = box(s)
    if (p.x < b.x0 - tol || p.x > b.x1 + tol || p.y < b.y0 - tol || p.y > b.y1 + tol) continue
    const r = s.width / 2 + tol, px = p.x - s.dx, py = p.y - s.dy
    for (let k = 0; k + 3 < s.xy.length; k += 2) {
      const ax = s.xy[k], ay = s.xy[k + 1], bx = s.xy[k + 2], by = s.xy[k + 3], vx = bx - ax, vy = by - ay
      const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy || 1)))
      if (Math.hypot(ax + t * vx - px, ay + t * vy - py) <= r) return s } }
  return null
}
window.addEventListener('keydown', (e) => {
  const k = e.key.toLowerCase()
  if (e.ctrlKey && k === 'a') { e.preventDefault(); selected = new Set(strokes); dirty = true }
  else if (e.ctrlKey && k === 'd') { e.preventDefault(); const copies = new Set()
    for (const s of selected) { const t = addStroke(s.xy, s.width, s.color); t.dx = s.dx + 10; t.dy = s.dy + 10; copies.add(t) }
    selected = copies; dirty = true }
  else if (e.shiftKey && e.code === 'Digit1') { let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
    for (const s of strokes) { const b = box(s)
      if (b.x0 < x0) x0 = b.x0; if (b.y0 < y0) y0 = b.y0; if (b.x1 > x1) x1 = b.x1; if (b.y1 > y1) y1 = b.y1 }
    const zoom = 0.9 * Math.min(c.width / (x1 - x0), c.height / (y1 - y0))
    view = { zoom, x: (x0 + x1) / 2 - c.width / 2 / zoom, y: (y0 + y1) / 2 - c.height / 2 / zoom }; dirty = true }
  else if (k === 'escape') { selected = new Set(); dirty = true }
  else if (k.startsWith('arrow')) { const d = e.shiftKey ? 10 : 1
    for (const s of selected) { s.dx += k === 'arrowright' ? d : k === 'arrowleft' ? -d : 0; s.dy += k === 'arrowdown' ? d : k === 'arrowup' ? -d : 0 }
    dirty = true }
  else if (k === 'p' || k === 'h' || k === 'v') mode = k
})
c.addEventListener('wheel', (e) => { e.preventDefault(); if (!e.ctrlKey) return
  const z = Math.min(8, Math.max(0.001, view.zoom * Math.exp(-e.deltaY * 0.002)))
  const bx = view.x + e.offsetX / view.zoom, by = view.y + e.offsetY / view.zoom
  view = { zoom: z, x: bx - e.offsetX / z, y: by - e.offsetY / z }; dirty = true }, { passive: false })
c.addEventListener('pointerdown', (e) => { const p = toBoard(e)
  if (e.button === 1 || mode === 'h') { drag = { kind: 'pan', x: e.clientX, y: e.clientY }; return }
  if (mode === 'p') { live = { xy: [p.x, p.y], width: 4, color: '#1e1e1e' }; return }
  const sb = selectionBox()
  if (sb && p.x >= sb.x0 && p.x <= sb.x1 && p.y >= sb.y0 && p.y <= sb.y1) { drag = { kind: 'move', at: p }; return }
  const s = hit(p)
  if (s) { selected = new Set([s]); drag = { kind: 'move', at: p } }
  else { selected = new Set(); marquee = { x0: p.x, y0: p.y, x1: p.x, y1: p.y }; drag = { kind: 'marquee' } }
  dirty = true })
c.addEventListener('pointermove', (e) => { const p = toBoard(e)
  if (live) { const n = live.xy.length
    ctx.setTransform(view.zoom, 0, 0, view.zoom, -view.x * view.zoom, -view.y * view.zoom)
    ctx.lineCap = 'round'; ctx.strokeStyle = live.color; ctx.lineWidth = live.width
    ctx.beginPath(); ctx.moveTo(live.xy[n - 2], live.xy[n - 1]); ctx.lineTo(p.x, p.y); ctx.stroke()
    live.xy.push(p.x, p.y); return }
  if (!drag) return
  if (drag.kind === 'pan') {
    view = { ...view, x: view.x - (e.clientX - drag.x) / view.zoom, y: view.y - (e.clientY - drag.y) / view.zoom }
    drag.x = e.clientX; drag.y = e.clientY }
  else if (drag.kind === 'move') { for (const s of selected) { s.dx += p.x - drag.at.x; s.dy += p.y - drag.at.y }; drag.at = p }
  else { marquee.x1 = p.x; marquee.y1 = p.y }
  dirty = true })
c.addEventListener('pointerup', () => {
  if (live) { addStroke(new Float32Array(live.xy), live.width, live.color); live = null }
  if (marquee) { const x0 = Math.min(marquee.x0, marquee.x1), x1 = Math.max(marquee.x0, marquee.x1)
    const y0 = Math.min(marquee.y0, marquee.y1), y1 = Math.max(marquee.y0, marquee.y1)
    selected = new Set(strokes.filter((s) => { const b = box(s); return b.x0 >= x0 && b.x1 <= x1 && b.y0 >= y0 && b.y1 <= y1 }))
    marquee = null; dirty = true }
  drag = null })
</script></body></html>`

/** Serves the plain page and the board's strokes on a loopback port (a route would copy MBs through Playwright). */
export async function servePlainCanvas(board: Board): Promise<PlainCanvas> {
  const lines = centreLines(board)
  const server: Server = createServer((req, res) => {
    if (req.url === '/points.bin') res.end(lines.points)
    else if (req.url === '/meta.json') res.end(lines.meta)
    else res.end(PAGE)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
