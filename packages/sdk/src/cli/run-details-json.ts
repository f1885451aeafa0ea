import type { Artifact, Context, Execution } from '@lore/store'
import type { MetricSummary } from '../query/metric-summary.js'
import type { RunDetails, StepNode } from '../query/run-details.js'

/** A step of `lore show --json`: its artifacts by id (listed once, under `artifacts`). */
export interface StepJson {
  execution: Execution
  inputs: { path: (string | number)[]; artifactId: number }[]
  outputs: { path: (string | number)[]; artifactId: number }[]
  metrics: MetricSummary[]
  children: StepJson[]
}

/** What `lore show --json` prints. */
export type RunDetailsJson = Omit<RunDetails, 'steps'> & {
  /** Every artifact the run's steps read or wrote, once, by id order. */
  artifacts: Artifact[]
  steps: StepJson[]
}

function withoutKeptOutputs(execution: Execution): Execution {
  const lore = execution.customProperties.lore
  if (
    typeof lore !== 'object' ||
    lore === null ||
    Array.isArray(lore) ||
    !('kept' in lore)
  )
    return execution
  const { kept: _kept, ...rest } = lore
  return {
    ...execution,
    customProperties: {
      ...execution.customProperties,
      lore: { ...rest, keptForReplay: true },
    },
  }
}

/** The sources a run from uncommitted code kept are named by sha256; `--code` prints them. */
function withoutKeptSources(context: Context): Context {
  const code = context.properties.code
  if (
    typeof code !== 'object' ||
    code === null ||
    Array.isArray(code) ||
    typeof code.sources !== 'object' ||
    code.sources === null
  )
    return context
  const { sources, ...rest } = code
  return {
    ...context,
    properties: {
      ...context.properties,
      code: { ...rest, sourcesKept: Object.keys(sources) },
    },
  }
}

function stepJson(node: StepNode, artifacts: Map<number, Artifact>): StepJson {
  const use = ({ path, artifact }: StepNode['inputs'][number]) => {
    artifacts.set(artifact.id, artifact)
    return { path, artifactId: artifact.id }
  }
  return {
    execution: withoutKeptOutputs(node.execution),
    inputs: node.inputs.map(use),
    outputs: node.outputs.map(use),
    metrics: node.metrics,
    children: node.children.map((child) => stepJson(child, artifacts)),
  }
}

/**
 * `lore show --json`: the run's details with each artifact listed once (steps name them by
 * `artifactId`; an artifact one step writes and the next reads was printed twice, previews
 * and all), and without the outputs each step kept for `replay --from` (a step's whole return
 * value: a loaded table is most of a run's record), marked `keptForReplay: true` instead,
 * and without the text of the sources a run from uncommitted code kept (`sourcesKept` names
 * them; `lore show --code` prints them).
 *
 * @example
 * writeJson(io, runDetailsJson(await getRunDetails(store, run)))
 */
export function runDetailsJson(details: RunDetails): RunDetailsJson {
  const artifacts = new Map<number, Artifact>()
  const steps = details.steps.map((node) => stepJson(node, artifacts))
  const { steps: _steps, ...rest } = details
  return {
    ...rest,
    context: withoutKeptSources(details.context),
    artifacts: [...artifacts.values()].sort((a, b) => a.id - b.id),
    steps,
  }
}
