import type { ReactNode } from 'react'
import { COMMANDS, commandById, TOOL_COMMANDS, toolCommandId } from '../../../shared/commands'
import { Align, Distribute, ZMove } from '../../../shared/selection'
import { canvasPrefs } from '../canvas/backgroundPrefs'
import type { Tool } from '../tools/tool'
import { WRITING_TOOLS } from '../tools/tool'
import {
  AlignBottomIcon,
  AlignCenterIcon,
  AlignLeftIcon,
  AlignMiddleIcon,
  AlignRightIcon,
  AlignTopIcon,
  DistributeHorizontallyIcon,
  DistributeVerticallyIcon,
} from '../ui/arrangeIcons'
import {
  ArrowIcon,
  EllipseIcon,
  FrameIcon,
  ImageIcon,
  LineIcon,
  NoteIcon,
  RectangleIcon,
  TextIcon,
} from '../ui/elementIcons'
import { EraserIcon, HandIcon, LaserIcon, PenIcon, RedoIcon, SelectIcon, UndoIcon } from '../ui/icons'
import type { Command, CommandContext } from './command'

type Binding = Pick<Command, 'icon' | 'enabledWhen' | 'perform'>

const always = () => true
/** The selection's edits: none for a viewer, none without a selection. */
const editsSelection = (ctx: CommandContext) => ctx.selection !== null && !ctx.viewOnly && ctx.hasSelection()
const onSelection =
  (act: (a: NonNullable<CommandContext['selection']>) => void): Binding['perform'] =>
  (ctx) => {
    if (ctx.selection) act(ctx.selection)
  }
/** Board units an arrow key moves the selection; Shift moves ten. */
const nudge = (dx: number, dy: number): Binding => ({
  enabledWhen: editsSelection,
  perform: (ctx, { shift }) => ctx.selection?.nudge(dx * (shift ? 10 : 1), dy * (shift ? 10 : 1)),
})

/** Align needs two pieces of the selection (a group is one), distribute three. */
const align = (how: Align, icon: ReactNode): Binding => ({
  icon,
  enabledWhen: (ctx) => editsSelection(ctx) && ctx.selection?.canArrange('align') === true,
  perform: onSelection((a) => a.align(how)),
})
const distribute = (axis: Distribute, icon: ReactNode): Binding => ({
  icon,
  enabledWhen: (ctx) => editsSelection(ctx) && ctx.selection?.canArrange('distribute') === true,
  perform: onSelection((a) => a.distribute(axis)),
})

const TOOL_ICONS: Record<string, ReactNode> = {
  select: <SelectIcon />,
  hand: <HandIcon />,
  pen: <PenIcon />,
  eraser: <EraserIcon />,
  rectangle: <RectangleIcon />,
  ellipse: <EllipseIcon />,
  arrow: <ArrowIcon />,
  line: <LineIcon />,
  text: <TextIcon />,
  note: <NoteIcon />,
  image: <ImageIcon />,
  frame: <FrameIcon />,
  laser: <LaserIcon />,
}

const toolBindings = Object.fromEntries(
  TOOL_COMMANDS.map(({ tool }): [string, Binding] => [
    toolCommandId(tool),
    {
      icon: TOOL_ICONS[tool],
      // A viewer cannot pick a tool that writes.
      enabledWhen: (ctx) => !(ctx.viewOnly && WRITING_TOOLS.has(tool as Tool)),
      perform: (ctx) => ctx.pickTool(tool as Tool),
    },
  ]),
)

const BINDINGS: Record<string, Binding> = {
  open: { enabledWhen: (ctx) => !ctx.viewOnly, perform: (ctx) => ctx.open() },
  // From this page's replica: saving works when the host is gone.
  save: { enabledWhen: (ctx) => ctx.board !== null, perform: (ctx) => ctx.save() },
  export: { enabledWhen: (ctx) => ctx.board !== null && !ctx.exporting, perform: (ctx) => ctx.openExport() },
  'copy-image': {
    enabledWhen: (ctx) => ctx.board !== null && !ctx.exporting,
    perform: (ctx) => ctx.copyImage(),
  },
  undo: {
    icon: <UndoIcon />,
    enabledWhen: (ctx) => !ctx.viewOnly && ctx.board?.undoManager.canUndo() === true,
    perform: (ctx) => ctx.board?.undo(),
  },
  redo: {
    icon: <RedoIcon />,
    enabledWhen: (ctx) => !ctx.viewOnly && ctx.board?.undoManager.canRedo() === true,
    perform: (ctx) => ctx.board?.redo(),
  },
  // The page's copy and cut events do the work (useSelectionClipboard); these start them from a menu.
  cut: { enabledWhen: editsSelection, perform: () => document.execCommand('cut') },
  copy: {
    enabledWhen: (ctx) => ctx.selection !== null && ctx.hasSelection(),
    perform: () => document.execCommand('copy'),
  },
  paste: {
    enabledWhen: (ctx) => ctx.board !== null && !ctx.viewOnly,
    perform: () => document.execCommand('paste'),
  },
  duplicate: { enabledWhen: editsSelection, perform: onSelection((a) => a.duplicate()) },
  delete: { enabledWhen: editsSelection, perform: onSelection((a) => a.delete()) },
  'select-all': {
    enabledWhen: (ctx) => ctx.selection !== null,
    // The select tool, so that what is selected can be moved at once.
    perform: (ctx) => {
      ctx.selection?.selectAll()
      ctx.setTool('select')
    },
  },
  'edit-text': {
    enabledWhen: (ctx) => !ctx.viewOnly && ctx.canEditSelected(),
    perform: (ctx) => ctx.editSelected(),
  },
  deselect: { enabledWhen: (ctx) => ctx.hasSelection(), perform: onSelection((a) => a.clear()) },
  'bring-forward': { enabledWhen: editsSelection, perform: onSelection((a) => a.zOrder(ZMove.Forward)) },
  'bring-to-front': { enabledWhen: editsSelection, perform: onSelection((a) => a.zOrder(ZMove.ToFront)) },
  'send-backward': { enabledWhen: editsSelection, perform: onSelection((a) => a.zOrder(ZMove.Backward)) },
  'send-to-back': { enabledWhen: editsSelection, perform: onSelection((a) => a.zOrder(ZMove.ToBack)) },
  group: { enabledWhen: editsSelection, perform: onSelection((a) => a.group()) },
  ungroup: { enabledWhen: editsSelection, perform: onSelection((a) => a.ungroup()) },
  'toggle-lock': { enabledWhen: editsSelection, perform: onSelection((a) => a.toggleLock()) },
  unlock: {
    enabledWhen: (ctx) => ctx.selection !== null && !ctx.viewOnly && ctx.lockedId !== undefined,
    perform: (ctx) => ctx.lockedId && ctx.selection?.unlock([ctx.lockedId]),
  },
  'align-left': align(Align.Left, <AlignLeftIcon />),
  'align-center': align(Align.Center, <AlignCenterIcon />),
  'align-right': align(Align.Right, <AlignRightIcon />),
  'align-top': align(Align.Top, <AlignTopIcon />),
  'align-middle': align(Align.Middle, <AlignMiddleIcon />),
  'align-bottom': align(Align.Bottom, <AlignBottomIcon />),
  'distribute-horizontally': distribute(Distribute.Horizontal, <DistributeHorizontallyIcon />),
  'distribute-vertically': distribute(Distribute.Vertical, <DistributeVerticallyIcon />),
  'nudge-left': nudge(-1, 0),
  'nudge-right': nudge(1, 0),
  'nudge-up': nudge(0, -1),
  'nudge-down': nudge(0, 1),
  'zoom-in': { enabledWhen: always, perform: (ctx) => ctx.zoomBy(1.25) },
  'zoom-out': { enabledWhen: always, perform: (ctx) => ctx.zoomBy(1 / 1.25) },
  'reset-zoom': { enabledWhen: always, perform: (ctx) => ctx.resetZoom() },
  'zoom-to-fit': { enabledWhen: always, perform: (ctx) => ctx.zoomToFit() },
  'zoom-to-selection': {
    enabledWhen: (ctx) => ctx.selection !== null && ctx.hasSelection(),
    perform: onSelection((a) => a.zoomToSelection()),
  },
  'go-to-frame': { enabledWhen: (ctx) => ctx.board !== null, perform: (ctx) => ctx.openFrames() },
  // This person's preference, kept with the canvas options (Canvas options shows it as a checkbox).
  'snap-to-grid': {
    enabledWhen: always,
    perform: () => canvasPrefs.set({ snapToGrid: !canvasPrefs.get().snapToGrid }),
  },
  'stop-following': { enabledWhen: (ctx) => ctx.following, perform: (ctx) => ctx.stopFollowing() },
  ...toolBindings,
  highlighter: { enabledWhen: (ctx) => !ctx.viewOnly, perform: (ctx) => ctx.toggleStyle('highlighter') },
  'partial-eraser': {
    enabledWhen: (ctx) => !ctx.viewOnly,
    perform: (ctx) => ctx.toggleStyle('partialEraser'),
  },
  'hold-hand': { enabledWhen: always, perform: (ctx) => ctx.holdHand() },
}

/** Every command of the app: the shared list, each with what it does here. */
export const APP_COMMANDS: readonly Command[] = COMMANDS.map((def) => {
  const binding = BINDINGS[def.id]
  if (!binding) throw new Error(`The command ${def.id} does nothing in the page.`)
  return { ...def, ...binding }
})

/** The app command with this id (the ids are the shared list's). */
export function appCommand(id: string): Command {
  const found = APP_COMMANDS.find((c) => c.id === id)
  if (!found || !commandById(id)) throw new Error(`No command ${id}.`)
  return found
}
