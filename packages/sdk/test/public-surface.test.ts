import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runTsx } from './support/run-tsx.js'

const loadedModules = fileURLToPath(
  new URL('./fixtures/loaded-modules.ts', import.meta.url),
)

/** Packages of the store server, the HTTP client and the command line. */
const serverPackages = [
  'fastify',
  '@fastify/static',
  'undici',
  'commander',
  'ajv',
  'ajv-formats',
  'pg',
  'mysql2',
]
/** Lore's own folders of the same. */
const serverFolders = [
  'packages/sdk/src/cli/',
  'packages/store/src/server/',
  'packages/store/src/remote/',
  'packages/store/src/auth/',
  'packages/store/src/openlineage/',
]

function packageOf(url: string): string | undefined {
  const match =
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
      url,
    )
  return match?.[1]
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-surface-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Every module (url or file) a child process loaded importing `specifier`. */
async function modulesLoadedBy(
  specifier: string,
  store?: string,
): Promise<{ packages: Set<string>; files: string[] }> {
  const args = [specifier, join(dir, 'resolved.txt')]
  if (store !== undefined) args.push(store)
  const child = await runTsx(loadedModules, args)
  expect(child.stderr).toBe('')
  expect(child.code).toBe(0)
  const loaded = JSON.parse(child.stdout) as {
    esm: string[]
    commonJs: string[]
  }
  const files = [...loaded.esm, ...loaded.commonJs].map((url) =>
    url.startsWith('file:') ? fileURLToPath(url) : url,
  )
  const packages = new Set(
    files.map(packageOf).filter((name) => name !== undefined),
  )
  return { packages, files }
}

function serverParts(loaded: {
  packages: Set<string>
  files: string[]
}): string[] {
  return [
    ...serverPackages.filter((name) => loaded.packages.has(name)),
    ...new Set(
      loaded.files.filter((file) =>
        serverFolders.some((folder) => file.includes(folder)),
      ),
    ),
  ]
}

describe("import '@lore/sdk'", () => {
  it('loads nothing of the store server, the HTTP client or the command line', async () => {
    const loaded = await modulesLoadedBy('@lore/sdk')
    // It does load what a pipeline needs: the embedded store's driver and the schemas.
    expect(loaded.packages).toContain('better-sqlite3')
    expect(loaded.packages).toContain('zod')
    expect(serverParts(loaded)).toEqual([])
  })

  it('still loads none of them after recording a pipeline into an embedded store', async () => {
    const loaded = await modulesLoadedBy(
      '@lore/sdk',
      `sqlite:${join(dir, 'lore.db')}`,
    )
    expect(
      loaded.files.some((file) =>
        file.includes('packages/sdk/src/recorder/recorder.ts'),
      ),
    ).toBe(true)
    expect(serverParts(loaded)).toEqual([])
  })

  it('leaves the command line and the server to @lore/sdk/cli, which loads them', async () => {
    const loaded = await modulesLoadedBy('@lore/sdk/cli')
    for (const name of ['commander', 'fastify'])
      expect(loaded.packages).toContain(name)
    expect(
      loaded.files.some((file) => file.includes('packages/sdk/src/cli/')),
    ).toBe(true)
  })
})

describe('the public surface of @lore/sdk', () => {
  it('exports what a pipeline author calls and no internals', async () => {
    const sdk = await import('@lore/sdk')
    // A change here is a change of Lore's public API: add a name on purpose, with its JSDoc.
    expect(Object.keys(sdk).sort()).toEqual([
      'ArtifactHandle',
      'DirArtifact',
      'FileArtifact',
      'LoreError',
      'ModelRegistry',
      'Pipeline',
      'ValueArtifact',
      'artifact',
      'checkPolicy',
      'chiSquaredTest',
      'compareRuns',
      'configure',
      'currentRun',
      'currentRunLink',
      'defaultDriftThresholds',
      'defaultStoreLocation',
      'definePolicy',
      'detectColumnDrift',
      'detectDatasetDrift',
      'detectDecay',
      'findIncident',
      'flush',
      'formatComparison',
      'incidentTimeline',
      'jensenShannonDistance',
      'ksTest',
      'listIncidents',
      'logRunMetric',
      'modelRegistry',
      'normalizedWassersteinDistance',
      'pipeline',
      'pipelineOf',
      'populationStabilityIndex',
      'profileColumn',
      'profileDataset',
      'proportionsZTest',
      'recordStatistics',
      'replay',
      'runContextEnv',
      'seededRandom',
      'shutdown',
      'step',
      'wassersteinDistance',
      'watchPolicies',
      'withRun',
    ])
    for (const internal of [
      'Recorder',
      'toJsonSafe',
      'erfc',
      'runCli',
      'Outbox',
      'hashValue',
    ])
      expect(sdk).not.toHaveProperty(internal)
  })

  it('serves reads of what was recorded from @lore/sdk/query and the command line from @lore/sdk/cli', async () => {
    const query = await import('@lore/sdk/query')
    expect(Object.keys(query).sort()).toEqual([
      'buildLineageTrees',
      'explainExecution',
      'findRun',
      'getRunDetails',
      'isAbandoned',
      'listRuns',
      'markAbandoned',
      'resolveLineageStart',
      'stepFacts',
      'summarizeRun',
    ])
    const cli = await import('@lore/sdk/cli')
    expect(Object.keys(cli)).toEqual(['runCli'])
  })
})
