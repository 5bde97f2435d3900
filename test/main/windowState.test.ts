import { describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW, MIN_WINDOW, parseWindowState, restoreWindow } from '../../src/main/windowState'

const laptop = { x: 0, y: 25, width: 1440, height: 875 }
const rightScreen = { x: 1440, y: 0, width: 1920, height: 1040 }

describe('window size and place', () => {
  it('opens a first window at the default size, centred by the window manager', () => {
    expect(restoreWindow(undefined, [laptop])).toEqual({ bounds: DEFAULT_WINDOW, maximized: false })
  })

  it('fits a first window to a screen smaller than the default, never below the minimum', () => {
    expect(restoreWindow(undefined, [{ x: 0, y: 0, width: 1024, height: 600 }]).bounds).toEqual({
      width: 1024,
      height: 600,
    })
    expect(restoreWindow(undefined, [{ x: 0, y: 0, width: 320, height: 240 }]).bounds).toEqual(MIN_WINDOW)
  })

  it('restores a window where it was, on the second screen too', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1000, height: 700 }, maximized: true }
    expect(restoreWindow(saved, [laptop, rightScreen])).toEqual(saved)
  })

  it('opens at the default when the screen it was on is gone, keeping it maximized if it was', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1000, height: 700 }, maximized: true }
    expect(restoreWindow(saved, [laptop])).toEqual({ bounds: DEFAULT_WINDOW, maximized: true })
  })

  it('does not restore a window whose title bar would be above the screen (it could not be grabbed)', () => {
    const saved = { bounds: { x: 100, y: -200, width: 1000, height: 700 }, maximized: false }
    expect(restoreWindow(saved, [laptop]).bounds).toEqual(DEFAULT_WINDOW)
  })

  it('cuts a window larger than its screen to it and moves it onto the screen', () => {
    const saved = { bounds: { x: 1300, y: 30, width: 3000, height: 2000 }, maximized: false }
    expect(restoreWindow(saved, [laptop, rightScreen]).bounds).toEqual({
      x: 1440,
      y: 0,
      width: 1920,
      height: 1040,
    })
  })

  it('moves in a window hanging off the side of its screen when enough of the title bar is on it', () => {
    const saved = { bounds: { x: 1200, y: 100, width: 1000, height: 700 }, maximized: false }
    expect(restoreWindow(saved, [laptop]).bounds).toEqual({ x: 440, y: 100, width: 1000, height: 700 })
  })

  it.each([
    [{ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: false }, true],
    [{ bounds: { x: 1, y: 2, width: 0, height: 4 }, maximized: false }, false],
    [{ bounds: { x: 1.5, y: 2, width: 3, height: 4 }, maximized: false }, false],
    [{ bounds: { x: '1', y: 2, width: 3, height: 4 }, maximized: false }, false],
    [{ bounds: { x: 1, y: 2, width: 3, height: 4 } }, false],
    [null, false],
  ])('reads a stored state %j: usable %s', (value, usable) => {
    expect(parseWindowState(value) !== undefined).toBe(usable)
  })
})
