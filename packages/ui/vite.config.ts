import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string): string =>
  fileURLToPath(new URL(path, import.meta.url))

/*
 * The page reuses the SDK's own read rules (runs, steps, registry, incidents, diffs) by
 * bundling those source files. They import '@lore/store' only for LoreError and types, and a
 * few Node built-ins for things a browser page does not do (process liveness, the local user
 * name, sha256 of values): the aliases hand them browser versions, so the rules stay written
 * once.
 */
export default defineConfig({
  base: './',
  resolve: {
    alias: [
      {
        find: /^@lore\/store$/,
        replacement: here('./src/shims/lore-store.ts'),
      },
      {
        find: /^node:crypto$/,
        replacement: here('./src/shims/node-crypto.ts'),
      },
      { find: /^node:os$/, replacement: here('./src/shims/node-os.ts') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
})
