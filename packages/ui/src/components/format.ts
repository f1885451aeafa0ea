/** A time since the epoch as `2026-12-02 08:06:09` (local time), or `—`. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—'
  const date = new Date(ms)
  const pad = (value: number): string => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** A duration as `94 ms`, `3.2 s`, `4 min 10 s`, or `—`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—'
  if (ms < 1) return `${ms.toFixed(2)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** A value for a table cell: numbers trimmed, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—'
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toPrecision(4)
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** Read `a.b.c` out of nested objects. */
export function readPath(value: unknown, path: string): unknown {
  let current = value
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/** Every leaf of a nested object by its dotted path (`model.maxDepth`). */
export function flatten(
  value: unknown,
  prefix = '',
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    for (const [key, inner] of Object.entries(value))
      flatten(inner, prefix === '' ? key : `${prefix}.${key}`, into)
  } else if (prefix !== '') into[prefix] = value
  return into
}
