import { isUtf8 } from 'node:buffer'
import type { FastifyInstance } from 'fastify'
import { LoreError } from '../lore-error.js'
import { jsonDepthExceeds } from './json-depth.js'

/**
 * Accept JSON bodies only (others get a 415). The raw bytes must be UTF-8 (400 otherwise):
 * decoding would silently turn a bad byte into U+FFFD, and the store would keep a value that
 * is not the one sent. Nesting deeper than `maxDepth` is refused (400) before parsing; then
 * Fastify's own parser runs, which refuses `__proto__` and `constructor.prototype` keys
 * instead of letting them reach the store.
 */
export function useJsonBodyParser(
  app: FastifyInstance,
  maxDepth: number,
): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  // JSON only: Fastify's text/plain parser would hand a string to the routes.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request, body, done) => {
      const bytes = body as Buffer
      if (!isUtf8(bytes)) {
        done(
          new LoreError(
            'INVALID_ARGUMENT',
            `the request body is not valid UTF-8; send JSON encoded as UTF-8 (Content-Type: application/json; charset=utf-8), with binary data base64-encoded or recorded as an artifact`,
            { details: { bytes: bytes.length } },
          ),
          undefined,
        )
        return
      }
      const text = bytes.toString('utf8')
      if (jsonDepthExceeds(text, maxDepth)) {
        done(
          new LoreError(
            'INVALID_ARGUMENT',
            `the request body nests arrays and objects deeper than ${maxDepth} levels; flatten the value or record it as an artifact`,
            { details: { maxDepth } },
          ),
          undefined,
        )
        return
      }
      parse(request, text, done)
    },
  )
}
