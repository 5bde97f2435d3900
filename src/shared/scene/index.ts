export { hasConstantMousePressure, MOUSE_PRESSURE, strokeOptions, strokeOutline } from './outline'
export { StrokeIndex, strokeBounds } from './strokeIndex'
export { createStrokeShape, strokePath, strokeShapeOutline, updateStrokeShape } from './strokeShape'
