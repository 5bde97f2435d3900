/**
 * A random editor for convergence tests: each call makes one edit a person could make on a board (draw,
 * continue and finish a stroke, add a shape or text, move, restyle, delete, undo), chosen by a seeded
 * random source so the same seed makes the same edits.
 */
import { type Board, ElementKind } from '../../src/shared/board'

const COLORS = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2']

/** One person's edits on one replica, with the strokes they have not lifted the pen from yet. */
export class RandomEditor {
  private readonly open: string[] = []
  /** Edits made so far. */
  edits = 0

  constructor(
    readonly board: Board,
    private readonly random: () => number,
  ) {}

  /** Makes one random edit. */
  edit(): void {
    this.edits++
    const r = this.random()
    const ids = this.board.elementIds()
    const any = ids.length > 0 ? ids[this.int(ids.length)] : undefined
    if (r < 0.25) {
      const x = this.int(800)
      const y = this.int(600)
      this.open.push(
        this.board.beginStroke({ color: this.pick(COLORS), width: 2 + this.int(8) }, [
          x,
          y,
          0.5,
          x + 3,
          y + 2,
          0.5,
        ]),
      )
    } else if (r < 0.45 && this.open.length > 0) {
      const id = this.open[this.int(this.open.length)] as string
      const x = this.int(800)
      this.board.appendPoints(id, [x, x / 2, 0.4, x + 1, x / 2 + 1, 0.6])
    } else if (r < 0.55 && this.open.length > 0) {
      this.board.finishStroke(this.open.splice(this.int(this.open.length), 1)[0] as string)
    } else if (r < 0.65) {
      this.board.addShape(this.random() < 0.5 ? ElementKind.Rect : ElementKind.Ellipse, {
        x: this.int(800),
        y: this.int(600),
        width: 10 + this.int(200),
        height: 10 + this.int(200),
      })
    } else if (r < 0.7) {
      this.board.addText({ x: this.int(800), y: this.int(600), text: `note ${this.edits}` })
    } else if (r < 0.82 && any) {
      this.board.updateElement(any, { x: this.int(800), y: this.int(600) })
    } else if (r < 0.87 && any) {
      this.board.updateElement(any, { opacity: 0.2 + this.int(9) / 10 })
    } else if (r < 0.94 && any) {
      this.board.deleteElements([any])
      const i = this.open.indexOf(any)
      if (i >= 0) this.open.splice(i, 1)
    } else this.board.undo()
  }

  private int(n: number): number {
    return Math.floor(this.random() * n)
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
}
