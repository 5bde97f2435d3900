import type { CanvasTool } from './gesture'

/** The hand (H; or Space held, or the middle button): a drag pans the view; a viewer may use it too. */
export const handTool: CanvasTool = {
  cursor: 'grab',
  down(input, { viewport, setPanning }) {
    let last = { x: input.screenX, y: input.screenY }
    setPanning(true)
    const end = () => setPanning(false)
    return {
      move: (p) => {
        viewport.panBy(p.screenX - last.x, p.screenY - last.y)
        last = { x: p.screenX, y: p.screenY }
      },
      up: end,
      cancel: end,
    }
  },
}
