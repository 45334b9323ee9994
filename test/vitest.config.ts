import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Kernel tests share one network stack per namespace name; run files in parallel but keep
    // each file's namespaces unique (see test/kernel/netns.ts).
    pool: 'forks',
  },
});
