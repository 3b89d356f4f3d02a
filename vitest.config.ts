import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'cli/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['electron/test-support/global-setup.ts'],
    // Real git, real child processes and real SQLite: give slow shared machines room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
