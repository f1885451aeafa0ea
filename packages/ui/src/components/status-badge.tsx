/** A run's or a step's state as a coloured badge (FAILED red, CACHED violet, RUNNING amber). */
export function StatusBadge({ status }: { status: string | undefined }) {
  const text = status ?? 'UNKNOWN'
  return <span className={`badge ${text}`}>{text}</span>
}
