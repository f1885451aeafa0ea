import { readableNodeName } from '@lore/store'
import type { StepNode } from '../api/sdk-rules.js'

interface StepCode {
  step: string
  /** Each code version the step's calls recorded, with how many calls ran it. */
  versions: Map<string, number>
}

function collect(steps: StepNode[], byStep: Map<string, StepCode>): void {
  for (const { execution, children } of steps) {
    const step = readableNodeName(execution.name) ?? `e:${execution.id}`
    const entry = byStep.get(step) ?? { step, versions: new Map() }
    const version = execution.codeVersion ?? ''
    entry.versions.set(version, (entry.versions.get(version) ?? 0) + 1)
    byStep.set(step, entry)
    collect(children, byStep)
  }
}

/**
 * Each step of a run with the code version its calls recorded (the SDK's fingerprint of the
 * step function's source, the helpers it names and the local modules it imports), in the
 * order the steps first ran. A step whose calls ran different code lists every version.
 */
export function StepCodeVersions({ steps }: { steps: StepNode[] }) {
  const byStep = new Map<string, StepCode>()
  collect(steps, byStep)
  if (byStep.size === 0) return <div className="muted">no steps recorded</div>
  return (
    <table className="data kv" data-testid="step-code-versions">
      <tbody>
        {[...byStep.values()].map(({ step, versions }) => (
          <tr key={step}>
            <td>{step}</td>
            <td className="mono">
              {[...versions].map(([version, calls]) => (
                <div key={version} title={version || undefined}>
                  {version === '' ? '—' : `${version.slice(0, 12)}…`}
                  {versions.size > 1 || calls > 1 ? (
                    <span className="muted">
                      {' '}
                      ({calls} {calls === 1 ? 'call' : 'calls'})
                    </span>
                  ) : null}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
