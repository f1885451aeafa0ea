import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CompositeTransport } from './composite-transport.js'
import { ConsoleTransport } from './console-transport.js'
import { FileTransport } from './file-transport.js'
import { HttpTransport } from './http-transport.js'
import { resolveOpenLineageConfig } from './openlineage-config.js'

describe('resolveOpenLineageConfig', () => {
  it('is off with no OPENLINEAGE_URL nor transport', () => {
    const config = resolveOpenLineageConfig({}, {})
    expect(config.transport).toBeUndefined()
    expect(config.namespace).toBe('lore')
  })

  it('posts to OPENLINEAGE_URL + OPENLINEAGE_ENDPOINT in OPENLINEAGE_NAMESPACE, as the Python client does', () => {
    const config = resolveOpenLineageConfig(
      {},
      {
        OPENLINEAGE_URL: 'http://127.0.0.1:5000',
        OPENLINEAGE_ENDPOINT: 'api/v2/events',
        OPENLINEAGE_API_KEY: 'ol-key',
        OPENLINEAGE_NAMESPACE: 'ml-team',
        LORE_OUTBOX: '/tmp/somewhere/outbox.db',
      },
    )
    expect(config.transport).toBeInstanceOf(HttpTransport)
    expect(config.transport?.description).toBe(
      'http http://127.0.0.1:5000/api/v2/events',
    )
    expect(config.namespace).toBe('ml-team')
    // Unsent events wait in the recorder's outbox.
    expect(config.outboxPath).toBe('/tmp/somewhere/outbox.db')
  })

  it('emits nothing when OPENLINEAGE_DISABLED is true, whatever else is set', () => {
    for (const value of ['true', 'TRUE', '1'])
      expect(
        resolveOpenLineageConfig(
          {},
          {
            OPENLINEAGE_URL: 'http://127.0.0.1:5000',
            OPENLINEAGE_DISABLED: value,
          },
        ).transport,
      ).toBeUndefined()
    expect(
      resolveOpenLineageConfig(
        {},
        {
          OPENLINEAGE_URL: 'http://127.0.0.1:5000',
          OPENLINEAGE_DISABLED: 'false',
        },
      ).transport,
    ).toBeInstanceOf(HttpTransport)
  })

  it('lets options in code win over the environment', () => {
    const config = resolveOpenLineageConfig(
      { url: 'http://127.0.0.1:7000', namespace: 'code', outboxPath: 'q.db' },
      {
        OPENLINEAGE_URL: 'http://127.0.0.1:5000',
        OPENLINEAGE_NAMESPACE: 'env',
      },
    )
    expect(config.transport?.description).toBe(
      'http http://127.0.0.1:7000/api/v1/lineage',
    )
    expect(config.namespace).toBe('code')
    expect(config.outboxPath).toBe(resolve('q.db'))
    expect(
      resolveOpenLineageConfig(
        { disabled: false },
        { OPENLINEAGE_DISABLED: 'true', OPENLINEAGE_URL: 'http://127.0.0.1:1' },
      ).transport,
    ).toBeInstanceOf(HttpTransport)
  })

  it('builds console, file and composite transports from options and OPENLINEAGE__TRANSPORT__*', () => {
    const composite = resolveOpenLineageConfig(
      {
        transport: {
          type: 'composite',
          transports: [
            { type: 'console' },
            { type: 'file', path: '/tmp/ol.ndjson' },
            { type: 'http', url: 'http://127.0.0.1:5000' },
          ],
        },
      },
      {},
    ).transport
    expect(composite).toBeInstanceOf(CompositeTransport)
    expect(composite?.description).toBe(
      'composite (console, file /tmp/ol.ndjson, http http://127.0.0.1:5000/api/v1/lineage)',
    )
    expect(
      resolveOpenLineageConfig(
        {},
        {
          OPENLINEAGE__TRANSPORT__TYPE: 'file',
          OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: join('/tmp', 'events.ndjson'),
        },
      ).transport,
    ).toBeInstanceOf(FileTransport)
    expect(
      resolveOpenLineageConfig({}, { OPENLINEAGE__TRANSPORT__TYPE: 'console' })
        .transport,
    ).toBeInstanceOf(ConsoleTransport)
    const given = new ConsoleTransport({ write: () => undefined })
    expect(resolveOpenLineageConfig({ transport: given }, {}).transport).toBe(
      given,
    )
  })

  it('says what is wrong with a bad setting, naming the variable', () => {
    expect(() =>
      resolveOpenLineageConfig({}, { OPENLINEAGE_URL: 'marquez:5000' }),
    ).toThrow(
      "OpenLineage url 'marquez:5000' is not a url; give one like http://marquez:5000 (OPENLINEAGE_URL)",
    )
    expect(() =>
      resolveOpenLineageConfig({}, { OPENLINEAGE_URL: 'ftp://marquez:5000' }),
    ).toThrow(/must start with http:\/\/ or https:\/\/ \(OPENLINEAGE_URL\)/)
    expect(() =>
      resolveOpenLineageConfig({}, { OPENLINEAGE__TRANSPORT__TYPE: 'file' }),
    ).toThrow(/OPENLINEAGE__TRANSPORT__LOG_FILE_PATH/)
    expect(() =>
      resolveOpenLineageConfig({}, { OPENLINEAGE__TRANSPORT__TYPE: 'kafka' }),
    ).toThrow(/'kafka' is not one Lore has; use http, file or console/)
  })
})
