import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import {
  createOpenLineageValidator,
  type OpenLineageRunEvent,
} from '@lore/store/openlineage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { loreMetricsFacetSchema } from '../../src/openlineage/openlineage-facets.js'
import { finished, runTsx, startTsx, waitForLine } from '../support/run-tsx.js'
import { createTempStore, type TempStore } from '../support/temp-store.js'

const fixture = fileURLToPath(
  new URL('../fixtures/failing-secret-pipeline.ts', import.meta.url),
)
const secrets = ['hunter2-Pa55word-XYZ', 'FailingSecretValue1234567']

let temp: TempStore
beforeEach(async () => {
  temp = await createTempStore()
})
afterEach(async () => {
  await temp.cleanup()
})

const parse = (text: string): OpenLineageRunEvent[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OpenLineageRunEvent)

async function exportAll(): Promise<OpenLineageRunEvent[]> {
  let stdout = ''
  const code = await runCli(['export', 'openlineage', '--store', temp.url], {
    stdout: (text) => (stdout += text),
    stderr: () => undefined,
    interactive: false,
  })
  expect(code).toBe(0)
  return parse(stdout)
}

function environment(live: string): Record<string, string> {
  return {
    LORE_STORE: temp.url,
    LORE_OUTBOX: join(temp.dir, 'outbox.db'),
    OPENLINEAGE__TRANSPORT__TYPE: 'file',
    OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: live,
    LORE_STRICT: '',
  }
}

const validator = createOpenLineageValidator({
  facetSchemas: [loreMetricsFacetSchema()],
  requireKnownFacets: true,
})

describe('OpenLineage events of failed and abandoned runs', () => {
  it('emits FAIL with a TypeScript errorMessage and a stack, and no secret of a parameter or the error ever appears', async () => {
    const live = join(temp.dir, 'live.ndjson')
    const result = await runTsx(fixture, [], { env: environment(live) })
    expect(result.stdout).toContain('done failed')
    const liveText = await readFile(live, 'utf8')
    const exported = await exportAll()
    for (const event of [...parse(liveText), ...exported])
      expect(validator.validate(event).issues).toEqual([])
    const fail = exported.find(
      (event) =>
        event.job.name === 'failing.connect' && event.eventType === 'FAIL',
    )
    expect(fail?.run.facets?.errorMessage).toMatchObject({
      programmingLanguage: 'TypeScript',
      message: expect.stringContaining('Error: cannot reach postgres://admin:'),
      stackTrace: expect.stringContaining('failing-secret-pipeline.ts'),
    })
    const params = fail?.run.facets?.executionParameters as
      { parameters: { key: string; value: string }[] } | undefined
    expect(params?.parameters.length).toBeGreaterThan(0)
    const runFail = exported.find(
      (event) => event.job.name === 'failing' && event.eventType === 'FAIL',
    )
    expect(runFail?.run.facets?.errorMessage).toMatchObject({
      programmingLanguage: 'TypeScript',
    })
    for (const secret of secrets) {
      expect(liveText).not.toContain(secret)
      expect(JSON.stringify(exported)).not.toContain(secret)
    }
  })

  it('ends a run killed mid-step with ABORT once it is found ABANDONED', async () => {
    const live = join(temp.dir, 'live.ndjson')
    // A short heartbeat, so that the step in flight is written RUNNING before the kill.
    const child = startTsx(fixture, ['--hang'], {
      env: { ...environment(live), LORE_HEARTBEAT_MS: '50' },
    })
    const ended = finished(child)
    await waitForLine(child, 'waiting')
    child.kill('SIGKILL')
    await ended
    const exported = await exportAll()
    for (const event of exported)
      expect(validator.validate(event).issues).toEqual([])
    expect(
      exported.map((event) => `${event.job.name} ${event.eventType}`),
    ).toEqual([
      'hanging START',
      'hanging.waitForever START',
      'hanging.waitForever ABORT',
      'hanging ABORT',
    ])
    // What the process emitted live before it was killed: the run's and the step's START.
    const liveEvents = parse(await readFile(live, 'utf8'))
    for (const event of liveEvents)
      expect(validator.validate(event).issues).toEqual([])
    expect(
      liveEvents.map((event) => `${event.job.name} ${event.eventType}`),
    ).toEqual(['hanging START', 'hanging.waitForever START'])
  })

  it('emits ABORT live for a run interrupted by SIGINT', async () => {
    const live = join(temp.dir, 'live.ndjson')
    const interrupted = fileURLToPath(
      new URL('../fixtures/interrupted-run.ts', import.meta.url),
    )
    const child = startTsx(interrupted, [], { env: environment(live) })
    const ended = finished(child)
    await waitForLine(child, 'waiting')
    child.kill('SIGINT')
    await ended
    const liveEvents = parse(await readFile(live, 'utf8'))
    for (const event of liveEvents)
      expect(validator.validate(event).issues).toEqual([])
    const names = liveEvents.map(
      (event) => `${event.job.name} ${event.eventType}`,
    )
    expect(names[0]).toBe('interrupted START')
    expect(names).toContain('interrupted.prepare COMPLETE')
    expect(names).toContain('interrupted.wait ABORT')
    expect(names.at(-1)).toBe('interrupted ABORT')
  })

  it('emits the events of steps called outside any pipeline (an ad-hoc run) once each, at exit', async () => {
    const live = join(temp.dir, 'live.ndjson')
    const script = fileURLToPath(
      new URL('../fixtures/adhoc-steps.ts', import.meta.url),
    )
    const result = await runTsx(script, [], { env: environment(live) })
    expect(result.stdout).toContain('total 6')
    const liveEvents = parse(await readFile(live, 'utf8'))
    for (const event of liveEvents)
      expect(validator.validate(event).issues).toEqual([])
    const names = liveEvents.map((event) => event.eventType)
    expect(names).toHaveLength(6)
    expect(
      new Set(
        liveEvents.map((event) => `${event.run.runId} ${event.eventType}`),
      ).size,
    ).toBe(6)
    expect(liveEvents.at(-1)?.eventType).toBe('COMPLETE')
    expect(liveEvents.at(-1)?.job.facets?.jobType).toMatchObject({
      jobType: 'DAG',
    })
  })
})
