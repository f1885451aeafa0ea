import { readableNodeName, type Context, type MetricPoint } from '@lore/store'
import { browserStore, storeLocation } from '../api/browser-store.js'
import {
  compareRuns,
  filterLiteral,
  findRun,
  getRunDetails,
  type RunComparison,
  type RunDetails,
  type StepNode,
} from '../api/sdk-rules.js'

/** A metric series of a run, and whose it is (the run's own, or a step's). */
export interface RunMetric {
  key: string
  owner: string
  points: MetricPoint[]
}

/** Everything the run page shows. */
export interface RunView {
  details: RunDetails
  metrics: RunMetric[]
  /** The run this one replayed, and how the replay compares with it (`lore diff`). */
  replayOf?: {
    context: Context | undefined
    runId: string
    comparison?: RunComparison
    error?: string
  }
  /** Runs that replayed this one. */
  replays: Context[]
}

const flat = (steps: StepNode[]): StepNode[] =>
  steps.flatMap((step) => [step, ...flat(step.children)])

function group(points: MetricPoint[], owner: string): RunMetric[] {
  const byKey = new Map<string, MetricPoint[]>()
  for (const point of points)
    byKey.set(point.key, [...(byKey.get(point.key) ?? []), point])
  return [...byKey].map(([key, series]) => ({
    key,
    owner,
    points: series.sort((a, b) => a.step - b.step),
  }))
}

/**
 * Read a run as `lore show` does (the SDK's `findRun` and `getRunDetails`), with its metric
 * series (the run's and each step's, the first 200 steps), its replay link and the
 * comparison with the run it replayed (the SDK's `compareRuns`, as `lore diff` prints it).
 */
export async function readRun(reference: string): Promise<RunView> {
  const context = await findRun(browserStore, reference, storeLocation)
  const details = await getRunDetails(browserStore, context)
  const steps = flat(details.steps).slice(0, 200)
  const metrics = [
    ...group(await browserStore.getMetrics({ contextId: context.id }), 'run'),
    ...(
      await Promise.all(
        steps.map(async (step) =>
          group(
            await browserStore.getMetrics({ executionId: step.execution.id }),
            readableNodeName(step.execution.name) ?? `e:${step.execution.id}`,
          ),
        ),
      )
    ).flat(),
  ]
  const view: RunView = { details, metrics, replays: [] }
  const replay = context.properties.replay
  const replayOf =
    typeof replay === 'object' && replay !== null && !Array.isArray(replay)
      ? (replay as Record<string, unknown>).replayOf
      : undefined
  if (typeof replayOf === 'string') {
    try {
      const original = await findRun(browserStore, replayOf, storeLocation)
      view.replayOf = {
        context: original,
        runId: replayOf,
        comparison: await compareRuns(browserStore, original, context),
      }
    } catch (error) {
      view.replayOf = {
        context: undefined,
        runId: replayOf,
        error: (error as Error).message,
      }
    }
  }
  if (context.externalId !== undefined) {
    // The filter language compares whole properties, so read the replays of the pipeline and
    // keep those whose link names this run.
    const replays = await browserStore.getContexts({
      type: 'PipelineRun',
      filter: `properties.replay IS NOT NULL AND properties.pipeline = ${filterLiteral(details.summary.pipeline)}`,
      orderBy: 'id',
      descending: true,
      limit: 1000,
    })
    view.replays = replays.items.filter(
      (replay) =>
        (replay.properties.replay as Record<string, unknown> | undefined)
          ?.replayOf === context.externalId,
    )
  }
  return view
}
