import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Ingest tests spawn worker threads and child processes of their own.
    fileParallelism: false,
  },
});
