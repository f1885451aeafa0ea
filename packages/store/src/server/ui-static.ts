import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { LoreError } from '../lore-error.js'

/**
 * Serve a built web UI (a folder with `index.html`, made by `@lore/ui`'s Vite build) at `/`.
 * The files are public even when auth is on: they hold no metadata, and the page needs to
 * load to ask for a token. Only the files present when the server starts get routes (no
 * wildcard), so any other path stays a 404 behind auth, as before. Throws
 * FAILED_PRECONDITION when the folder has no `index.html`.
 *
 * @example
 * useUiStatic(app, '/repo/packages/ui/dist')
 */
export function useUiStatic(app: FastifyInstance, root: string): void {
  if (!existsSync(join(root, 'index.html'))) {
    throw new LoreError(
      'FAILED_PRECONDITION',
      `no built web UI in ${root} (index.html is missing); build it with: pnpm --filter @lore/ui build`,
      { details: { ui: root } },
    )
  }
  void app.register(async (scope) => {
    // Routes made in this scope only: the store's routes keep their own access.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public' }
    })
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // The hashed assets never change under a name; index.html must be read each time.
      setHeaders: (response, path) => {
        response.setHeader(
          'cache-control',
          path.includes(`${join(root, 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        )
      },
    })
  })
}
