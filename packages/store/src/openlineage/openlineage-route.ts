import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { LoreError } from '../lore-error.js'
import type { MetadataStore } from '../metadata-store.js'
import { OpenLineageImporter } from './import-openlineage-event.js'
import type { OpenLineageEvent } from './openlineage-event.js'
import {
  createOpenLineageValidator,
  type OpenLineageValidator,
} from './openlineage-validator.js'

/** Where OpenLineage clients post events, as Marquez serves it. */
export const openLineagePath = '/api/v1/lineage'

/**
 * A gzip body (`Content-Encoding: gzip`, as the OpenLineage clients send with compression
 * on) decompressed on the way in. Fastify checks the decompressed size against the body limit
 * (a zip bomb stops there) and the compressed size against Content-Length.
 */
function gunzipped(payload: Readable): Readable {
  const gunzip = createGunzip() as ReturnType<typeof createGunzip> & {
    receivedEncodedLength?: number
  }
  let encoded = 0
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length
    gunzip.receivedEncodedLength = encoded
  })
  payload.on('error', (error) => gunzip.destroy(error))
  return payload.pipe(gunzip)
}

/**
 * Serve `POST /api/v1/lineage`: one OpenLineage event a request (plain or gzip JSON),
 * validated against the OpenLineage 2-0-2 schemas and every official facet schema (400 with
 * the list of issues), then mapped into the store (see OpenLineageImporter) and answered 201
 * with the ids written. Needs a `write` token when auth is on.
 *
 * @example
 * useOpenLineageRoute(app, store)
 */
export function useOpenLineageRoute(
  app: FastifyInstance,
  store: MetadataStore,
): void {
  const importer = new OpenLineageImporter(store)
  let validator: OpenLineageValidator | undefined
  app.post(
    openLineagePath,
    {
      config: { access: 'write' },
      preParsing: async (request, _reply, payload) =>
        /\bgzip\b/i.test(String(request.headers['content-encoding'] ?? ''))
          ? gunzipped(payload)
          : payload,
    },
    async (request, reply) => {
      // Compiling the schemas takes a moment; a server that never sees an event skips it.
      validator ??= createOpenLineageValidator()
      const { issues } = validator.validate(request.body)
      if (issues.length > 0) {
        throw new LoreError(
          'INVALID_ARGUMENT',
          `the OpenLineage event is invalid: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : ''}; see issues for the full list`,
          { issues },
        )
      }
      const result = await importer.importEvent(
        request.body as OpenLineageEvent,
      )
      return reply.code(201).send(result)
    },
  )
}
