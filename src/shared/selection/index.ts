// Selection on a board, with no DOM: hit tests, what a click or marquee selects, and the edits a selection makes.
export {
  Align,
  alignOffsets,
  alignSelection,
  arrangedPieces,
  canArrange,
  Distribute,
  distributeOffsets,
  distributeSelection,
  type Offset,
} from './align'
export { shapeBounds, shapesBounds } from './bounds'
export {
  CLIPBOARD_MIME,
  CLIPBOARD_TYPE,
  CLIPBOARD_VERSION,
  ClipboardError,
  type ClipboardPayload,
  type CopiedAsset,
  type CopiedElement,
  copyPayload,
  encodeClipboard,
  parseClipboard,
} from './clipboard'
export {
  deleteSelection,
  editable,
  groupSelection,
  moveSelection,
  readSome,
  setLocked,
  toggleLocked,
  transformSelection,
  ungroupSelection,
  unlockWithGroups,
} from './edits'
export {
  boardFrames,
  boardLookup,
  type ElementLookup,
  groupMembers,
  membersOf,
  withFrameMembers,
} from './frames'
export { type HitMode, type HitOptions, hitsElement, topElementAt } from './hitTest'
export {
  DUPLICATE_OFFSET,
  duplicateSelection,
  MAX_PASTE_BYTES,
  type PastePlace,
  pasteElements,
} from './paste'
export {
  clickSelection,
  marqueeSelection,
  rectContains,
  rectFromCorners,
  selectionBounds,
  withGroups,
} from './select'
export {
  type SnapGuide,
  type SnapLine,
  type SnapOptions,
  type SnappedMove,
  type SnappedPoint,
  SnapTargets,
  snapMove,
  snapPoint,
} from './snap'
export { moveInZOrder, reorder, ZMove } from './zOrder'
