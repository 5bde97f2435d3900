import { defineConfig } from 'vitest/config'

// `npm run bench`: scenarios that measure and print figures; they assert nothing about time.
export default defineConfig({
  test: {
    include: ['bench/**/*.scenario.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    setupFiles: ['bench/setup.ts'],
    // `--quick`: every scenario file in one worker with modules loaded once (a fresh process and module graph per
    // file cost seconds each on a loaded machine). A full run keeps a process per file: its figures include
    // process-wide peaks (maxRSS) that must be the scenario's own.
    isolate: process.env.LANVAS_BENCH_QUICK !== '1',
  },
})
