import { readableNodeName, type Artifact, type Value } from '@lore/store'
import type { MetricSummary } from '../query/metric-summary.js'
import type { RunDetails, StepNode } from '../query/run-details.js'
import { stepFacts } from '../query/step-facts.js'
import {
  formatDuration,
  formatFingerprint,
  formatInline,
  formatTime,
} from './format-values.js'

const marks: Record<string, string> = {
  COMPLETE: '✓',
  FAILED: '✗',
  RUNNING: '…',
  CANCELED: '⊘',
  ABANDONED: '?',
  CACHED: '↺',
  NEW: '·',
}

const record = (value: Value | undefined): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? value
    : {}

/** An artifact on one line: type, name, fingerprint and its id for `lore lineage`. */
export function describeArtifactLine(artifact: Artifact): string {
  const name = readableNodeName(artifact.name) ?? artifact.uri ?? '(unnamed)'
  const state = artifact.state === 'LIVE' ? '' : ` ${artifact.state}`
  return `${artifact.type} ${name} ${formatFingerprint(artifact.fingerprint)}${state} [a:${artifact.id}]`
}

/** A metric value for people: four significant digits, `0.9778`, `1234`, `1.235e+6`. */
export function formatMetricValue(value: number): string {
  return String(Number(value.toPrecision(4)))
}

/**
 * A metric on one line: `accuracy 0.9778`, or for a series its last value and range,
 * `loss 0.12 (last of 10, step 9; min 0.1, max 0.9)`.
 */
export function formatMetric(metric: MetricSummary): string {
  const last = `${metric.key} ${formatMetricValue(metric.last)}`
  return metric.count === 1
    ? last
    : `${last} (last of ${metric.count}, step ${metric.step}; min ${formatMetricValue(metric.min)}, max ${formatMetricValue(metric.max)})`
}

function formatStep(node: StepNode, depth: number, lines: string[]): void {
  const execution = node.execution
  const pad = '  '.repeat(depth + 1)
  const facts = stepFacts(execution)
  const type = execution.type === 'Step' ? '' : `  ${execution.type}`
  const state =
    execution.lastKnownState === 'COMPLETE'
      ? ''
      : `  ${execution.lastKnownState}`
  lines.push(
    `${pad}${marks[execution.lastKnownState] ?? '·'} ${readableNodeName(execution.name) ?? '(step)'}  ${formatDuration(facts.durationMs)}${type}${state}  [e:${execution.id}]`,
  )
  const entries = Object.entries(facts.params)
  if (entries.length > 0)
    lines.push(
      `${pad}    params  ${entries.map(([key, value]) => `${key}=${formatInline(value, 60)}`).join('  ')}`,
    )
  for (const use of node.inputs)
    lines.push(
      `${pad}    in      ${use.path.slice(1).join('.')} ← ${describeArtifactLine(use.artifact)}`,
    )
  for (const use of node.outputs)
    lines.push(
      `${pad}    out     ${use.path.slice(1).join('.')} → ${describeArtifactLine(use.artifact)}`,
    )
  if (facts.outputs !== undefined)
    lines.push(`${pad}    returns ${formatInline(facts.outputs)}`)
  for (const metric of node.metrics)
    lines.push(`${pad}    metric  ${formatMetric(metric)}`)
  if (facts.yielded !== undefined)
    lines.push(
      `${pad}    yielded ${facts.yielded} value(s)${facts.abandoned ? ', stopped early' : ''}`,
    )
  if (execution.error !== undefined) {
    lines.push(
      `${pad}    error   ${execution.error.name ?? 'Error'}: ${execution.error.message}`,
    )
    const frames = (execution.error.stack ?? '').split('\n').slice(1, 4)
    for (const frame of frames) lines.push(`${pad}            ${frame.trim()}`)
  }
  for (const child of node.children) formatStep(child, depth + 1, lines)
}

/**
 * `lore show` as text: the run's header (status, times, reproducibility record), its config
 * and its steps as a tree with timings, parameters, inputs and outputs.
 */
export function formatRunDetails(details: RunDetails): string {
  const { summary, context } = details
  const properties = context.properties
  const entry = record(properties.entry)
  const code = record(properties.code)
  const environment = record(properties.environment)
  const lockfile = record(environment.lockfile as Value | undefined)
  const sourceFiles = record(code.sourceFiles as Value | undefined)
  const lines: string[] = [`run ${summary.runId}`]
  const field = (name: string, value: string): void => {
    lines.push(`  ${name.padEnd(10)} ${value}`)
  }
  field(
    'pipeline',
    summary.pipeline +
      (summary.adhoc ? ' (ad hoc: steps called outside a pipeline)' : ''),
  )
  field('status', summary.status)
  field(
    'started',
    `${formatTime(summary.startedAt)}   duration ${formatDuration(summary.durationMs)}   steps ${details.executionCount}${summary.failedSteps > 0 ? ` (${summary.failedSteps} failed)` : ''}`,
  )
  // The tree is what the store holds; the run's own count lags while it runs, and counts
  // records that were lost.
  if (summary.steps > details.executionCount)
    field(
      'recorded',
      `the run reported ${summary.steps} step calls; ${summary.steps - details.executionCount} are not in the store`,
    )
  if (details.replay !== undefined) {
    const overrides = Object.entries(details.replay.overrides)
    field(
      'replay of',
      `${details.replay.replayOf}${details.replay.faithful ? ' (faithful: same config)' : ` (not faithful: ${overrides.length > 0 ? overrides.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ') : 'config changed'})`}${details.replay.from === undefined ? '' : `, steps from '${details.replay.from}' ran again`}`,
    )
  }
  if (summary.droppedRecords > 0)
    field(
      'dropped',
      `${summary.droppedRecords} step records were lost while recording`,
    )
  const error = record(context.customProperties.error)
  if (typeof error.message === 'string')
    field('error', `${String(error.name ?? 'Error')}: ${error.message}`)
  if (properties.seed !== undefined) field('seed', String(properties.seed))
  if (typeof entry.module === 'string')
    field(
      'entry',
      `${entry.module}${typeof entry.export === 'string' ? ` (export ${entry.export})` : ''}`,
    )
  if (typeof code.gitCommit === 'string')
    field(
      'git',
      `${code.gitCommit.slice(0, 12)}${code.gitDirty === true ? ' (dirty: uncommitted changes)' : ''}${typeof code.gitBranch === 'string' ? ` on ${code.gitBranch}` : ''}`,
    )
  const kept = record(code.sources as Value | undefined)
  for (const [file, hash] of Object.entries(sourceFiles))
    field(
      'source',
      `${file} ${formatFingerprint(String(hash))}${typeof kept[String(hash)] === 'string' ? ' (kept: lore show --code)' : ''}`,
    )
  if (typeof environment.node === 'string')
    field(
      'node',
      `${environment.node} ${String(environment.platform)} ${String(environment.arch)} (${String(environment.osRelease)})`,
    )
  if (typeof lockfile.file === 'string')
    field(
      'lockfile',
      `${lockfile.file} ${formatFingerprint(String(lockfile.sha256))}`,
    )
  const dependencies = Object.entries(
    record(environment.dependencies as Value | undefined),
  )
  if (dependencies.length > 0)
    field(
      'packages',
      dependencies
        .map(([name, version]) => `${name}@${String(version)}`)
        .join(' '),
    )
  lines.push('config')
  for (const line of JSON.stringify(properties.config ?? {}, null, 2).split(
    '\n',
  ))
    lines.push(`  ${line}`)
  if (details.metrics.length > 0) {
    lines.push('metrics')
    for (const metric of details.metrics)
      lines.push(`  ${formatMetric(metric)}`)
  }
  lines.push(`steps (${details.executionCount})`)
  if (details.steps.length === 0) lines.push('  (none recorded)')
  for (const node of details.steps) formatStep(node, 0, lines)
  return `${lines.join('\n')}\n`
}
