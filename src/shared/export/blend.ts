import { ElementKind } from '../elements/types'
import type { ExportItem } from './layout'

/** How an element's ink mixes with what is under it, in CSS/canvas terms. */
export type Blend = 'source-over' | 'multiply' | 'screen'

/**
 * How an exported element blends: highlighter ink multiplies (so ink under it stays dark). On a dark export the
 * colours are inverted, and the inverse of multiply is screen: light ink under a highlighter stays light, as the
 * dark theme (which inverts the light rendering) shows it.
 */
export function itemBlend(item: ExportItem, dark: boolean): Blend {
  const el = item.element
  if (el.kind !== ElementKind.Stroke || !el.highlighter) return 'source-over'
  return dark ? 'screen' : 'multiply'
}
