import type { Context } from '@lore/store'
import type { JsonValue } from '../capture/json-value.js'

/** What a run recorded that a replay needs. */
export interface RecordedRun {
  runId: string
  pipeline: string
  config: JsonValue
  seed: number | undefined
  /** The file that defines the pipeline, relative to the repository root, and its export. */
  module: string | undefined
  exportName: string | undefined
  /** The working directory the run ran in, absolute. */
  cwd: string | undefined
  /** The repository root (or working directory) its paths are relative to, absolute. */
  root: string | undefined
  gitCommit: string | undefined
  gitDirty: boolean | undefined
  /** sha256 of the pipeline's and its steps' source files, by path from the repository root. */
  sourceFiles: Record<string, string>
  /** The sources a run from uncommitted code kept, by sha256. */
  sources: Record<string, string>
  node: string | undefined
  lockfile: { file: string; sha256: string } | undefined
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined

/**
 * Read the reproducibility record of a run's context.
 *
 * @example
 * const recorded = recordedRun(await findRun(store, id, location))
 */
export function recordedRun(context: Context): RecordedRun {
  const properties = context.properties
  const entry = record(properties.entry)
  const code = record(properties.code)
  const environment = record(properties.environment)
  const lockfile = record(environment.lockfile)
  return {
    runId: context.externalId ?? String(context.id),
    pipeline: text(properties.pipeline) ?? context.name ?? '',
    config: (properties.config ?? {}) as JsonValue,
    seed: typeof properties.seed === 'number' ? properties.seed : undefined,
    module: text(entry.module),
    exportName: text(entry.export),
    cwd: text(entry.cwd),
    root: text(entry.root),
    gitCommit: text(code.gitCommit),
    gitDirty: typeof code.gitDirty === 'boolean' ? code.gitDirty : undefined,
    sourceFiles: Object.fromEntries(
      Object.entries(record(code.sourceFiles)).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
    sources: Object.fromEntries(
      Object.entries(record(code.sources)).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
    node: text(environment.node),
    lockfile:
      text(lockfile.file) !== undefined && text(lockfile.sha256) !== undefined
        ? { file: String(lockfile.file), sha256: String(lockfile.sha256) }
        : undefined,
  }
}
