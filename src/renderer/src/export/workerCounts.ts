// How many export band workers (bandWorkers.ts) this page has started, how many run now and how many bands they have
// drawn, for the test handle: a module of its own, so that the handle does not pull the export code into the page's
// first chunk.

const counts = { started: 0, running: 0, bands: 0 }

/** Export workers this page has started since it loaded, how many run now, and the bands they have drawn. */
export function exportWorkerCounts(): { started: number; running: number; bands: number } {
  return { ...counts }
}

/** Counts workers started (running too), workers ended, and bands drawn. */
export function countExportWorkers(started: number, ended = 0, bands = 0): void {
  counts.started += started
  counts.running += started - ended
  counts.bands += bands
}
