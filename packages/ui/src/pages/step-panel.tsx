import { readableNodeName } from '@lore/store'
import type { ArtifactUse } from '../../../sdk/src/query/run-details.js'
import { stepFacts, type StepNode } from '../api/sdk-rules.js'
import { formatDuration, formatTime } from '../components/format.js'
import { KeyValues } from '../components/key-values.js'
import { StatusBadge } from '../components/status-badge.js'
import { routeHref } from '../router/hash-route.js'

function Uses({ uses, empty }: { uses: ArtifactUse[]; empty: string }) {
  if (uses.length === 0) return <div className="muted">{empty}</div>
  return (
    <table className="data">
      <tbody>
        {uses.map((use) => (
          <tr key={`${use.artifact.id}:${use.path.join('.')}`}>
            <td className="mono">{use.path.join('.') || '—'}</td>
            <td>
              <a href={routeHref(['lineage', `a:${use.artifact.id}`])}>
                {readableNodeName(use.artifact.name) ??
                  use.artifact.uri ??
                  `a:${use.artifact.id}`}
              </a>
              <span className="muted"> {use.artifact.type}</span>
            </td>
            <td className="mono muted" title={use.artifact.fingerprint}>
              {use.artifact.fingerprint?.slice(0, 12) ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** One step call: state, timing, parameters, inputs, outputs and error. */
export function StepPanel({ step }: { step: StepNode }) {
  const execution = step.execution
  const facts = stepFacts(execution)
  return (
    <div className="card" data-testid="step-panel">
      <h2>
        {readableNodeName(execution.name)}{' '}
        <StatusBadge status={execution.lastKnownState} />{' '}
        <a
          href={routeHref(['lineage', `e:${execution.id}`])}
          style={{ fontSize: 13 }}
        >
          lineage
        </a>
      </h2>
      <div className="muted">
        {execution.type} · started {formatTime(execution.startTimeSinceEpoch)} ·{' '}
        {formatDuration(facts.durationMs)}
        {facts.version === undefined ? '' : ` · version ${facts.version}`}
        {execution.codeVersion === undefined
          ? ''
          : ` · source ${execution.codeVersion.slice(0, 12)}`}
      </div>
      {execution.error !== undefined ? (
        <div className="error" data-testid="step-error">
          <strong>{execution.error.name ?? 'Error'}: </strong>
          {execution.error.message}
          {execution.error.stack !== undefined ? (
            <pre className="json">{execution.error.stack}</pre>
          ) : null}
        </div>
      ) : null}
      <h2>Parameters</h2>
      <KeyValues values={facts.params} empty="no parameters" />
      <h2>Inputs</h2>
      <Uses uses={step.inputs} empty="no input artifacts" />
      <h2>Outputs</h2>
      <Uses uses={step.outputs} empty="no output artifacts" />
      {facts.outputs !== undefined ? (
        <KeyValues values={{ returned: facts.outputs }} />
      ) : null}
    </div>
  )
}
