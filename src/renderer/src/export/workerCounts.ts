// How many export band workers (bandWorkers.ts) this page has started and how many run now, for the test handle:
// a module of its own, so that the handle does not pull the export code into the page's first chunk.

const counts = { started: 0, running: 0 }

/** Export workers this page has started since it loaded, and how many run now. */
export function exportWorkerCounts(): { started: number; running: number } {
  return { ...counts }
}

/** Counts `n` workers started (running too); `n` < 0 counts that many ended. */
export function countExportWorkers(started: number, ended = 0): void {
  counts.started += started
  counts.running += started - ended
}
