import { defineConfig } from 'vitest/config';

// .ci/run sets PHOENIX_TEST_RESULTS so that the README's plain `npm test` also writes the JSON report its
// closing "N passed, N failed" line is counted from.
const jsonReport = process.env.PHOENIX_TEST_RESULTS;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn many processes; two workers match the 2-core machines.
    maxWorkers: 2,
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
