import type { RunComparison } from '../api/sdk-rules.js'

/** The step-by-step verdict of two runs, as `lore diff` gives it. */
export function ComparisonTable({ comparison }: { comparison: RunComparison }) {
  return (
    <>
      <div data-testid="diff-verdict">
        verdict: <strong>{comparison.verdict}</strong>
        {comparison.firstDivergence !== undefined
          ? ` — first divergence at ${comparison.firstDivergence.step} (${comparison.firstDivergence.cause})`
          : ''}
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>step</th>
            <th>params</th>
            <th>inputs</th>
            <th>outputs</th>
            <th>code</th>
            <th>cause</th>
            <th>differences</th>
          </tr>
        </thead>
        <tbody>
          {comparison.steps.map((step) => (
            <tr key={step.key}>
              <td className="mono">{step.key}</td>
              {[
                step.sameParams,
                step.sameInputs,
                step.sameOutputs,
                step.sameCode,
              ].map((same, index) => (
                <td key={index} className={same ? '' : 'diff'}>
                  {same ? 'same' : 'differ'}
                </td>
              ))}
              <td>{step.cause ?? ''}</td>
              <td className="mono">{step.differences.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
