import type { Context, MetadataStore } from '@lore/store'
import { hashValue } from '../capture/hash-value.js'
import { readRunSteps, type RunStep } from './run-steps.js'

/** Why a step's outputs differ. */
export type DivergenceCause =
  /** Same code, parameters and inputs, other outputs: the step is not deterministic. */
  | 'nondeterminism'
  /** Its inputs differ because an earlier step's outputs did. */
  | 'propagated'
  /** Its inputs differ and no earlier step diverged: data from outside changed. */
  | 'inputs changed'
  /** Its parameters differ (`replay --set`, another config). */
  | 'parameters changed'
  /** The step's source file differs. */
  | 'code changed'
  /** The step ran in one run only. */
  | 'missing'

/** One step of two runs, side by side. */
export interface StepComparison {
  key: string
  a: RunStep | undefined
  b: RunStep | undefined
  sameParams: boolean
  sameInputs: boolean
  sameOutputs: boolean
  sameCode: boolean
  /** Set when the outputs differ (or the step is missing from one run). */
  cause?: DivergenceCause
  /** Parameters, inputs and outputs that differ, by name, with both values for parameters. */
  differences: string[]
  /** Every metric either call logged: both last values and the change (B − A). */
  metrics: MetricChange[]
}

/** One metric of a step in two runs. */
export interface MetricChange {
  key: string
  a: number | undefined
  b: number | undefined
  /** `b - a`, when both logged it. */
  change: number | undefined
}

/** What `lore diff` and `replay` say about two runs. */
export interface RunComparison {
  runA: string
  runB: string
  /** reproduced: every step's outputs match; code changed: the first divergence is a code change. */
  verdict: 'reproduced' | 'diverged' | 'code changed'
  /** The first step whose outputs differ, and why. */
  firstDivergence?: { step: string; cause: DivergenceCause }
  steps: StepComparison[]
}

const same = (a: unknown, b: unknown): boolean => hashValue(a) === hashValue(b)

const shown = (value: unknown): string => {
  if (value === undefined) return '(none)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 39)}…` : text
}

function differingKeys(
  label: string,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  withValues = false,
): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys]
    .sort()
    .filter((key) => !same(a[key], b[key]))
    .map((key) =>
      withValues
        ? `${label} ${key} ${shown(a[key])} → ${shown(b[key])}`
        : `${label} ${key}`,
    )
}

function metricChanges(
  a: RunStep | undefined,
  b: RunStep | undefined,
): MetricChange[] {
  const valuesA = a?.metrics ?? {}
  const valuesB = b?.metrics ?? {}
  return [...new Set([...Object.keys(valuesA), ...Object.keys(valuesB)])]
    .sort()
    .map((key) => {
      const before = valuesA[key]
      const after = valuesB[key]
      return {
        key,
        a: before,
        b: after,
        change:
          before === undefined || after === undefined
            ? undefined
            : after - before,
      }
    })
}

function compareStep(
  key: string,
  a: RunStep | undefined,
  b: RunStep | undefined,
  upstreamDiverged: boolean,
): StepComparison {
  if (a === undefined || b === undefined)
    return {
      key,
      a,
      b,
      sameParams: false,
      sameInputs: false,
      sameOutputs: false,
      sameCode: false,
      cause: 'missing',
      differences: [a === undefined ? 'only in run B' : 'only in run A'],
      metrics: metricChanges(a, b),
    }
  const differences = [
    ...differingKeys('parameter', a.params, b.params, true),
    ...differingKeys('input', a.inputs, b.inputs),
    ...differingKeys('output', a.outputs, b.outputs),
  ]
  const comparison: StepComparison = {
    key,
    a,
    b,
    sameParams: same(a.params, b.params),
    sameInputs: same(a.inputs, b.inputs),
    sameOutputs: same(a.outputs, b.outputs),
    sameCode: a.codeVersion === b.codeVersion,
    differences,
    metrics: metricChanges(a, b),
  }
  if (!comparison.sameOutputs)
    comparison.cause = !comparison.sameCode
      ? 'code changed'
      : !comparison.sameParams
        ? 'parameters changed'
        : !comparison.sameInputs
          ? upstreamDiverged
            ? 'propagated'
            : 'inputs changed'
          : 'nondeterminism'
  return comparison
}

/**
 * Compare two runs step by step — steps matched by name and call order — on parameters,
 * input and output fingerprints, code version and duration, and give a verdict: reproduced
 * when every step's outputs match; otherwise the first step whose outputs differ and why
 * (nondeterminism when its code, parameters and inputs matched).
 *
 * @example
 * const { verdict, firstDivergence } = await compareRuns(store, original, replay)
 */
export async function compareRuns(
  store: MetadataStore,
  runA: Context,
  runB: Context,
): Promise<RunComparison> {
  const stepsA = await readRunSteps(store, runA)
  const stepsB = await readRunSteps(store, runB)
  const byKeyB = new Map(stepsB.map((step) => [step.key, step]))
  const keys = [
    ...stepsA.map((step) => step.key),
    ...stepsB
      .map((step) => step.key)
      .filter((key) => !stepsA.some((step) => step.key === key)),
  ]
  const steps: StepComparison[] = []
  let firstDivergence: RunComparison['firstDivergence']
  for (const key of keys) {
    const comparison = compareStep(
      key,
      stepsA.find((step) => step.key === key),
      byKeyB.get(key),
      firstDivergence !== undefined,
    )
    steps.push(comparison)
    if (firstDivergence === undefined && comparison.cause !== undefined)
      firstDivergence = { step: key, cause: comparison.cause }
  }
  const result: RunComparison = {
    runA: runA.externalId ?? String(runA.id),
    runB: runB.externalId ?? String(runB.id),
    verdict:
      firstDivergence === undefined
        ? 'reproduced'
        : firstDivergence.cause === 'code changed'
          ? 'code changed'
          : 'diverged',
    steps,
  }
  if (firstDivergence !== undefined) result.firstDivergence = firstDivergence
  return result
}
