import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loreMetricsFacetSchema } from '@lore/sdk/openlineage'
import {
  createOpenLineageValidator,
  type OpenLineageRunEvent,
} from '@lore/store/openlineage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWorkspace, type Workspace } from './support/lore-cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const scripts = Object.keys(
  (
    JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
  ).scripts,
)

let workspace: Workspace
beforeEach(async () => {
  workspace = await createWorkspace()
})
afterEach(async () => {
  await workspace.cleanup()
})

function runExample(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const args = [
    '--silent',
    script,
    ...(script === 'etl' ? [workspace.dir] : []),
  ]
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

const lines = (text: string): OpenLineageRunEvent[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OpenLineageRunEvent)

/** The `$id` of the schema of every facet an event carries (Lore's own included). */
function facetSchemaIds(event: OpenLineageRunEvent): string[] {
  const facets = [
    event.run.facets,
    event.job.facets,
    ...[...(event.inputs ?? []), ...(event.outputs ?? [])].map(
      (dataset) => dataset.facets,
    ),
  ]
  return facets.flatMap((group) =>
    Object.values(group ?? {}).map((facet) => facet._schemaURL.split('#')[0]!),
  )
}

describe('OpenLineage events of the example pipelines', () => {
  it.each(scripts)(
    '`pnpm %s` emits events live and exports events that all validate against OpenLineage 2-0-2 and every facet schema they use',
    async (script) => {
      const live = join(workspace.dir, 'live.ndjson')
      const result = await runExample(script, {
        LORE_STORE: workspace.store,
        LORE_OUTBOX: join(workspace.dir, 'outbox.db'),
        IRIS_MONITORING_DIR: join(workspace.dir, 'files'),
        OPENLINEAGE__TRANSPORT__TYPE: 'file',
        OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: live,
      })
      expect(result.stderr).not.toContain('OpenLineage')
      expect(result.code).toBe(0)

      const exported = await workspace.lore('export', 'openlineage')
      expect(exported.stderr).toBe('')
      expect(exported.code).toBe(0)
      const exportedEvents = lines(exported.stdout)
      const liveEvents = lines(await readFile(live, 'utf8'))
      expect(exportedEvents.length).toBeGreaterThan(0)

      const validator = createOpenLineageValidator({
        facetSchemas: [loreMetricsFacetSchema()],
        requireKnownFacets: true,
      })
      for (const event of [...exportedEvents, ...liveEvents]) {
        const validation = validator.validate(event)
        expect(validation.issues).toEqual([])
        // Each facet was checked against its own schema, not only the core one.
        for (const id of facetSchemaIds(event))
          expect(validation.schemas).toContain(id)
      }
      // Every pipeline run and step call: a START and then one end.
      const key = (event: OpenLineageRunEvent): string =>
        `${event.run.runId} ${event.eventType}`
      const starts = exportedEvents.filter(
        (event) => event.eventType === 'START',
      )
      const ends = exportedEvents.filter((event) => event.eventType !== 'START')
      expect(new Set(starts.map((event) => event.run.runId))).toEqual(
        new Set(ends.map((event) => event.run.runId)),
      )
      // What the recorder emitted live is what the export finds in the store.
      expect(new Set(liveEvents.map(key))).toEqual(
        new Set(exportedEvents.map(key)),
      )
      const byKey = new Map(exportedEvents.map((event) => [key(event), event]))
      for (const event of liveEvents)
        expect(event).toEqual(byKey.get(key(event)))
    },
  )
})
