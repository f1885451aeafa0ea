import type { Context } from '@lore/store'

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

/**
 * `lore show <run> --code`: each source file of a run with the text it ran, when the run
 * kept it (it was recorded from uncommitted code); else where to find it (`git show`).
 *
 * @example
 * io.stdout(formatCode(run))
 */
export function formatCode(context: Context): string {
  const code = record(context.properties.code)
  const files = record(code.sourceFiles)
  const sources = record(code.sources)
  const commit = typeof code.gitCommit === 'string' ? code.gitCommit : undefined
  const omitted = new Set(
    Array.isArray(code.sourcesOmitted) ? code.sourcesOmitted.map(String) : [],
  )
  const run = context.externalId ?? String(context.id)
  if (Object.keys(files).length === 0)
    return `run ${run} recorded no source files\n`
  const parts: string[] = []
  for (const [file, hash] of Object.entries(files)) {
    const sha256 = String(hash)
    const text = sources[sha256]
    parts.push(`── ${file} (sha256 ${sha256.slice(0, 12)}) ──`)
    if (typeof text === 'string') {
      parts.push(text.endsWith('\n') ? text.slice(0, -1) : text)
      continue
    }
    parts.push(
      omitted.has(file)
        ? '(too large to keep: over the size cap for kept sources)'
        : commit !== undefined && code.gitDirty !== true
          ? `(not kept: the run's code was committed; see it with: git show ${commit.slice(0, 12)}:${file})`
          : '(not kept)',
    )
  }
  return `${parts.join('\n')}\n`
}
