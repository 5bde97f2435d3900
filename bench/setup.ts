import { loadavg } from 'node:os'
import { beforeAll } from 'vitest'

// Runs before each scenario file, also when the quick run loads them all in one process (bench/vitest.config.ts):
// the load average when the file started, for report().
beforeAll(() => {
  ;(globalThis as { lanvasBenchLoadAtStart?: number[] }).lanvasBenchLoadAtStart = loadavg()
})
