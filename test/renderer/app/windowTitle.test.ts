import { describe, expect, it } from 'vitest'
import { windowTitle } from '../../../src/renderer/src/app/windowTitle'

describe('the window title', () => {
  it.each([
    ['Plan', false, 'Plan — Lanvas'],
    ['Plan', true, '• Plan — Lanvas'],
    ['  ', false, 'Lanvas'],
    ['', true, '• Lanvas'],
  ])('%j, unsaved %s: %s', (name, unsaved, title) => {
    expect(windowTitle(name, unsaved)).toBe(title)
  })
})
