import { afterAll, describe, expect, it } from 'vitest'
import { openStore, type MetadataStore } from '../src/index.js'
import {
  mysqlServer,
  postgresServer,
  requireDialects,
} from './fixtures/server-databases.js'
import { serveStore, storeContents } from './fixtures/serve-store.js'

/*
 * Values a database refuses or would change (NUL, lone surrogates, bad UTF-8, integers past
 * 2^53, fractions in integer fields, forged page tokens) get a 400 on every backend, through
 * the real server, and the stored data stays as it was.
 */

const token = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url')

const hostile: [string, string | Buffer][] = [
  ['putArtifacts', '{"artifacts":[{"type":"D","uri":"x\\u0000y"}]}'],
  ['putArtifacts', '{"artifacts":[{"type":"D","properties":{"n":1e21}}]}'],
  ['putArtifacts', '{"artifacts":[{"type":"D","properties":{"n":1e309}}]}'],
  ['putArtifacts', '{"artifacts":[{"type":"D","properties":{"n":1.5}}]}'],
  ['putArtifacts', '{"artifacts":[{"type":"D","properties":{"s":"\\ud800"}}]}'],
  [
    'putArtifacts',
    '{"artifacts":[{"type":"D","customProperties":{"k":{"a":"\\udc00"}}}]}',
  ],
  [
    'putArtifacts',
    Buffer.from([
      ...Buffer.from('{"artifacts":[{"type":"D","uri":"'),
      0xff,
      0xfe,
      ...Buffer.from('"}]}'),
    ]),
  ],
  ['getArtifacts', '{"query":{"name":"a\\u0000"}}'],
  ['getArtifacts', '{"query":{"filter":"id = 1.5"}}'],
  ['getArtifacts', '{"query":{"filter":"create_time_since_epoch > 1e300"}}'],
  [
    'getArtifacts',
    `{"query":{"pageToken":"${token(['a\u0000', 1e30, 'x'])}"}}`,
  ],
  ['getArtifactType', '{"name":"D\\u0000"}'],
  [
    'putMetrics',
    '{"metrics":[{"executionId":1,"key":"k","value":1,"step":1e19}]}',
  ],
]

function describeHostileInput(
  name: string,
  open: (() => Promise<MetadataStore>) | undefined,
): void {
  describe.skipIf(open === undefined)(`hostile input on ${name}`, () => {
    it('refuses each value with a 400 before SQL and changes nothing', async () => {
      const store = await open!()
      const served = await serveStore({}, store)
      try {
        await store.putArtifactType({
          name: 'D',
          properties: { n: 'INT', s: 'STRING' },
        })
        await store.putArtifacts([{ type: 'D', uri: 'a' }])
        const before = await storeContents(store)
        for (const [operation, body] of hostile) {
          const response = await fetch(`${served.url}/v1/${operation}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
          const answer = (await response.json()) as { error?: { code: string } }
          expect(response.status, `${operation} ${String(body)}`).toBe(400)
          expect(answer.error?.code).toBe('INVALID_ARGUMENT')
        }
        expect(await storeContents(store)).toEqual(before)
      } finally {
        await served.close()
      }
    })
  })
}

const postgres = await postgresServer()
const mysql = await mysqlServer()
const reachable = (server: typeof postgres) =>
  server.unreachable === undefined || requireDialects
    ? async () => openStore(await server.fresh())
    : undefined

describeHostileInput('SQLite in memory', () => openStore('sqlite::memory:'))
describeHostileInput('PostgreSQL', reachable(postgres))
describeHostileInput('MySQL', reachable(mysql))
afterAll(async () => {
  await postgres.dropAll()
  await mysql.dropAll()
})
