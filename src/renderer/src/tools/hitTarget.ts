import { type ElementQuery, elementAt } from '../selection/elementQuery'
import { isBindable, type ShapeTarget } from './shapeTool'

/** A shape drag's view of the scene at a zoom: arrows attach to what is under the pointer (within 4 px). */
export function shapeTarget(query: ElementQuery, zoom: () => number): ShapeTarget {
  return {
    bindableAt: (x, y) => elementAt(query, x, y, 4 / zoom(), { mode: 'box', accept: isBindable }),
    unitsPerPixel: () => 1 / zoom(),
  }
}
