import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/assembly/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    pool: 'forks',
  },
});
