import { formatValue } from './format.js'

/** A two-column table of an object's entries; nested values as JSON. */
export function KeyValues({
  values,
  empty = 'none',
}: {
  values: Record<string, unknown>
  empty?: string
}) {
  const entries = Object.entries(values)
  if (entries.length === 0) return <div className="muted">{empty}</div>
  return (
    <table className="data kv">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <td>{key}</td>
            <td className="mono">
              {typeof value === 'object' && value !== null ? (
                <pre className="json">{JSON.stringify(value, null, 2)}</pre>
              ) : (
                formatValue(value)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
