import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTempProject,
  loreProcess,
  sdkEntry,
  type TempProject,
} from '../../test/support/lore-process.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'

let temp: TempStore
let project: TempProject
const git = (...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args],
    { cwd: project.dir, stdio: 'pipe' },
  ).toString()

beforeEach(async () => {
  temp = await createTempStore()
  // A repository of its own, in which the test decides what is committed.
  project = await createTempProject(
    {
      'package.json': '{ "type": "module" }\n',
      'pipeline.ts': [
        `import { pipeline, step } from ${JSON.stringify(sdkEntry)}`,
        '',
        "const apiToken = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'",
        'const double = step(function double(value: number) {',
        '  return value * 2',
        '})',
        '',
        "export const twice = pipeline('twice', {}, () => double(21))",
        '',
      ].join('\n'),
    },
    { outside: true },
  )
  git('init', '-q')
  git('add', '-A')
  git('commit', '-qm', 'first')
})
afterEach(async () => {
  await project.cleanup()
  await temp.cleanup()
})

const lore = (...args: string[]) =>
  loreProcess([...args, '--store', temp.url], { cwd: project.dir })

async function recordRun(): Promise<string> {
  const run = await lore('run', 'pipeline.ts')
  expect(run.code, run.stderr).toBe(0)
  return /run (\S{36})/.exec(run.stdout)?.[1] ?? `no run id: ${run.stdout}`
}

describe('a run from uncommitted code', () => {
  it('keeps the sources it ran, so show --code prints them and replay shows what changed', async () => {
    const committed = await recordRun()
    const notKept = await lore('show', committed, '--code')
    expect(notKept.stdout).toMatch(
      /── pipeline\.ts \(sha256 [0-9a-f]{12}\) ──\n\(not kept: the run's code was committed; see it with: git show [0-9a-f]{12}:pipeline\.ts\)/,
    )

    const file = project.path('pipeline.ts')
    const ran = (await readFile(file, 'utf8')).replace(
      'value * 2',
      'value * 2 + 0',
    )
    await project.write('pipeline.ts', ran)
    const dirty = await recordRun()
    const shown = await lore('show', dirty, '--code')
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain(
      `── pipeline.ts (sha256 ${/sha256 ([0-9a-f]{12})/.exec(shown.stdout)?.[1]}) ──\n${ran.replace('ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED]')}`,
    )
    const header = await lore('show', dirty)
    expect(header.stdout).toMatch(
      /source +pipeline\.ts \S+ \(kept: lore show --code\)/,
    )
    // A secret in the code is masked in what the store keeps.
    expect(shown.stdout).not.toContain(
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    )
    expect(shown.stdout).toContain("const apiToken = '[REDACTED]'")
    // The kept text is not in show --json: it is named by sha256.
    const json = JSON.parse((await lore('show', dirty, '--json')).stdout) as {
      context: { properties: { code: Record<string, unknown> } }
    }
    expect(json.context.properties.code.sources).toBeUndefined()
    expect(json.context.properties.code.sourcesKept).toHaveLength(1)

    await project.write(
      'pipeline.ts',
      ran.replace('value * 2 + 0', 'value * 3'),
    )
    const dry = await lore('replay', dirty, '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(
      /differs: source file pipeline\.ts: [0-9a-f]{12} → [0-9a-f]{12}\n {4}--- pipeline\.ts\tthe original run\n {4}\+\+\+ pipeline\.ts\tnow\n {4}@@ .* @@\n(?: {4}.*\n)*? {4}- {2}return value \* 2 \+ 0\n {4}\+ {2}return value \* 3\n/,
    )
  })
})

describe('kept sources', () => {
  it('are capped in size: a file over the cap is named, not kept', async () => {
    await project.write(
      'big.ts',
      `${'// padding\n'.repeat(20_000)}export const two = 2\n`,
    )
    const source = await readFile(project.path('pipeline.ts'), 'utf8')
    await project.write(
      'pipeline.ts',
      `import { two } from './big.js'\n${source.replace('value * 2', 'value * two')}`,
    )
    const runId = await recordRun()
    const shown = await lore('show', runId, '--code')
    expect(shown.stdout).toMatch(
      /── big\.ts \(sha256 [0-9a-f]{12}\) ──\n\(too large to keep: over the size cap for kept sources\)\n── pipeline\.ts \(sha256 [0-9a-f]{12}\) ──\nimport \{ two \}/,
    )
  })
})
