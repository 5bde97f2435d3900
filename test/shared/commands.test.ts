import { describe, expect, it } from 'vitest'
import { COMMANDS, type KeyPress, keysOf, matchesShortcut, shortcutText } from '../../src/shared/commands'

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: '',
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...more,
})
/** The commands the page's keyboard handler runs for a key press. */
const run = (e: KeyPress) =>
  COMMANDS.filter((c) => c.keyboard !== false && keysOf(c).some((s) => matchesShortcut(e, s))).map(
    (c) => c.id,
  )

describe('the command list', () => {
  it('has unique ids', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length)
  })

  it('gives each key to one command, but Escape, which both stops following and deselects', () => {
    const seen = new Map<string, string[]>()
    for (const c of COMMANDS.filter((c) => c.keyboard !== false))
      for (const s of keysOf(c)) {
        const text = shortcutText(s)
        seen.set(text, [...(seen.get(text) ?? []), c.id])
      }
    const shared = [...seen].filter(([, ids]) => ids.length > 1)
    expect(shared).toEqual([['Esc', ['deselect', 'stop-following']]])
  })

  it.each([
    [press('z', { ctrlKey: true }), ['undo']],
    [press('Z', { metaKey: true, shiftKey: true }), ['redo']],
    [press('y', { ctrlKey: true }), ['redo']],
    [press('+', { ctrlKey: true, shiftKey: true }), ['zoom-in']],
    [press('!', { code: 'Digit1', shiftKey: true }), ['zoom-to-fit']],
    [press('@', { code: 'Digit2', shiftKey: true }), ['zoom-to-selection']],
    [press('}', { code: 'BracketRight', ctrlKey: true, shiftKey: true }), ['bring-to-front']],
    [press('E', { code: 'KeyE', ctrlKey: true, shiftKey: true }), ['export']],
    [press('у', { code: 'KeyE', ctrlKey: true, shiftKey: true }), ['export']],
    [press('P', { shiftKey: true }), ['highlighter']],
    [press('0', { ctrlKey: true }), ['reset-zoom']],
    [press('0'), ['tool-eraser']],
    [press('ArrowLeft', { shiftKey: true }), ['nudge-left']],
    [press('ArrowLeft', { ctrlKey: true, shiftKey: true }), ['align-left']],
    [press('ArrowDown', { metaKey: true, shiftKey: true }), ['align-bottom']],
    [press('˙', { code: 'KeyH', altKey: true }), ['distribute-horizontally']],
    [press('v', { code: 'KeyV', altKey: true }), ['distribute-vertically']],
    [press("'", { code: 'Quote', ctrlKey: true }), ['snap-to-grid']],
    [press('c', { ctrlKey: true }), []],
    [press('z', { ctrlKey: true, altKey: true }), []],
  ])('%o runs %o', (e, ids) => {
    expect(run(e)).toEqual(ids)
  })

  it('writes shortcuts as tooltips show them', () => {
    const text = (id: string, mac = false) =>
      COMMANDS.find((c) => c.id === id)?.shortcuts.map((s) => shortcutText(s, mac))
    expect(text('redo')).toEqual(['Ctrl+Shift+Z'])
    expect(text('redo', true)).toEqual(['⌘Shift+Z'])
    expect(text('tool-select')).toEqual(['V', '1'])
    expect(text('send-to-back')).toEqual(['Ctrl+Shift+['])
    expect(text('zoom-in')?.[0]).toBe('Ctrl+=')
  })
})
