import type { Value } from '@lore/store'
import { hostname } from 'node:os'
import { dirname, isAbsolute, relative } from 'node:path'
import { defaultCaptureLimits } from '../capture/capture-limits.js'
import type { JsonValue } from '../capture/json-value.js'
import { redactArgv } from '../capture/redact-argv.js'
import { createRedactor } from '../capture/redact.js'
import { redactText } from '../capture/redact-text.js'
import { toJsonSafe } from '../capture/safe-serialize.js'
import { replayProperty } from '../core/replay-info.js'
import type { RunState } from '../core/run-state.js'
import { environmentInfo } from '../reproducibility/environment-info.js'
import { findExportName } from '../reproducibility/find-export-name.js'
import { gitInfo } from '../reproducibility/git-info.js'
import { sourceText } from '../reproducibility/step-code.js'
import { toProperties } from './property-value.js'

const configLimits = {
  ...defaultCaptureLimits,
  maxItems: 1000,
  maxKeys: 1000,
  maxDepth: 20,
  maxStringLength: 10_000,
  maxPreviewBytes: 500_000,
}
const redactConfig = createRedactor()

function directoryOf(run: RunState): string {
  const file = run.pipeline.file ?? process.argv[1]
  return file === undefined ? process.cwd() : dirname(file)
}

/** Most characters of one kept source file, and of all of a run's. */
export const keptSourceLimits = { file: 128 * 1024, total: 256 * 1024 }

/**
 * The sources of a run from uncommitted code, by sha256 of the file (one copy however many
 * paths name it), secrets masked (`redactText`), within {@link keptSourceLimits}; the files
 * left out are named.
 */
function keptSources(
  sourceFiles: Record<string, string>,
  texts: Record<string, string>,
): Record<string, JsonValue> {
  const sources: Record<string, string> = {}
  const omitted: string[] = []
  let total = 0
  for (const [file, sha256] of Object.entries(sourceFiles)) {
    const text = texts[file] ?? ''
    if (sources[sha256] !== undefined) continue
    if (
      text.length > keptSourceLimits.file ||
      total + text.length > keptSourceLimits.total
    ) {
      omitted.push(file)
      continue
    }
    // A password or token written into the code stays out of the store, as everywhere else.
    sources[sha256] = redactText(text)
    total += text.length
  }
  return omitted.length === 0
    ? { sources }
    : { sources, sourcesOmitted: omitted }
}

/**
 * The reproducibility record of a run, as the typed properties of its context: pipeline,
 * config (redacted), seed, entry module and export, code version (git commit, dirty flag,
 * sha256 of the pipeline's and its steps' source files) and environment. Pass `final` at the
 * end of the run, when every step's file is known.
 *
 * @example
 * const properties = await runProperties(run, true)
 */
export async function runProperties(
  run: RunState,
  final: boolean,
): Promise<Record<string, Value>> {
  const directory = directoryOf(run)
  const git = await gitInfo(directory)
  const root = git.root ?? process.cwd()
  const show = (file: string): string => {
    const path = relative(root, file)
    return path.startsWith('..') ? file : path
  }
  const files = new Set<string>()
  if (run.pipeline.file !== undefined) files.add(run.pipeline.file)
  if (final) for (const file of run.stepFiles) files.add(file)
  const sourceFiles: Record<string, string> = {}
  const texts: Record<string, string> = {}
  for (const file of [...files].sort()) {
    const source = sourceText(file)
    if (source === undefined) continue
    sourceFiles[show(file)] = source.sha256
    texts[show(file)] = source.text
  }
  const entryFile = run.pipeline.file ?? process.argv[1]
  const entry: Record<string, JsonValue> = {}
  if (entryFile !== undefined) entry.module = show(entryFile)
  const exportName =
    run.pipeline.exportName ??
    (run.pipeline.file === undefined
      ? undefined
      : await findExportName(run.pipeline.file, {
          pipelineName: run.pipeline.name,
          className: run.pipeline.className,
        }))
  if (exportName !== undefined) entry.export = exportName
  // Only a path is shown relative to the checkout; a flag or a value is recorded as given.
  entry.argv = redactArgv(process.argv.slice(1)).map((argument) =>
    isAbsolute(argument) ? show(argument) : argument,
  )
  // Where it ran: a replay runs there again, so relative data paths still work.
  entry.cwd = process.cwd()
  entry.root = root
  const code: Record<string, JsonValue> = { sourceFiles }
  if (git.commit !== undefined) code.gitCommit = git.commit
  if (git.dirty !== undefined) code.gitDirty = git.dirty
  if (git.branch !== undefined) code.gitBranch = git.branch
  if (git.remote !== undefined) code.gitRemote = git.remote
  // Code no commit holds: keep what ran, so replay can say what differs and show --code print it.
  if (final && (git.dirty === true || git.commit === undefined))
    Object.assign(code, keptSources(sourceFiles, texts))
  const environment = await environmentInfo(directory, run.captureEnv)
  if (environment.lockfile !== undefined)
    environment.lockfile.file = show(environment.lockfile.file)
  const config = toJsonSafe(run.config, {
    limits: configLimits,
    redact: redactConfig,
  }).json
  return toProperties({
    pipeline: run.pipeline.name,
    config:
      typeof config === 'object' && config !== null
        ? config
        : { value: config },
    seed: run.seed,
    adhoc: run.adhoc,
    entry,
    code,
    environment: environment as unknown as JsonValue,
    replay: replayProperty(run.replay),
  })
}

/**
 * The status of a run as the custom properties of its context, rewritten by every heartbeat:
 * status, times, counts of steps, failed steps and dropped records, and the error if any.
 */
export function runStatusProperties(
  run: RunState,
  heartbeatIntervalMs: number,
): Record<string, Value> {
  const now = Date.now()
  return toProperties({
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs:
      run.endedAt === undefined ? undefined : run.endedAt - run.startedAt,
    heartbeatAt: now,
    heartbeatIntervalMs,
    stepCount: run.stepCount,
    failedSteps: run.failedSteps,
    droppedRecords: run.droppedRecords,
    error: run.error,
    pid: process.pid,
    host: hostname(),
  })
}
