import { readableNodeName, type Context, type MetadataStore } from '@lore/store'
import { hashValue } from '../capture/hash-value.js'
import { getRunDetails, type StepNode } from '../query/run-details.js'
import { stepFacts } from '../query/step-facts.js'

/** One step call of a run, as a comparison sees it. */
export interface RunStep {
  /** `name` and, from its second call on, `name#2`, `name#3`… in start order. */
  key: string
  name: string
  executionId: number
  state: string
  /** sha256 of the step's source file. */
  codeVersion: string | undefined
  params: Record<string, unknown>
  /** Input fingerprints by argument path (`rows`, `inputs.options.data`). */
  inputs: Record<string, string>
  /** Output fingerprints by field; values returned inline hash under `(inline)`. */
  outputs: Record<string, string>
  durationMs: number | undefined
  /** The last value of each metric the call logged, by key. */
  metrics: Record<string, number>
}

const pathName = (path: (string | number)[]): string =>
  (path[0] === 'inputs' || path[0] === 'outputs' ? path.slice(1) : path).join(
    '.',
  )

/**
 * Every step call of a run in start order (parents before their children), with its
 * parameters and the fingerprints of what it read and wrote.
 *
 * @example
 * const steps = await readRunSteps(store, await findRun(store, id, location))
 */
export async function readRunSteps(
  store: MetadataStore,
  context: Context,
): Promise<RunStep[]> {
  const details = await getRunDetails(store, context)
  const steps: RunStep[] = []
  const seen = new Map<string, number>()
  const visit = (node: StepNode): void => {
    const execution = node.execution
    const name = readableNodeName(execution.name) ?? execution.type
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    const facts = stepFacts(execution)
    const inputs: Record<string, string> = {}
    for (const use of node.inputs)
      inputs[pathName(use.path)] = use.artifact.fingerprint ?? 'none'
    const outputs: Record<string, string> = {}
    for (const use of node.outputs)
      outputs[pathName(use.path)] = use.artifact.fingerprint ?? 'none'
    if (facts.outputs !== undefined)
      outputs['(inline)'] = hashValue(facts.outputs)
    steps.push({
      key: count === 1 ? name : `${name}#${count}`,
      name,
      executionId: execution.id,
      state: execution.lastKnownState,
      codeVersion: execution.codeVersion,
      params: facts.params,
      inputs,
      outputs,
      durationMs: facts.durationMs,
      metrics: Object.fromEntries(
        node.metrics.map((metric) => [metric.key, metric.last]),
      ),
    })
    for (const child of node.children) visit(child)
  }
  for (const node of details.steps) visit(node)
  return steps
}
