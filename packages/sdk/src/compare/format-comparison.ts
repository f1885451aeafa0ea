import type { RunComparison, StepComparison } from './compare-runs.js'

const ms = (value: number | undefined): string =>
  value === undefined ? '-' : `${value.toFixed(1)}ms`

const mark = (equal: boolean): string => (equal ? 'same' : 'DIFF')

function row(step: StepComparison): string[] {
  if (step.a === undefined || step.b === undefined)
    return [step.key, '-', '-', '-', '-', '-', step.differences.join('; ')]
  return [
    step.key,
    mark(step.sameParams),
    mark(step.sameInputs),
    mark(step.sameOutputs),
    mark(step.sameCode),
    `${ms(step.a.durationMs)} → ${ms(step.b.durationMs)}`,
    [step.cause, ...step.differences].filter(Boolean).join('; '),
  ]
}

/** Rows padded to their widest cell; the last column is left as it is. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((cells) => (cells[column] ?? '').length)),
  )
  return rows
    .map((cells) =>
      cells
        .map((cell, column) =>
          column === cells.length - 1 ? cell : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

const metricValue = (value: number | undefined): string =>
  value === undefined ? '-' : String(Number(value.toPrecision(4)))

function formatMetricChanges(comparison: RunComparison): string {
  const rows = comparison.steps.flatMap((step) =>
    step.metrics.map((metric) => [
      step.key,
      metric.key,
      metricValue(metric.a),
      metricValue(metric.b),
      metric.change === undefined
        ? ''
        : metric.change === 0
          ? 'same'
          : `${metric.change > 0 ? '+' : ''}${metricValue(metric.change)}`,
    ]),
  )
  if (rows.length === 0) return ''
  return `\n${table([['step', 'metric', 'run A', 'run B', 'change'], ...rows])}\n`
}

/**
 * The verdict line, a step-by-step table of a comparison and, when steps logged metrics,
 * both values of each and the change, for the terminal.
 *
 * @example
 * io.stdout(formatComparison(await compareRuns(store, a, b)))
 */
export function formatComparison(comparison: RunComparison): string {
  const steps = table([
    ['step', 'params', 'inputs', 'outputs', 'code', 'duration', 'notes'],
    ...comparison.steps.map(row),
  ])
  const first = comparison.firstDivergence
  const verdict =
    first === undefined
      ? `reproduced: every step's outputs match (${comparison.steps.length} steps)`
      : `${comparison.verdict}: first at step '${first.step}' (${first.cause})`
  return `run A ${comparison.runA}\nrun B ${comparison.runB}\n${verdict}\n\n${steps}\n${formatMetricChanges(comparison)}`
}
