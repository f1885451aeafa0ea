import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createStoreServer } from '../src/server/index.js'
import {
  LoreError,
  openStore,
  type MetadataStore,
  type PutExecutionRequest,
} from '../src/index.js'
import { RemoteStore } from '../src/remote/index.js'
import { serveStore } from './fixtures/serve-store.js'

/** A step record as the SDK's recorder writes it: client-made ids on every node. */
function stepRecord(index: number): PutExecutionRequest {
  return {
    execution: {
      type: 'Train',
      externalId: `run-1/step-${index}`,
      lastKnownState: 'COMPLETE',
    },
    artifactEventPairs: [
      {
        artifact: { type: 'Dataset', externalId: 'dataset-1', uri: 's3://d/1' },
        event: { type: 'INPUT', path: ['inputs', 0] },
      },
      {
        artifact: {
          type: 'Model',
          externalId: `run-1/model-${index}`,
          uri: `s3://m/${index}`,
        },
        event: { type: 'OUTPUT', path: ['outputs', 0] },
      },
    ],
    contexts: [{ type: 'PipelineRun', name: 'run-1' }],
    options: {
      reuseContextIfAlreadyExist: true,
      reuseArtifactIfAlreadyExistByExternalId: true,
      reuseExecutionIfAlreadyExistByExternalId: true,
    },
  }
}

async function defineTypes(store: MetadataStore): Promise<void> {
  await store.putArtifactType({ name: 'Dataset' })
  await store.putArtifactType({ name: 'Model' })
  await store.putExecutionType({ name: 'Train' })
  await store.putContextType({ name: 'PipelineRun' })
}

async function counts(store: MetadataStore) {
  const artifacts = (await store.getArtifacts({ limit: 10_000 })).items
  const executions = (await store.getExecutions({ limit: 10_000 })).items
  const contexts = (await store.getContexts({ limit: 10_000 })).items
  const events = await store.getEvents({
    executionIds: executions.map((execution) => execution.id),
  })
  return {
    artifacts: artifacts.length,
    executions: executions.length,
    contexts: contexts.length,
    events: events.length,
  }
}

/** Wrap `store` so that `method` runs through `around`, counting calls. */
function intercept<K extends keyof MetadataStore>(
  store: MetadataStore,
  method: K,
  around: (call: number, run: () => Promise<unknown>) => Promise<unknown>,
): { store: MetadataStore; calls: () => number } {
  let calls = 0
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      // Private fields need the real store as `this`.
      if (property !== method) {
        return typeof value === 'function' ? value.bind(target) : value
      }
      return (...args: unknown[]) =>
        around(++calls, () =>
          (value as (...inner: unknown[]) => Promise<unknown>).apply(
            target,
            args,
          ),
        )
    },
  })
  return { store: wrapped, calls: () => calls }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function caught(promise: Promise<unknown>): Promise<LoreError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(LoreError.isInstance(error), String(error)).toBe(true)
  return error as LoreError
}

const batch = Array.from({ length: 20 }, (_, index) => stepRecord(index))
const expected = { artifacts: 21, executions: 20, contexts: 1, events: 40 }

describe('RemoteStore retries', () => {
  it('sends a batch again after a 503 that followed its commit, without duplicates', async () => {
    const backing = await openStore('sqlite::memory:')
    await defineTypes(backing)
    // The batch is written, then the answer is lost: the worst case for a retry.
    const { store, calls } = intercept(
      backing,
      'putExecutionBatch',
      async (call, run) => {
        const result = await run()
        if (call === 1) {
          throw new LoreError('UNAVAILABLE', 'answer lost after the commit')
        }
        return result
      },
    )
    const served = await serveStore({}, store)
    const remote = new RemoteStore(served.url, { minRetryDelayMs: 10 })
    try {
      const results = await remote.putExecutionBatch(batch)
      expect(calls()).toBe(2)
      expect(results).toHaveLength(20)
      expect(await counts(backing)).toEqual(expected)
      // Sending it once more is a no-op too, with the same ids.
      expect(await remote.putExecutionBatch(batch)).toEqual(results)
      expect(await counts(backing)).toEqual(expected)
    } finally {
      await remote.close()
      await served.close()
    }
  })

  it('keeps trying while the server is down and sends once it is up', async () => {
    const port = await freePort()
    const remote = new RemoteStore(`http://127.0.0.1:${port}`, {
      minRetryDelayMs: 50,
      maxRetryDelayMs: 200,
      maxRetries: 30,
    })
    const backing = await openStore('sqlite::memory:')
    await defineTypes(backing)
    const started = Date.now()
    const pending = remote.putExecutionBatch(batch)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const server = createStoreServer(backing, { port })
    await server.listen()
    try {
      const results = await pending
      expect(Date.now() - started).toBeGreaterThanOrEqual(500)
      expect(results).toHaveLength(20)
      expect(await counts(backing)).toEqual(expected)
    } finally {
      await remote.close()
      await server.close()
      await backing.close()
    }
  })

  it('gives up after maxRetries with UNAVAILABLE naming the server', async () => {
    const port = await freePort()
    const remote = new RemoteStore(`http://127.0.0.1:${port}`, {
      maxRetries: 2,
      minRetryDelayMs: 10,
    })
    const error = await caught(remote.getArtifactTypes())
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED, 3 attempts`),
    )
    await remote.close()
  })

  it('hands back the last 5xx as its LoreError, after a bounded number of tries', async () => {
    const backing = await openStore('sqlite::memory:')
    const { store, calls } = intercept(backing, 'getArtifactTypes', () =>
      Promise.reject(new LoreError('UNAVAILABLE', 'database is restarting')),
    )
    const served = await serveStore({}, store)
    const remote = new RemoteStore(served.url, {
      maxRetries: 3,
      minRetryDelayMs: 10,
    })
    try {
      const error = await caught(remote.getArtifactTypes())
      expect([error.code, error.message]).toEqual([
        'UNAVAILABLE',
        'database is restarting',
      ])
      expect(calls()).toBe(4)
    } finally {
      await remote.close()
      await served.close()
    }
  })

  it('does not retry a 4xx', async () => {
    const backing = await openStore('sqlite::memory:')
    const { store, calls } = intercept(backing, 'getArtifactType', (_, run) =>
      run(),
    )
    const served = await serveStore({}, store)
    const remote = new RemoteStore(served.url, { minRetryDelayMs: 10 })
    try {
      expect((await caught(remote.getArtifactType('Nothing'))).code).toBe(
        'NOT_FOUND',
      )
      expect(calls()).toBe(1)
    } finally {
      await remote.close()
      await served.close()
    }
  })

  it('refuses NaN in a STRUCT instead of sending it as null', async () => {
    const served = await serveStore()
    await defineTypes(served.store)
    const remote = new RemoteStore(served.url)
    try {
      const error = await caught(
        remote.putArtifacts([
          {
            type: 'Dataset',
            customProperties: { stats: { mean: Number.NaN } },
          },
        ]),
      )
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toMatch(
        /artifacts\[0\]\.customProperties\.stats\.mean: must be a finite number/,
      )
      expect((await served.store.getArtifacts()).items).toEqual([])
    } finally {
      await remote.close()
      await served.close()
    }
  })
})
