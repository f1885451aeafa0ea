import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SqliteTokenStore } from '@lore/store/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dumpSqlite } from './support/dump-sqlite.js'
import { runTsx, type ChildResult } from './support/run-tsx.js'
import {
  freePort,
  startServer,
  type ServerProcess,
} from './support/store-server-process.js'

const secretPipeline = fileURLToPath(
  new URL('./fixtures/secret-pipeline.ts', import.meta.url),
)

let dir: string
let nonce: string
let server: ServerProcess | undefined
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-secrets-'))
  nonce = randomBytes(4).toString('hex')
})
afterEach(async () => {
  if (server !== undefined) {
    server.child.kill('SIGTERM')
    await server.result
    server = undefined
  }
  await rm(dir, { recursive: true, force: true })
})

/** Every secret the fixture and the test plant, by where it was planted. */
function plantedSecrets(): Record<string, string> {
  const secret = (tag: string) => `${tag}${nonce}`
  return {
    'parameter by key (password)': secret('pw1'),
    'parameter by key (apiKey)': secret('ak2'),
    'positional parameter named token': secret('tk3'),
    'url password in a parameter': secret('pg4'),
    'connection string Password=': secret('cs5'),
    'Bearer token': secret('br6'),
    'sk- token': secret('sk7'),
    'ghp_ token': secret('gh8'),
    'AKIA access key': `AKIA${secret('AK9').toUpperCase()}`
      .padEnd(20, '7')
      .slice(0, 20),
    JWT: secret('jw0'),
    'URL object password': secret('ur10'),
    '{ name, value } pair': secret('nv11'),
    'raw header array': secret('ha12'),
    'url password in an error message and stack': secret('er13'),
    'api_key= in an error message and stack': secret('er14'),
    'env var by name (MY_DB_PASSWORD)': secret('ev15'),
    'env var by value (DATABASE_URL)': secret('ev16'),
    'env var AWS_*': secret('ev17'),
    'argv --password=': secret('av18'),
    'argv --token <value>': secret('av19'),
    'argv --api-key=': secret('av20'),
    'kept output (a dsn)': secret('ko21'),
    'kept output (token=)': secret('ko22'),
    'pipeline config (dbPassword)': secret('cf23'),
    'long text with password=': secret('lg25'),
    'store url password': secret('su24'),
  }
}

/** Run the secret pipeline in its own process, recording into `store`. */
function runSecretPipeline(
  store: string,
  env: Record<string, string | undefined> = {},
): Promise<ChildResult> {
  return runTsx(
    secretPipeline,
    [
      nonce,
      `--password=av18${nonce}`,
      '--token',
      `av19${nonce}`,
      `--api-key=av20${nonce}`,
    ],
    {
      env: {
        LORE_STORE: store,
        LORE_OUTBOX: join(dir, 'outbox.db'),
        MY_DB_PASSWORD: `ev15${nonce}`,
        DATABASE_URL: `postgres://app:ev16${nonce}@db:5432/app`,
        AWS_SECRET_ACCESS_KEY: `ev17${nonce}`,
        ...env,
      },
    },
  )
}

/** Where each secret was found in `text`, by where it was planted. */
function leaks(
  text: string,
  secrets: Record<string, string> = plantedSecrets(),
): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => text.includes(secret))
    .map(([place, secret]) => `${place} (${secret})`)
}

/** What a store file holds, checked to be a real record of the pipeline. */
function dumpRecordedStore(file: string): string {
  const { tables, text } = dumpSqlite(file)
  const executions = JSON.stringify(tables.execution ?? [])
  for (const name of ['connect', 'fetchRows', 'login', 'keepDsn', 'keepToken'])
    expect(executions).toContain(name)
  // The places are recorded, with their secrets hidden.
  expect(text).toContain('[REDACTED]')
  expect(text).toContain('***')
  expect(text).toContain('MY_DB_PASSWORD')
  expect(text).toContain('--token')
  return text
}

describe('secrets planted in every place a run records', () => {
  it('are in no table of an embedded store, and no outbox is made for it', async () => {
    const file = join(dir, 'lore.db')
    const child = await runSecretPipeline(`sqlite:${file}`)
    expect(child.stderr).toBe('')
    expect(child.code).toBe(0)
    const stored = dumpRecordedStore(file)
    expect(leaks(stored)).toEqual([])
    expect(leaks(child.stdout + child.stderr)).toEqual([])
    expect(existsSync(join(dir, 'outbox.db'))).toBe(false)
  })

  it('are in no table of a store behind lore serve, nor in its outbox or its log', async () => {
    const tokens = SqliteTokenStore.open(join(dir, 'tokens.db'))
    const { token } = await tokens.create({ name: 'ci', scope: 'write' })
    await tokens.close()
    const file = join(dir, 'server.db')
    server = await startServer(`sqlite:${file}`, await freePort(), [
      '--tokens',
      join(dir, 'tokens.db'),
      '--log',
    ])
    const store = server.url.replace('http://', `http://lore:su24${nonce}@`)
    const child = await runSecretPipeline(store, { LORE_TOKEN: token })
    expect(child.stderr).toBe('')
    expect(child.code).toBe(0)
    server.child.kill('SIGTERM')
    const served = await server.result
    server = undefined
    const secrets = { ...plantedSecrets(), 'the server token': token }
    expect(leaks(dumpRecordedStore(file), secrets)).toEqual([])
    if (existsSync(join(dir, 'outbox.db')))
      expect(leaks(dumpSqlite(join(dir, 'outbox.db')).text, secrets)).toEqual(
        [],
      )
    expect(leaks(child.stdout + child.stderr, secrets)).toEqual([])
    expect(served.stdout).toContain('"url"')
    expect(leaks(served.stdout + served.stderr, secrets)).toEqual([])
  })

  it('are in no outbox entry and no warning when the server is down', async () => {
    const port = await freePort()
    const store = `http://lore:su24${nonce}@127.0.0.1:${port}`
    const child = await runSecretPipeline(store, {
      LORE_TOKEN: `tok${nonce}`,
      LORE_STRICT: undefined,
    })
    expect(child.code).toBe(0)
    const secrets = { ...plantedSecrets(), 'the server token': `tok${nonce}` }
    expect(leaks(child.stdout + child.stderr, secrets)).toEqual([])
    const outbox = dumpSqlite(join(dir, 'outbox.db'))
    const entries = Object.entries(outbox.tables)
      .filter(([name]) => name !== 'sqlite_sequence')
      .flatMap(([, rows]) => rows)
    expect(JSON.stringify(entries)).toContain('keepDsn')
    expect(leaks(outbox.text, secrets)).toEqual([])
  })
})
