import { readableNodeName } from '@lore/store'
import type { StepNode } from '../api/sdk-rules.js'
import { stepFacts } from '../api/sdk-rules.js'
import { formatDuration } from '../components/format.js'

interface Row {
  step: StepNode
  depth: number
}

const rowsOf = (steps: StepNode[], depth = 0): Row[] =>
  steps.flatMap((step) => [
    { step, depth },
    ...rowsOf(step.children, depth + 1),
  ])

/**
 * The run's steps as a Gantt chart: one row a call, nested calls indented under their
 * parent, bars placed by start and end time and coloured by state (FAILED, CACHED, RUNNING).
 */
export function StepTimeline({
  steps,
  selected,
  onSelect,
}: {
  steps: StepNode[]
  selected: number | undefined
  onSelect: (id: number) => void
}) {
  const rows = rowsOf(steps)
  if (rows.length === 0)
    return <div className="muted">No steps were recorded.</div>
  const now = Date.now()
  const starts = rows.map(
    (row) =>
      row.step.execution.startTimeSinceEpoch ??
      row.step.execution.createTimeSinceEpoch,
  )
  const ends = rows.map(
    (row, index) =>
      row.step.execution.endTimeSinceEpoch ??
      (row.step.execution.lastKnownState === 'RUNNING'
        ? now
        : (starts[index] ?? 0)),
  )
  const first = Math.min(...starts)
  const span = Math.max(1, Math.max(...ends) - first)
  return (
    <div className="gantt" data-testid="step-timeline">
      {rows.map(({ step, depth }, index) => {
        const execution = step.execution
        const start = starts[index] ?? first
        const end = ends[index] ?? start
        const state = execution.lastKnownState ?? 'NEW'
        return (
          <div
            key={execution.id}
            className={`gantt-row${selected === execution.id ? ' selected' : ''}`}
            onClick={() => onSelect(execution.id)}
            data-testid="step-row"
            title={`${readableNodeName(execution.name) ?? ''}: ${state}`}
          >
            <span className="gantt-name" style={{ paddingLeft: depth * 16 }}>
              {depth > 0 ? '└ ' : ''}
              {readableNodeName(execution.name) ?? `e:${execution.id}`}{' '}
              <span className="muted">{state === 'COMPLETE' ? '' : state}</span>
            </span>
            <span className="gantt-track">
              <span
                className={`gantt-bar ${state}`}
                style={{
                  left: `${((start - first) / span) * 100}%`,
                  width: `${Math.max(0.3, ((end - start) / span) * 100)}%`,
                }}
              />
            </span>
            <span className="muted num">
              {formatDuration(stepFacts(execution).durationMs ?? end - start)}
            </span>
          </div>
        )
      })}
    </div>
  )
}
