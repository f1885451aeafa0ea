import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createStoreServer, type StoreServer } from '../src/server/index.js'
import { openStore, type MetadataStore } from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import { describeStoreConformance } from './store-conformance.js'

const running: { server: StoreServer; store: MetadataStore }[] = []

afterEach(async () => {
  for (const { server, store } of running.splice(0)) {
    await server.close()
    await store.close()
  }
})

describeStoreConformance('remote → SQLite', async () => {
  const store = await openStore('sqlite::memory:')
  const server = createStoreServer(store, { port: 0 })
  running.push({ server, store })
  return new RemoteStore(await server.listen(), { maxRetries: 0 })
})

describe('several store servers on one database', () => {
  it('serve the same records, whichever one a client reaches', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lore-servers-')), 'lore.db')
    const servers: RemoteStore[] = []
    // One after the other: two stores opening one file at once in one process stall for
    // SQLite's busy timeout (better-sqlite3 waits synchronously, holding the event loop).
    for (let index = 0; index < 2; index++) {
      const store = await openStore(`sqlite:${path}`)
      const server = createStoreServer(store, { port: 0 })
      running.push({ server, store })
      servers.push(new RemoteStore(await server.listen(), { maxRetries: 0 }))
    }
    const [first, second] = servers as [RemoteStore, RemoteStore]
    await first.putArtifactType({ name: 'Dataset' })
    await first.putExecutionType({ name: 'Train' })
    await first.putContextType({ name: 'PipelineRun' })
    const request = (index: number) => ({
      execution: { type: 'Train', externalId: `step-${index}` },
      artifactEventPairs: [
        {
          artifact: { type: 'Dataset', externalId: `data-${index}` },
          event: { type: 'OUTPUT' as const },
        },
      ],
      contexts: [{ type: 'PipelineRun', name: 'run-1' }],
      options: {
        reuseContextIfAlreadyExist: true,
        reuseArtifactIfAlreadyExistByExternalId: true,
        reuseExecutionIfAlreadyExistByExternalId: true,
      },
    })
    // Types made through one server are used through the other; a batch sent to both is
    // written once.
    const viaSecond = await second.putExecutionBatch([request(1), request(2)])
    const viaFirst = await first.putExecutionBatch([request(1), request(2)])
    expect(viaFirst).toEqual(viaSecond)
    expect((await first.getExecutions()).items).toHaveLength(2)
    expect((await second.getContexts()).items).toHaveLength(1)
    await Promise.all(servers.map((remote) => remote.close()))
  })
})
