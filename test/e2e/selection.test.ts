// Selecting and editing a selection in a real Chromium page (move, resize, rotate, group, lock, order, clipboard); one browser and host for all.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement } from '../../src/shared/board'
import { launchBrowser } from '../support/browser'
import { inkPixelsAt, screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

// The select tool (V) on page one, driven by the mouse and the keyboard, checked on page two of the same session by
// its board (and its pixels where they can tell): every edit reaches the other page, and every edit is one undo step
// of page one that never takes back what page two did.

/** Where to save screenshots of the UI for a person to look at (unset: none are taken). */
const SHOTS = process.env.LANVAS_SHOTS
const SCREEN = { width: 1200, height: 760 }

let dir: string
let host: HostProcess
let boardPath: string
let browser: Browser
let one: Page
let two: Page

async function openBoard(url: string, page?: Page): Promise<Page> {
  const p = page ?? (await (await browser.newContext({ viewport: SCREEN })).newPage())
  await p.goto(url)
  await p.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await p.waitForFunction(() => window.__lanvas !== undefined)
  return p
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/**
 * Runs a function of the page's board in the page, for setting a scene up and reading the model; never the action
 * under test. The function is sent as source, so it may use only its arguments.
 */
function onBoard<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`(${fn})(window.__lanvas.board, ...${JSON.stringify(args)})`) as Promise<T>
}

const add = {
  rect: (page: Page, x: number, y: number, fill = '#a5d8ff', w = 120, h = 80) =>
    onBoard<string>(
      page,
      '(b, x, y, fill, w, h) => b.addShape("rect", { x, y, width: w, height: h, fillColor: fill })',
      x,
      y,
      fill,
      w,
      h,
    ),
  note: (page: Page, x: number, y: number, text: string) =>
    onBoard<string>(page, '(b, x, y, text) => b.addNote({ x, y, text })', x, y, text),
}

function read(page: Page, id: string): Promise<BoardElement | undefined> {
  return onBoard(
    page,
    '(b, id) => { const e = b.readElement(id); return e && JSON.parse(JSON.stringify(e)) }',
    id,
  )
}

function ids(page: Page): Promise<string[]> {
  return onBoard(page, '(b) => b.elementIds()')
}

function selected(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__lanvas as LanvasTestHandle).selected()])
}

async function clickAt(page: Page, x: number, y: number, modifiers: ('Shift' | 'Control')[] = []) {
  const p = await screenPointOf(page, x, y)
  for (const m of modifiers) await page.keyboard.down(m)
  await page.mouse.click(p.x, p.y)
  for (const m of modifiers) await page.keyboard.up(m)
}

/** Drags the mouse between two screen points, with keys held. */
async function dragScreen(
  page: Page,
  a: { x: number; y: number },
  b: { x: number; y: number },
  keys: string[] = [],
) {
  await page.mouse.move(a.x, a.y)
  for (const k of keys) await page.keyboard.down(k)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 12 })
  await page.mouse.up()
  for (const k of keys) await page.keyboard.up(k)
}

async function dragBoard(page: Page, from: [number, number], to: [number, number], keys: string[] = []) {
  await dragScreen(page, await screenPointOf(page, ...from), await screenPointOf(page, ...to), keys)
}

/** Waits until page two's copy of an element satisfies `ok` (undefined: the element is gone). */
async function onTwo(what: string, id: string, ok: (el: BoardElement | undefined) => boolean): Promise<void> {
  let last: BoardElement | undefined
  await waitUntil(`page two: ${what}`, async () => {
    last = await read(two, id)
    return ok(last)
  }).catch((err: Error) => {
    throw new Error(`${err.message}; page two has ${JSON.stringify(last)}`)
  })
}

/** Page one undoes (Ctrl+Z) and page two sees `before`; page one redoes (Ctrl+Shift+Z) and page two sees `after`. */
async function undoRedo(
  id: string,
  before: (el?: BoardElement) => boolean,
  after: (el?: BoardElement) => boolean,
) {
  await one.keyboard.press('Control+z')
  await onTwo('undone', id, before)
  await one.keyboard.press('Control+Shift+z')
  await onTwo('redone', id, after)
}

const near = (a: number | undefined, b: number, tol = 1) => a !== undefined && Math.abs(a - b) <= tol

/** Colour of the page's visible pixel at a screen point (a screenshot: what the person sees, CSS filters included). */
async function seenColour(page: Page, p: { x: number; y: number }): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 } })
  const img = await loadImage(png)
  const canvas = createCanvas(1, 1)
  const ctx = canvas.getContext('2d')
  ctx.drawImage(img, 0, 0)
  const d = ctx.getImageData(0, 0, 1, 1).data
  return [d[0] as number, d[1] as number, d[2] as number]
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-select-'))
  boardPath = join(dir, 'select.lanvas')
  host = await startHostProcess(['--port', '0', '--board', boardPath])
  browser = await launchBrowser()
  one = await openBoard(host.url)
  two = await openBoard(host.url)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('the select tool on page one, seen on page two', () => {
  let rect: string
  let note: string

  it('selects by click, Shift-click and marquee; Escape clears', async () => {
    rect = await add.rect(one, 300, 120)
    note = await add.note(one, 500, 120, 'Hello')
    await one.keyboard.press('v')
    await clickAt(one, 360, 160)
    expect(await selected(one)).toEqual([rect])
    await clickAt(one, 600, 220, ['Shift'])
    expect((await selected(one)).sort()).toEqual([rect, note].sort())
    await shot(one, 'selected-two')
    await clickAt(one, 600, 220, ['Shift'])
    expect(await selected(one)).toEqual([rect])
    await clickAt(one, 1000, 600)
    expect(await selected(one)).toEqual([])
    // A marquee takes what is wholly inside it: both, then only the rectangle.
    await dragBoard(one, [280, 100], [720, 340])
    expect((await selected(one)).sort()).toEqual([rect, note].sort())
    await dragBoard(one, [280, 100], [600, 340])
    expect(await selected(one)).toEqual([rect])
    await one.keyboard.press('Escape')
    expect(await selected(one)).toEqual([])
  })

  it('moves by dragging; page two sees it; undo and redo', async () => {
    await dragBoard(one, [360, 160], [460, 360])
    await onTwo('moved', rect, (el) => near(el?.x, 400) && near(el?.y, 320))
    await shot(one, 'moved')
    // Page two's own work in between is not page one's to undo.
    const theirs = await add.rect(two, 800, 500, '#ffc9c9', 40, 40)
    await undoRedo(
      rect,
      (el) => near(el?.x, 300) && near(el?.y, 120),
      (el) => near(el?.x, 400) && near(el?.y, 320),
    )
    await waitUntil('page two’s rectangle on page one', () => read(one, theirs))
    await one.keyboard.press('Control+z')
    await onTwo('undone once more', rect, (el) => near(el?.x, 300))
    // Undoing page one's move took back nothing of page two's.
    expect(await read(two, theirs)).toBeDefined()
    await one.keyboard.press('Control+Shift+z')
    await onTwo('redone once more', rect, (el) => near(el?.x, 400))
    await one.keyboard.press('Escape')
  })

  it('resizes with a corner handle, and keeps the ratio with Shift', async () => {
    await clickAt(one, 460, 360)
    // The box is the rectangle's, out by half its outline (1 unit): its bottom-right handle.
    const handle = await screenPointOf(one, 521, 401)
    await dragScreen(one, handle, { x: handle.x + 60, y: handle.y + 40 })
    await onTwo('resized', rect, (el) => near((el as { width: number })?.width, 180, 2))
    const el = (await read(two, rect)) as { width: number; height: number; x: number; y: number }
    expect(el.height).toBeCloseTo(120, -0.5)
    expect(el.x).toBeCloseTo(400, 0)
    await shot(one, 'resized')
    await undoRedo(
      rect,
      (e) => near((e as { width: number })?.width, 120),
      (e) => near((e as { width: number })?.width, 180, 2),
    )
    // Shift: dragging only sideways still grows both sides alike.
    const corner = await screenPointOf(one, 581, 441)
    await dragScreen(one, corner, { x: corner.x + 90, y: corner.y }, ['Shift'])
    await onTwo('resized with its ratio', rect, (e) => {
      const r = e as { width: number; height: number } | undefined
      return !!r && r.width > 200 && Math.abs(r.width / r.height - 1.5) < 0.03
    })
  })

  it('rotates with the handle, in 15° steps with Shift', async () => {
    await one.keyboard.press('Control+z')
    await onTwo('back to 180 × 120', rect, (e) => near((e as { width: number })?.width, 180, 2))
    // The rotation handle sits 26 px above the top edge's middle; the centre is (490, 380).
    const r = (await read(one, rect)) as { x: number; y: number; width: number; height: number }
    const cx = r.x + r.width / 2
    const cy = r.y + r.height / 2
    const knob = await screenPointOf(one, cx, r.y - 1)
    const centre = await screenPointOf(one, cx, cy)
    await dragScreen(one, { x: knob.x, y: knob.y - 26 }, { x: centre.x + 200, y: centre.y + 22 }, ['Shift'])
    await onTwo('turned a quarter', rect, (e) => near(e?.rotation, 90, 0.01))
    await shot(one, 'rotated')
    const turned = (await read(two, rect)) as { x: number; y: number; width: number }
    // It turned about its centre.
    expect(turned.x + turned.width / 2).toBeCloseTo(cx, 3)
    await undoRedo(
      rect,
      (e) => near(e?.rotation, 0, 0.01),
      (e) => near(e?.rotation, 90, 0.01),
    )
    // Without Shift it follows the pointer freely.
    const now = await screenPointOf(one, cx + r.height / 2 + 1, cy)
    await dragScreen(one, { x: now.x + 26, y: now.y }, { x: centre.x + 150, y: centre.y + 120 })
    // atan(120 / 150) = 38.66° past the quarter turn.
    await onTwo('turned freely', rect, (e) => near(e?.rotation, 128.66, 0.5))
    await one.keyboard.press('Control+z')
    await onTwo('a quarter again', rect, (e) => near(e?.rotation, 90, 0.01))
  })

  it('resizes a pen stroke by its scale, and a bound arrow follows its moved shape', async () => {
    await one.keyboard.press('p')
    await dragBoard(one, [270, 560], [400, 600])
    await one.keyboard.press('v')
    const stroke = await waitUntil('the stroke on page one', async () =>
      (await onBoard<{ id: string; kind: string }[]>(one, '(b) => b.readElements()')).find(
        (e) => e.kind === 'stroke',
      ),
    )
    await one.keyboard.press('Escape')
    await clickAt(one, 335, 580)
    expect(await selected(one)).toEqual([stroke.id])
    // Its box is its points' bounds out by its width (4): the bottom-right handle is at (404, 604).
    const handle = await screenPointOf(one, 404, 604)
    await dragScreen(one, handle, { x: handle.x + 69, y: handle.y })
    await onTwo('stretched', stroke.id, (el) => {
      const s = el as { scaleX?: number; scaleY?: number } | undefined
      return !!s && (s.scaleX ?? 1) > 1.4 && Math.abs((s.scaleY ?? 1) - 1) < 0.01
    })
    // Both pages draw its ink where the stretch put it: the last point (400, 600) lands at x + scaleX · 400.
    const placed = (await read(two, stroke.id)) as { x: number; y: number; scaleX: number; scaleY: number }
    const end = { x: placed.x + placed.scaleX * 400, y: placed.y + placed.scaleY * 600 }
    expect(end.x).toBeGreaterThan(450)
    for (const page of [one, two])
      await waitUntil(
        'the stretched end drawn',
        async () => (await inkPixelsAt(page, end.x - 2, end.y, 4)) > 0,
      )
    // A nudge moves the drawn ink too (10 units right with Shift), on both pages.
    await one.keyboard.press('Shift+ArrowRight')
    await onTwo('nudged', stroke.id, (el) => near(el?.x, placed.x + 10))
    for (const page of [one, two])
      await waitUntil('the nudged end drawn', async () => (await inkPixelsAt(page, end.x + 8, end.y, 2)) > 0)
    await one.keyboard.press('Delete')
    await onTwo('stroke deleted', stroke.id, (el) => el === undefined)

    const a = await add.rect(one, 270, 520, '#ffec99', 60, 60)
    const b = await add.rect(one, 420, 520, '#ffec99', 60, 60)
    const arrow = await onBoard<string>(
      one,
      '(b, from, to) => b.addShape("arrow", { x: 336, y: 550, points: [0, 0, 78, 0], startBinding: from, endBinding: to })',
      a,
      b,
    )
    await one.keyboard.press('Escape')
    await clickAt(one, 450, 550)
    await dragBoard(one, [450, 550], [450, 650])
    await onTwo('the box moved', b, (el) => near(el?.y, 620))
    // The arrow's end followed the box down, in the same step.
    await onTwo('the arrow followed', arrow, (el) => {
      const l = el as { endBinding?: string; points: number[]; y: number } | undefined
      return !!l && l.endBinding === b && l.y + (l.points.at(-1) ?? 0) > 600
    })
    await one.keyboard.press('Control+z')
    await onTwo('the box back', b, (el) => near(el?.y, 520))
    await onTwo('the arrow back', arrow, (el) => {
      const l = el as { points: number[]; y: number } | undefined
      return !!l && Math.abs(l.y + (l.points.at(-1) ?? 0) - 550) < 1
    })
    await onBoard(one, '(b, ids) => { b.beginAction(); b.deleteElements(ids) }', [a, b, arrow])
  })

  it('deletes with Delete and Backspace', async () => {
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    expect(await selected(one)).toEqual([note])
    await one.keyboard.press('Delete')
    await onTwo('note deleted', note, (el) => el === undefined)
    expect(await selected(one)).toEqual([])
    await undoRedo(
      note,
      (el) => el !== undefined,
      (el) => el === undefined,
    )
    await one.keyboard.press('Control+z')
    await onTwo('note back', note, (el) => el !== undefined)
    await clickAt(one, 600, 160)
    await one.keyboard.press('Backspace')
    await onTwo('note deleted again', note, (el) => el === undefined)
    await one.keyboard.press('Control+z')
    await onTwo('note back again', note, (el) => el !== undefined)
  })

  it('duplicates with Ctrl+D: a copy 10 units off, selected', async () => {
    await clickAt(one, 600, 160)
    await one.keyboard.press('Control+d')
    const [copy] = await selected(one)
    expect(copy).toBeDefined()
    expect(copy).not.toBe(note)
    await onTwo('the copy', copy as string, (el) => el?.kind === 'note' && near(el.x, 510) && near(el.y, 130))
    expect(((await read(two, copy as string)) as { text: string }).text).toBe('Hello')
    await undoRedo(
      copy as string,
      (el) => el === undefined,
      (el) => el !== undefined,
    )
    await one.keyboard.press('Control+z')
    await onTwo('copy gone', copy as string, (el) => el === undefined)
  })

  it('copies and pastes at the pointer, and cuts', async () => {
    await clickAt(one, 600, 160)
    await one.keyboard.press('Control+c')
    const before = await ids(two)
    const target = await screenPointOf(one, 900, 300)
    await one.mouse.move(target.x, target.y)
    await one.keyboard.press('Control+v')
    const pasted = await waitUntil('a pasted note', async () => {
      const now = await ids(two)
      return now.find((id) => !before.includes(id))
    })
    // Centred on the pointer: a 200 × 200 note from (800, 200).
    await onTwo(
      'pasted at the pointer',
      pasted,
      (el) => el?.kind === 'note' && near(el.x, 800) && near(el.y, 200),
    )
    expect(await selected(one)).toEqual([pasted])
    await undoRedo(
      pasted,
      (el) => el === undefined,
      (el) => el !== undefined,
    )
    // Cut takes it away and pastes back.
    await clickAt(one, 900, 300)
    await one.keyboard.press('Control+x')
    await onTwo('cut', pasted, (el) => el === undefined)
    await one.keyboard.press('Control+v')
    await waitUntil('pasted after the cut', async () => (await ids(two)).length === before.length + 1)
  })

  it('pastes into another board, on another host, images and all', async () => {
    const other = await startHostProcess(['--port', '0', '--board', join(dir, 'other.lanvas')])
    try {
      const three = await openBoard(other.url, await one.context().newPage())
      const image = await onBoard<string>(
        one,
        `(b) => {
          const c = document.createElement('canvas')
          c.width = 4
          c.height = 4
          const bin = atob(c.toDataURL('image/png').split(',')[1])
          const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
          return b.addImage(bytes, 'image/png', 4, 4, { x: 700, y: 600 })
        }`,
      )
      const box = await add.rect(one, 640, 560, '#b2f2bb', 30, 30)
      await one.bringToFront()
      await one.keyboard.press('Escape')
      await dragBoard(one, [600, 540], [760, 700])
      expect((await selected(one)).sort()).toEqual([image, box].sort())
      await one.keyboard.press('Control+c')
      await three.bringToFront()
      await three.keyboard.press('v')
      await three.keyboard.press('Control+v')
      await waitUntil('the copies on the other board', async () => (await ids(three)).length === 2)
      const kinds = await onBoard<string[]>(three, '(b) => b.readElements().map((e) => e.kind)')
      expect(kinds).toEqual(['image', 'rect'])
      const asset = await onBoard<number>(
        three,
        '(b) => { const i = b.readElements().find((e) => e.kind === "image"); return b.asset(i.assetId)?.bytes.length ?? 0 }',
      )
      expect(asset).toBeGreaterThan(0)
      await three.close()
    } finally {
      await other.stop()
    }
  })

  it('brings forward and to front, sends backward and to back; page two draws the new order', async () => {
    // Red under blue where they overlap, at (350, 590).
    const red = await add.rect(one, 280, 520, '#e03131', 100, 100)
    const blue = await add.rect(one, 310, 550, '#1971c2', 100, 100)
    const at = async (page: Page) => seenColour(page, await screenPointOf(page, 350, 590))
    const isRed = async (page: Page) => {
      const [r, , b] = await at(page)
      return r > 180 && b < 90
    }
    const isBlue = async (page: Page) => {
      const [r, , b] = await at(page)
      return b > 150 && r < 90
    }
    await waitUntil('blue on top on page two', () => isBlue(two))
    await one.keyboard.press('Escape')
    await clickAt(one, 290, 530)
    expect(await selected(one)).toEqual([red])
    await one.keyboard.press('Control+]')
    await waitUntil('red brought forward on page two', () => isRed(two))
    await one.keyboard.press('Control+[')
    await waitUntil('red sent backward on page two', () => isBlue(two))
    await one.keyboard.press('Control+Shift+]')
    await waitUntil('red brought to front on page two', () => isRed(two))
    expect((await ids(two)).at(-1)).toBe(red)
    await one.keyboard.press('Control+Shift+[')
    await waitUntil('red sent to back on page two', () => isBlue(two))
    expect((await ids(two))[0]).toBe(red)
    await one.keyboard.press('Control+z')
    await waitUntil('undone: red in front again', async () => (await ids(two)).at(-1) === red)
    expect(await isRed(two)).toBe(true)
    await one.keyboard.press('Control+z')
    await waitUntil('undone: blue in front again', () => isBlue(two))
    await onBoard(one, '(b, ids) => { b.beginAction(); b.deleteElements(ids) }', [red, blue])
  })

  it('locks with Ctrl+Shift+L; a locked element cannot be picked; unlocks from the menu', async () => {
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    expect(await selected(one)).toEqual([note])
    await one.keyboard.press('Control+Shift+l')
    await onTwo('locked', note, (el) => el?.locked === true)
    await one.keyboard.press('Escape')
    // Neither a click nor a marquee picks it, nor do the keys move or delete it.
    await clickAt(one, 600, 160)
    expect(await selected(one)).toEqual([])
    await dragBoard(one, [480, 100], [720, 340])
    expect(await selected(one)).not.toContain(note)
    await one.keyboard.press('Escape')
    await shot(one, 'locked')
    // Its badge shows at its top-right corner.
    const [r, g, b] = await seenColour(one, await screenPointOf(one, 700, 120))
    expect(r + g + b).toBeLessThan(600)
    // Right-click: Unlock.
    const p = await screenPointOf(one, 600, 200)
    await one.mouse.click(p.x, p.y, { button: 'right' })
    await shot(one, 'unlock-menu')
    await one.getByTestId('menu-unlock').click()
    await onTwo('unlocked', note, (el) => el?.locked === false)
    expect(await selected(one)).toEqual([note])
    await undoRedo(
      note,
      (el) => el?.locked === true,
      (el) => el?.locked === false,
    )
  })

  it('groups with Ctrl+G (a click then picks the group) and ungroups with Ctrl+Shift+G', async () => {
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    await clickAt(one, 460, 380, ['Shift'])
    expect((await selected(one)).sort()).toEqual([note, rect].sort())
    const at = await screenPointOf(one, 600, 160)
    await one.mouse.click(at.x, at.y, { button: 'right' })
    await shot(one, 'selection-menu')
    await one.keyboard.press('Escape')
    expect(await selected(one)).toHaveLength(2)
    await one.keyboard.press('Control+g')
    await onTwo('grouped', note, (el) => el?.groupId !== undefined)
    const group = (await read(two, note))?.groupId
    expect((await read(two, rect))?.groupId).toBe(group)
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    expect((await selected(one)).sort()).toEqual([note, rect].sort())
    // Dragging one moves both.
    await dragBoard(one, [600, 160], [600, 200])
    await onTwo('the group moved', rect, (el) => near(el?.y, 360))
    await onTwo('with its mate', note, (el) => near(el?.y, 160))
    await one.keyboard.press('Control+z')
    await onTwo('group move undone', note, (el) => near(el?.y, 120))
    await one.keyboard.press('Control+Shift+g')
    await onTwo('ungrouped', note, (el) => el?.groupId === undefined)
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    expect(await selected(one)).toEqual([note])
    await undoRedo(
      note,
      (el) => el?.groupId === group,
      (el) => el?.groupId === undefined,
    )
  })

  it('unlocking one element of a locked group from the menu unlocks the whole group', async () => {
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    await clickAt(one, 460, 380, ['Shift'])
    await one.keyboard.press('Control+g')
    await onTwo('grouped', rect, (el) => el?.groupId !== undefined)
    await one.keyboard.press('Control+Shift+l')
    await onTwo('the note locked', note, (el) => el?.locked === true)
    await onTwo('the rectangle locked', rect, (el) => el?.locked === true)
    await one.keyboard.press('Escape')
    const p = await screenPointOf(one, 460, 380)
    await one.mouse.click(p.x, p.y, { button: 'right' })
    await one.getByTestId('menu-unlock').click()
    await onTwo('the rectangle unlocked', rect, (el) => el?.locked === false)
    await onTwo('its group mate unlocked too', note, (el) => el?.locked === false)
    expect((await selected(one)).sort()).toEqual([note, rect].sort())
    // As the next tests expect: not grouped, nothing selected.
    await one.keyboard.press('Control+Shift+g')
    await onTwo('ungrouped', note, (el) => el?.groupId === undefined)
    await one.keyboard.press('Escape')
  })

  it('nudges with the arrow keys: 1 unit, 10 with Shift; each press one undo step', async () => {
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    await one.keyboard.press('ArrowRight')
    await onTwo('nudged right', note, (el) => near(el?.x, 501, 0.01))
    await one.keyboard.press('Shift+ArrowDown')
    await onTwo('nudged down', note, (el) => near(el?.y, 130, 0.01))
    await one.keyboard.press('ArrowLeft')
    await one.keyboard.press('ArrowUp')
    await onTwo('nudged back', note, (el) => near(el?.x, 500, 0.01) && near(el?.y, 129, 0.01))
    await undoRedo(
      note,
      (el) => near(el?.y, 130, 0.01),
      (el) => near(el?.y, 129, 0.01),
    )
  })

  it('selects all with Ctrl+A (the select tool from any tool) and zooms to the selection with Shift+2', async () => {
    await one.keyboard.press('p')
    await one.keyboard.press('Control+a')
    expect(await one.getByTestId('tool-select').getAttribute('aria-pressed')).toBe('true')
    const all = await ids(one)
    expect((await selected(one)).sort()).toEqual([...all].sort())
    await one.keyboard.press('Escape')
    await clickAt(one, 600, 160)
    await one.keyboard.press('Shift+2')
    await waitUntil('the view fits the note', async () => {
      const v = await one.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())
      // A 200-unit note in a 760 px high view: zoom capped at 100%, centred on it.
      return near(v.x + SCREEN.width / 2 / v.zoom, 600, 1)
    })
  })

  it('changes the board’s background for everyone; grid and dark mode stay with the person', async () => {
    // A place on screen with nothing drawn, on either page.
    const paper = { x: 1100, y: 660 }
    const canvas = (page: Page) => page.locator('[data-testid="board-canvas"]')
    await one.getByTestId('canvas-options-toggle').click()
    await shot(one, 'canvas-options')
    await one.getByTestId('background-fffce8').click()
    await waitUntil('page two shows the background', async () => {
      const c = await canvas(two).evaluate((el) => getComputedStyle(el).backgroundColor)
      return c === 'rgb(255, 252, 232)'
    })
    // What page two's person sees at an empty place.
    expect(await seenColour(two, paper)).toEqual([255, 252, 232])
    await one.getByTestId('grid-grid').click()
    // The pattern is drawn by the paper under the canvases (a layer the compositor moves with the view).
    const paperOf = (page: Page) => page.getByTestId('board-paper')
    expect(await paperOf(one).evaluate((el) => getComputedStyle(el).backgroundImage)).toContain(
      'linear-gradient',
    )
    expect(await paperOf(two).evaluate((el) => getComputedStyle(el).backgroundImage)).toContain(
      'radial-gradient',
    )
    await one.getByTestId('dark-mode').check()
    await shot(one, 'dark')
    expect(await one.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    const [r, g, b] = await seenColour(one, paper)
    expect(r + g + b).toBeLessThan(120)
    // The ink is shown inverted, the board keeps its colours, and page two stays light.
    expect((await read(two, note))?.kind).toBe('note')
    expect(await seenColour(two, paper)).toEqual([255, 252, 232])
    // It is remembered for the next visit.
    await one.reload()
    await openBoard(host.url, one)
    expect(await one.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await one.getByTestId('canvas-options-toggle').click()
    await one.getByTestId('dark-mode').uncheck()
    await one.getByTestId('grid-dots').click()
    await one.getByTestId('canvas-options-toggle').click()
    expect(await seenColour(one, paper)).toEqual([255, 252, 232])
  })

  it('undoes page one’s last edit right after the host restarts and the page reconnects', async () => {
    await one.keyboard.press('v')
    await clickAt(one, 600, 160)
    await one.keyboard.press('Shift+ArrowRight')
    await onTwo('nudged before the restart', note, (el) => near(el?.x, 510, 0.01))
    const port = host.port
    await host.stop()
    await waitUntil('page one sees the host gone', () =>
      one.locator('[data-testid="connection-status"]:not([data-status="connected"])').count(),
    )
    host = await startHostProcess(['--port', String(port), '--board', boardPath])
    for (const page of [one, two])
      await page
        .locator('[data-testid="connection-status"][data-status="connected"]')
        .waitFor({ timeout: 30_000 })
    await one.keyboard.press('Control+z')
    await onTwo('the nudge undone after reconnecting', note, (el) => near(el?.x, 500, 0.01))
  })
})
