/**
 * Pages opening on this host. While a page loads (its files asked over HTTP, its socket opened, up to its preview
 * sent), the host's overview drawing waits (./overviewDraw.ts), so that the first strokes a joiner waits for do not
 * share the computer's cores with a picture it does not need yet: the host and the page often run on the same
 * computer (the app's own window, or a browser beside `npm run host`), and a 100,000-stroke board's overview is
 * seconds of CPU. What the join itself needs (the stroke index, the strokes measured ahead) goes on. Kept for the
 * process, not per host: its cores are what pages and drawings share.
 */

/**
 * How long a page's last request holds the drawing back (ms), unless its preview went out sooner: a page runs its
 * script (a few hundred ms on this 2-core machine) between its files and its socket.
 */
export const OPENING_HOLD_MS = 1500
/** Once a page's preview went out: how long it still holds the drawing back (ms), to draw what it got. */
export const PREVIEW_DRAW_MS = 300
/** The most one drawing gives way in all (ms): pages that keep opening cannot keep the overview from being drawn. */
export const MAX_HELD_MS = 5000
/** How often a drawing that gives way looks again (ms). */
const LOOK_MS = 25

let holdUntil = 0

/** A page is loading from this host (a file of the app asked, or its socket opened). */
export function pageOpening(): void {
  holdUntil = Math.max(holdUntil, performance.now() + OPENING_HOLD_MS)
}

/** A page's preview went out: the drawing goes on once the page has had a moment to draw it. */
export function previewSent(): void {
  holdUntil = performance.now() + PREVIEW_DRAW_MS
}

/** Whether a page is opening now (background drawing gives way). */
export function pageIsOpening(): boolean {
  return performance.now() < holdUntil
}

/**
 * Resolves in the next turn of the event loop, or once no page is opening (at most `budget.heldMs` up to
 * MAX_HELD_MS in all, counted in `budget`).
 */
export async function nextSlice(budget: { heldMs: number }): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  while (pageIsOpening() && budget.heldMs < MAX_HELD_MS) {
    const wait = Math.min(LOOK_MS, holdUntil - performance.now(), MAX_HELD_MS - budget.heldMs)
    const since = performance.now()
    await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, wait)))
    budget.heldMs += performance.now() - since
  }
}
