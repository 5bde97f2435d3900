import { defineConfig } from 'vitest/config'

// `npm run bench`: scenarios that measure and print figures; they assert nothing about time.
export default defineConfig({
  test: {
    include: ['bench/**/*.scenario.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
