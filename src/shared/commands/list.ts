import type { Shortcut } from './shortcut'

/** The desktop menu a command appears in, if any. */
export type MenuName = 'file' | 'edit' | 'arrange' | 'view' | 'tools'

/** The platform-free half of a command: what it is called and which keys run it. The renderer adds what it does. */
export interface CommandDefinition {
  readonly id: string
  readonly label: string
  /** The keys tooltips show ("V or 1"); the first is the desktop menu's accelerator. */
  readonly shortcuts: readonly Shortcut[]
  /** More keys that run it, not shown (Ctrl+Y for redo, Backspace for delete). */
  readonly alsoKeys?: readonly Shortcut[]
  readonly menu?: MenuName
  /** The page's keyboard handler leaves it alone: the browser's own event does it, or another command owns its key. */
  readonly keyboard?: false
  /** A key held down does not repeat it. */
  readonly once?: true
  /** Done by the browser itself (its copy, cut and paste events); the desktop menu uses Electron's role for it. */
  readonly native?: 'cut' | 'copy' | 'paste'
}

const mod = (key: string, more: Partial<Shortcut> = {}): Shortcut => ({ key, mod: true, ...more })
const plain = (key: string): Shortcut => ({ key })
/** A tool's letter, then its digit in Excalidraw's order (its 3, the diamond, is our sticky note). */
const toolKeys = (...keys: string[]): Shortcut[] => keys.map(plain)
/** Arrows nudge by 1, with Shift by 10: the same command, told whether Shift was held. */
const arrow = (key: string) => ({ shortcuts: [{ key }], alsoKeys: [{ key, shift: true }] })

/** The tools in toolbar order, with their keys (Excalidraw and tldraw letters). */
export const TOOL_COMMANDS = [
  { tool: 'select', label: 'Select', shortcuts: toolKeys('v', '1') },
  { tool: 'hand', label: 'Hand', shortcuts: toolKeys('h') },
  { tool: 'pen', label: 'Pen', shortcuts: toolKeys('p', '7') },
  { tool: 'eraser', label: 'Eraser', shortcuts: toolKeys('e', '0') },
  { tool: 'rectangle', label: 'Rectangle', shortcuts: toolKeys('r', '2') },
  { tool: 'ellipse', label: 'Ellipse', shortcuts: toolKeys('o', '4') },
  { tool: 'arrow', label: 'Arrow', shortcuts: toolKeys('a', '5') },
  { tool: 'line', label: 'Line', shortcuts: toolKeys('l', '6') },
  { tool: 'text', label: 'Text', shortcuts: toolKeys('t', '8') },
  { tool: 'note', label: 'Sticky note', shortcuts: toolKeys('n', '3') },
  { tool: 'image', label: 'Image', shortcuts: toolKeys('i', '9') },
  { tool: 'frame', label: 'Frame', shortcuts: toolKeys('f') },
  { tool: 'laser', label: 'Laser pointer', shortcuts: toolKeys('k') },
] as const

/** The id of the command that picks a tool (also its toolbar button's test id). */
export function toolCommandId(tool: string): string {
  return `tool-${tool}`
}

/** Every command of the app, in desktop menu order. */
export const COMMANDS: readonly CommandDefinition[] = [
  { id: 'open', label: 'Open…', shortcuts: [mod('o')], menu: 'file' },
  { id: 'save', label: 'Save', shortcuts: [mod('s')], menu: 'file' },
  {
    id: 'export',
    label: 'Export image…',
    // `code` keeps the shortcut on the same key on every keyboard layout.
    shortcuts: [mod('e', { shift: true, code: 'KeyE' })],
    menu: 'file',
    once: true,
  },
  {
    id: 'copy-image',
    label: 'Copy as image',
    shortcuts: [mod('c', { shift: true, code: 'KeyC' })],
    menu: 'file',
    once: true,
  },
  { id: 'undo', label: 'Undo', shortcuts: [mod('z')], menu: 'edit' },
  { id: 'redo', label: 'Redo', shortcuts: [mod('z', { shift: true })], alsoKeys: [mod('y')], menu: 'edit' },
  { id: 'cut', label: 'Cut', shortcuts: [mod('x')], menu: 'edit', keyboard: false, native: 'cut' },
  { id: 'copy', label: 'Copy', shortcuts: [mod('c')], menu: 'edit', keyboard: false, native: 'copy' },
  { id: 'paste', label: 'Paste', shortcuts: [mod('v')], menu: 'edit', keyboard: false, native: 'paste' },
  { id: 'duplicate', label: 'Duplicate', shortcuts: [mod('d')], menu: 'edit' },
  {
    id: 'delete',
    label: 'Delete',
    shortcuts: [plain('delete')],
    alsoKeys: [plain('backspace')],
    menu: 'edit',
  },
  { id: 'select-all', label: 'Select all', shortcuts: [mod('a')], menu: 'edit' },
  // Excalidraw's Enter: the one selected text, note, shape or arrow opens in its in-place editor.
  { id: 'edit-text', label: 'Edit text or label', shortcuts: [plain('enter')], once: true },
  { id: 'deselect', label: 'Deselect', shortcuts: [plain('escape')] },
  {
    id: 'bring-forward',
    label: 'Bring forward',
    shortcuts: [{ code: 'BracketRight', mod: true }],
    menu: 'edit',
  },
  {
    id: 'bring-to-front',
    label: 'Bring to front',
    shortcuts: [{ code: 'BracketRight', mod: true, shift: true }],
    menu: 'edit',
  },
  {
    id: 'send-backward',
    label: 'Send backward',
    shortcuts: [{ code: 'BracketLeft', mod: true }],
    menu: 'edit',
  },
  {
    id: 'send-to-back',
    label: 'Send to back',
    shortcuts: [{ code: 'BracketLeft', mod: true, shift: true }],
    menu: 'edit',
  },
  { id: 'group', label: 'Group', shortcuts: [mod('g')], menu: 'edit' },
  { id: 'ungroup', label: 'Ungroup', shortcuts: [mod('g', { shift: true })], menu: 'edit' },
  { id: 'toggle-lock', label: 'Lock / unlock', shortcuts: [mod('l', { shift: true })], menu: 'edit' },
  // The context menu's Unlock of a locked element; its key is Lock / unlock's.
  { id: 'unlock', label: 'Unlock', shortcuts: [mod('l', { shift: true })], keyboard: false },
  // Align and distribute (Excalidraw's keys): the edges with Ctrl/Cmd+Shift+arrow, the centres from menus only.
  { id: 'align-left', label: 'Align left', shortcuts: [mod('arrowleft', { shift: true })], menu: 'arrange' },
  { id: 'align-center', label: 'Align centres', shortcuts: [], menu: 'arrange' },
  {
    id: 'align-right',
    label: 'Align right',
    shortcuts: [mod('arrowright', { shift: true })],
    menu: 'arrange',
  },
  { id: 'align-top', label: 'Align top', shortcuts: [mod('arrowup', { shift: true })], menu: 'arrange' },
  { id: 'align-middle', label: 'Align middles', shortcuts: [], menu: 'arrange' },
  {
    id: 'align-bottom',
    label: 'Align bottom',
    shortcuts: [mod('arrowdown', { shift: true })],
    menu: 'arrange',
  },
  // `code`: Option+H is "˙" on a Mac.
  {
    id: 'distribute-horizontally',
    label: 'Distribute horizontally',
    shortcuts: [{ key: 'h', code: 'KeyH', alt: true }],
    menu: 'arrange',
  },
  {
    id: 'distribute-vertically',
    label: 'Distribute vertically',
    shortcuts: [{ key: 'v', code: 'KeyV', alt: true }],
    menu: 'arrange',
  },
  { id: 'nudge-left', label: 'Nudge left', ...arrow('arrowleft') },
  { id: 'nudge-right', label: 'Nudge right', ...arrow('arrowright') },
  { id: 'nudge-up', label: 'Nudge up', ...arrow('arrowup') },
  { id: 'nudge-down', label: 'Nudge down', ...arrow('arrowdown') },
  // '+' is Shift+= on some keyboards and a key of its own on others.
  {
    id: 'zoom-in',
    label: 'Zoom in',
    shortcuts: [mod('=')],
    alsoKeys: [mod('+', { shift: true }), mod('+')],
    menu: 'view',
  },
  { id: 'zoom-out', label: 'Zoom out', shortcuts: [mod('-')], menu: 'view' },
  { id: 'reset-zoom', label: 'Reset zoom', shortcuts: [mod('0')], menu: 'view' },
  { id: 'zoom-to-fit', label: 'Zoom to fit', shortcuts: [{ code: 'Digit1', shift: true }], menu: 'view' },
  {
    id: 'zoom-to-selection',
    label: 'Zoom to selection',
    shortcuts: [{ code: 'Digit2', shift: true }],
    menu: 'view',
  },
  // Next to Shift+1 (fit) and Shift+2 (selection): the list of frames to fit the view to.
  { id: 'go-to-frame', label: 'Go to frame…', shortcuts: [{ code: 'Digit3', shift: true }], menu: 'view' },
  // Ctrl/Cmd+' as in Excalidraw, where it turns the grid on.
  {
    id: 'snap-to-grid',
    label: 'Snap to grid',
    shortcuts: [mod("'", { code: 'Quote' })],
    menu: 'view',
  },
  { id: 'stop-following', label: 'Stop following', shortcuts: [plain('escape')] },
  ...TOOL_COMMANDS.map(
    (t): CommandDefinition => ({
      id: toolCommandId(t.tool),
      label: t.label,
      shortcuts: t.shortcuts,
      menu: 'tools',
    }),
  ),
  // Shift+P: the pen as a highlighter (and back); Shift+E: the eraser cutting ink (and back).
  { id: 'highlighter', label: 'Highlighter', shortcuts: [{ key: 'p', shift: true }], menu: 'tools' },
  {
    id: 'partial-eraser',
    label: 'Erase part of a stroke',
    shortcuts: [{ key: 'e', shift: true }],
    menu: 'tools',
  },
  { id: 'hold-hand', label: 'Hand while held', shortcuts: [{ key: ' ', code: 'Space' }] },
]

/** Every key that runs a command, shown or not. */
export function keysOf(c: CommandDefinition): readonly Shortcut[] {
  return c.alsoKeys ? [...c.shortcuts, ...c.alsoKeys] : c.shortcuts
}

/** The command with this id. */
export function commandById(id: string): CommandDefinition | undefined {
  return COMMANDS.find((c) => c.id === id)
}
