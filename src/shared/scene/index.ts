export { centreLineWidth, type LineSink, traceCentreLine } from './centreLine'
export { ElementIndex } from './elementIndex'
export {
  createElementNode,
  ELEMENT_NODE_NAME,
  type ElementNode,
  elementNode,
  HIGHLIGHTER_ALPHA,
  inkAlpha,
  loadBoardImages,
  nodeElement,
  updateElementNode,
} from './elementNode'
export { ImageCache, type ImageDecoder, images } from './images'
export {
  hasConstantMousePressure,
  MOUSE_PRESSURE,
  OutlineScratch,
  strokeOptions,
  strokeOutline,
} from './outline'
export { createStrokeShape, strokePath, strokeShapeOutline, updateStrokeShape } from './strokeShape'
