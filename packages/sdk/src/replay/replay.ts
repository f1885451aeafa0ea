import { existsSync, statSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { readableNodeName, LoreError, type MetadataStore } from '@lore/store'
import type { JsonValue } from '../capture/json-value.js'
import { redactedMarker } from '../capture/redact.js'
import { compareRuns, type RunComparison } from '../compare/compare-runs.js'
import { findRun } from '../query/find-run.js'
import { recorderFor } from '../recorder/recorder-registry.js'
import { gitInfo } from '../reproducibility/git-info.js'
import { getRunDetails } from '../query/run-details.js'
import { checkRunFiles, type RunFile } from '../query/check-files.js'
import { checkOverrides } from './check-overrides.js'
import { applyOverrides } from './config-overrides.js'
import { loadPipeline } from './load-pipeline.js'
import { recordedRun, type RecordedRun } from './recorded-run.js'
import {
  replayDifferences,
  type ReplayDifference,
} from './replay-differences.js'
import { reusePlan } from './reuse-plan.js'

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** The store the original run is in; the replay is recorded there too. @default the configured store */
  store?: string | MetadataStore
  /** Config values to change, by dotted path; the replay is then not faithful. */
  set?: Readonly<Record<string, JsonValue>>
  /** Run again from this step: earlier top-level steps reuse the original's outputs. */
  from?: string
  /** Say what would run and what differs, and run nothing. @default false */
  dryRun?: boolean
  /** Let `cache: true` steps reuse cached outputs. Off, so that a replay runs its steps. @default false */
  cache?: boolean
  /** Called with the plan before anything runs (the CLI prints it). */
  onPlan?: (plan: ReplayPlan) => void
}

/** What a replay is about to run. */
export interface ReplayPlan {
  original: RecordedRun
  /** The module loaded, absolute. */
  module: string
  /** The working directory the replay runs in: the original's, when it is still there. */
  cwd: string
  /** The original's input files that are no longer there: the replay refuses to run. */
  missingInputs: RunFile[]
  config: JsonValue
  faithful: boolean
  overrides: Readonly<Record<string, JsonValue>>
  from: string | undefined
  /** What differs from the original's code and environment. */
  differences: ReplayDifference[]
  /**
   * The original's top-level step calls in order, and what the replay does with each: run it
   * again, or reuse the original's outputs (the steps before `--from`).
   */
  steps: { step: string; action: 'run' | 'reuse' }[]
}

/** What {@link replay} resolves to. */
export interface ReplayResult {
  plan: ReplayPlan
  /** The replay's run id; undefined for a dry run. */
  runId?: string
  status?: 'COMPLETE' | 'FAILED'
  /** The original compared with the replay, step by step. */
  comparison?: RunComparison
}

function redactedPaths(value: JsonValue, path: string[] = []): string[] {
  if (value === redactedMarker) return [path.join('.')]
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) =>
    redactedPaths(child, [...path, key]),
  )
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Run `action` with `directory` as the process's working directory, then go back. */
async function inDirectory<T>(
  directory: string,
  action: () => Promise<T>,
): Promise<T> {
  const previous = process.cwd()
  if (directory === previous) return action()
  try {
    process.chdir(directory)
  } catch {
    // A worker thread cannot change directory: run here (the plan says where it ran).
    return action()
  }
  try {
    return await action()
  } finally {
    process.chdir(previous)
  }
}

/**
 * The error of a replay whose pipeline threw: a missing file names its path and where the
 * original ran; any other error keeps its message. The pipeline's own error is the cause.
 */
function replayFailed(
  original: RecordedRun,
  cwd: string,
  error: unknown,
): unknown {
  if (LoreError.isInstance(error)) return error
  const failure = error as NodeJS.ErrnoException | undefined
  const where = `the replay ran in ${cwd}${original.cwd === undefined || original.cwd === cwd ? ', as the original did' : `; the original ran in ${original.cwd}`}`
  if (failure?.code === 'ENOENT' && typeof failure.path === 'string')
    return new LoreError(
      'FAILED_PRECONDITION',
      `the replay of run ${original.runId} failed: ${resolve(cwd, failure.path)} does not exist (${where}); the replay is recorded as FAILED`,
      { cause: error, details: { run: original.runId, path: failure.path } },
    )
  return new LoreError(
    'FAILED_PRECONDITION',
    `the replay of run ${original.runId} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} (${where}); the replay is recorded as FAILED`,
    { cause: error, details: { run: original.runId } },
  )
}

/**
 * Run a recorded run again: load the module that defined its pipeline (TypeScript through
 * tsx), check the recorded config (with `set` applied) against the pipeline's current schema,
 * say what differs from the original's code and environment, run it as a new run linked to
 * the original (`replayOf`) with the recorded seed, and compare the two step by step.
 * A config that no longer fits throws a `LoreError` listing each issue, and runs nothing.
 *
 * @example
 * const { comparison } = await replay('8d74613b')
 * comparison?.verdict // 'reproduced'
 */
export async function replay(
  runReference: string,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const store =
    typeof options.store === 'object'
      ? options.store
      : await recorderFor(options.store).store()
  const location =
    typeof options.store === 'string' ? options.store : 'the store'
  const context = await findRun(store, runReference, location)
  const original = recordedRun(context)
  if (original.module === undefined)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `run ${original.runId} recorded no entry module (an ad-hoc run?); only pipeline runs can be replayed`,
      { details: { run: original.runId } },
    )
  const here = (await gitInfo(process.cwd())).root ?? process.cwd()
  // The recorded root first: a replay started from another folder finds the same files.
  const root =
    original.root !== undefined &&
    !isAbsolute(original.module) &&
    existsSync(join(original.root, original.module))
      ? original.root
      : here
  const module = isAbsolute(original.module)
    ? original.module
    : join(root, original.module)
  const cwd =
    original.cwd !== undefined && isDirectory(original.cwd)
      ? original.cwd
      : process.cwd()
  const overrides = options.set ?? {}
  const config = applyOverrides(original.config, overrides)
  const redacted = redactedPaths(config)
  if (redacted.length > 0)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `run ${original.runId}'s config hid ${redacted.join(', ')} when it was recorded; give the value with --set ${redacted[0]}=<value>`,
      { details: { run: original.runId, redacted } },
    )
  const faithful = Object.keys(overrides).every((path) =>
    redactedPaths(original.config).includes(path),
  )
  const differences = await replayDifferences(original, root, module)
  if (original.cwd !== undefined && original.cwd !== cwd)
    differences.push({
      what: 'working directory',
      recorded: original.cwd,
      current: `${cwd} (the original's is not here)`,
    })
  const inputs = (await checkRunFiles(store, context)).filter(
    (file) => file.role === 'input',
  )
  for (const file of inputs)
    if (file.status === 'changed' || file.status === 'missing')
      differences.push({
        what: 'input file',
        file: file.path,
        recorded: (file.recorded ?? 'unknown').slice(0, 12),
        current:
          file.current === undefined ? 'missing' : file.current.slice(0, 12),
      })
  const missingInputs = inputs.filter((file) => file.status === 'missing')
  const moduleChanged = differences.some(
    (difference) =>
      difference.what === 'source file' &&
      difference.file !== undefined &&
      (isAbsolute(difference.file)
        ? difference.file
        : join(root, difference.file)) === module,
  )
  const pipeline = await inDirectory(cwd, () =>
    loadPipeline(module, original.exportName, original.pipeline, {
      replay: { changed: moduleChanged, gitCommit: original.gitCommit },
    }),
  )
  const schema = pipeline.configSchema
  checkOverrides(schema, pipeline.name, original.config, overrides)
  if (schema !== undefined) {
    const parsed = schema.safeParse(config)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.map((part) =>
          typeof part === 'symbol' ? String(part) : part,
        ),
        code: issue.code,
        message: `config.${issue.path.join('.')}: ${issue.message}`,
      }))
      throw new LoreError(
        'FAILED_PRECONDITION',
        `run ${original.runId}'s config no longer fits pipeline '${pipeline.name}' (${issues.length} issue${issues.length === 1 ? '' : 's'}); nothing was run:\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}\nchange it with --set key=value`,
        { issues, details: { run: original.runId } },
      )
    }
  }
  const topLevel = (await getRunDetails(store, context)).steps.map(
    (node) => readableNodeName(node.execution.name) ?? node.execution.type,
  )
  const fromIndex =
    options.from === undefined ? 0 : topLevel.indexOf(options.from)
  const plan: ReplayPlan = {
    original,
    module,
    cwd,
    missingInputs,
    config,
    faithful,
    overrides,
    from: options.from,
    differences,
    steps: topLevel.map((step, index) => ({
      step,
      action: index < fromIndex ? 'reuse' : 'run',
    })),
  }
  // Checked before the plan is shown, so a dry run refuses a --from the replay would refuse.
  const reuse =
    options.from === undefined
      ? undefined
      : await reusePlan(store, context, options.from)
  options.onPlan?.(plan)
  if (options.dryRun === true) return { plan }
  const [missing] = missingInputs
  if (missing !== undefined)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `cannot replay run ${original.runId}: its input file ${missing.path} (read by ${missing.steps.join(', ')}) is missing${
        missingInputs.length > 1
          ? ` (and ${missingInputs.length - 1} more: ${missingInputs
              .slice(1)
              .map((file) => file.path)
              .join(', ')})`
          : ''
      }; the original read it with sha256 ${(missing.recorded ?? 'unknown').slice(0, 12)}; put it back, or replay where it is`,
      {
        details: {
          run: original.runId,
          missing: missingInputs.map((file) => file.path),
        },
      },
    )
  const { runId, status } = await inDirectory(cwd, () =>
    pipeline
      .run(config, {
        ...(options.store === undefined ? {} : { store: options.store }),
        cache: options.cache ?? false,
        ...(original.seed === undefined ? {} : { seed: original.seed }),
        replay: {
          of: original.runId,
          faithful,
          overrides,
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(reuse === undefined ? {} : { reuse }),
        },
      })
      .catch((error: unknown) => {
        throw replayFailed(original, cwd, error)
      }),
  )
  const comparison = await compareRuns(
    store,
    context,
    await findRun(store, runId, location),
  )
  return { plan, runId, status, comparison }
}
