import { useState } from 'react'
import type { StepNode } from '../api/sdk-rules.js'
import { useLoad } from '../api/use-load.js'
import { formatDuration, formatTime } from '../components/format.js'
import { KeyValues } from '../components/key-values.js'
import { Loaded } from '../components/loaded.js'
import { MetricChart } from '../components/metric-chart.js'
import { StatusBadge } from '../components/status-badge.js'
import { routeHref } from '../router/hash-route.js'
import { ComparisonTable } from './comparison-table.js'
import { readRun, type RunView } from './run-query.js'
import { StepCodeVersions } from './step-code-versions.js'
import { StepPanel } from './step-panel.js'
import { StepTimeline } from './step-timeline.js'

const find = (
  steps: StepNode[],
  id: number | undefined,
): StepNode | undefined => {
  for (const step of steps) {
    if (step.execution.id === id) return step
    const inner = find(step.children, id)
    if (inner !== undefined) return inner
  }
  return undefined
}

const object = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

function RunBody({ view }: { view: RunView }) {
  const { details } = view
  const { summary, context } = details
  const [selected, setSelected] = useState<number | undefined>(
    details.steps[0]?.execution.id,
  )
  const step = find(details.steps, selected)
  const code = object(context.properties.code)
  const environment = object(context.properties.environment)
  const entry = object(context.properties.entry)
  return (
    <>
      <h1>
        {summary.pipeline} <span className="mono">{summary.runId}</span>{' '}
        <StatusBadge status={summary.status} />
      </h1>
      <div className="muted" style={{ marginBottom: 12 }}>
        started {formatTime(summary.startedAt)} ·{' '}
        {formatDuration(summary.durationMs)} · {summary.steps} steps
        {summary.failedSteps > 0 ? `, ${summary.failedSteps} failed` : ''}
        {summary.droppedRecords > 0
          ? ` · ${summary.droppedRecords} records dropped`
          : ''}{' '}
        · <a href={routeHref(['lineage', summary.runId])}>lineage</a> ·{' '}
        <a
          href={routeHref(['runs'], {
            filter: `properties.pipeline = '${summary.pipeline.replaceAll("'", "''")}'`,
          })}
        >
          runs of {summary.pipeline}
        </a>
      </div>
      {view.replayOf !== undefined ? (
        <div className="card" data-testid="replay-of">
          <h2>
            Replay of{' '}
            <a href={routeHref(['runs', view.replayOf.runId])}>
              {view.replayOf.runId.slice(0, 8)}
            </a>
            {view.replayOf.comparison !== undefined
              ? `: ${view.replayOf.comparison.verdict}`
              : ''}
          </h2>
          {view.replayOf.error !== undefined ? (
            <div className="error">{view.replayOf.error}</div>
          ) : null}
          {view.replayOf.comparison !== undefined ? (
            <ComparisonTable comparison={view.replayOf.comparison} />
          ) : null}
        </div>
      ) : null}
      {view.replays.length > 0 ? (
        <div className="card">
          Replayed by{' '}
          {view.replays.map((replay) => (
            <a
              key={replay.id}
              className="mono"
              href={routeHref(['runs', replay.externalId ?? String(replay.id)])}
              style={{ marginRight: 8 }}
            >
              {(replay.externalId ?? String(replay.id)).slice(0, 8)}
            </a>
          ))}
        </div>
      ) : null}
      <div className="grid2">
        <div className="card">
          <h2>Config</h2>
          <KeyValues
            values={object(context.properties.config)}
            empty="no config"
          />
          <h2>Seed</h2>
          <div className="mono">{String(context.properties.seed ?? '—')}</div>
        </div>
        <div className="card">
          <h2>Code version</h2>
          <KeyValues
            values={{
              'git commit': code.gitCommit,
              dirty:
                code.gitDirty === undefined
                  ? undefined
                  : code.gitDirty === true
                    ? 'yes: uncommitted changes'
                    : 'no',
              branch: code.gitBranch,
              entry:
                entry.module === undefined
                  ? undefined
                  : `${String(entry.module)}#${String(entry.export ?? '')}`,
            }}
          />
          <h2>Step code versions</h2>
          <StepCodeVersions steps={details.steps} />
          <h2>Source files</h2>
          <KeyValues
            values={Object.fromEntries(
              Object.entries(object(code.sourceFiles)).map(([file, hash]) => [
                file,
                typeof hash === 'string' ? `${hash.slice(0, 12)}…` : hash,
              ]),
            )}
            empty="none recorded"
          />
        </div>
        <div className="card">
          <h2>Environment</h2>
          <KeyValues
            values={{
              node: environment.node,
              platform: environment.platform,
              arch: environment.arch,
              os: environment.osRelease,
              lockfile: object(environment.lockfile).sha256,
            }}
          />
          <h2>Packages</h2>
          <KeyValues
            values={object(environment.dependencies)}
            empty="none recorded"
          />
        </div>
      </div>
      <div className="card">
        <h2>Steps</h2>
        <StepTimeline
          steps={details.steps}
          selected={selected}
          onSelect={setSelected}
        />
      </div>
      {step !== undefined ? <StepPanel step={step} /> : null}
      <h2>Metrics</h2>
      {view.metrics.length === 0 ? (
        <div className="muted">No metrics were logged in this run.</div>
      ) : null}
      <div className="grid2">
        {view.metrics.map((metric) => (
          <div className="card" key={`${metric.owner}:${metric.key}`}>
            <MetricChart
              title={`${metric.key} (${metric.owner})`}
              series={[
                {
                  label: metric.key,
                  points: metric.points.map((point) => ({
                    x: point.step,
                    y: point.value,
                  })),
                },
              ]}
            />
          </div>
        ))}
      </div>
    </>
  )
}

/**
 * A run: its config, seed, code version, environment and packages, a Gantt timeline of its
 * steps with each call's parameters, inputs, outputs and error, its metric charts, and its
 * replay links with the step-by-step verdict. A RUNNING run is read again every two seconds.
 */
export function RunPage({ reference }: { reference: string }) {
  const state = useLoad(`run:${reference}`, () => readRun(reference), {
    pollMs: 2000,
    poll: (view) => view.details.summary.status === 'RUNNING',
  })
  return (
    <Loaded state={state} what={`run ${reference}`}>
      {(view) => <RunBody view={view} />}
    </Loaded>
  )
}
