// Runner configuration for the editor end-to-end tests (`npm run test:e2e`); `npm test` never picks these up.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // Each suite starts a real editor; on a 2-core machine they run one at a time so they do not starve each other.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
