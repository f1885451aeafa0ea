import { LoreError } from '@lore/store'
import { joinRun } from './joined-run.js'
import { parseRunLink, runLinkVariable, type RunLink } from './run-link.js'
import { runStorage } from '../core/run-frame.js'

/**
 * The {@link RunLink} of the calling code's run and step, to hand to another process (or
 * keep for {@link withRun}); undefined outside any run.
 *
 * @example
 * const link = currentRunLink()
 */
export function currentRunLink(): RunLink | undefined {
  const frame = runStorage.getStore()
  if (frame === undefined) return undefined
  const { run } = frame
  const link: RunLink = {
    runId: run.id,
    pipeline: run.pipeline.name,
    seed: run.seed,
  }
  // A recorder made for a store object without a url has none to hand on: the child then
  // records to its own default store.
  if (run.recorder.location.includes(':')) link.store = run.recorder.location
  if (frame.parentId !== undefined) link.parentId = frame.parentId
  return link
}

/**
 * The environment for a child process whose steps should join the calling code's run:
 * `environment` plus `LORE_PARENT` (the {@link RunLink}) and `LORE_STORE` (the run's store).
 * Outside any run, `environment` unchanged. Pass it to `fork`, `spawn` or a worker.
 *
 * @example
 * const train = step(async function train(rows) {
 *   await execa('tsx', ['train.ts'], { env: runContextEnv() })
 * })
 */
export function runContextEnv(
  environment: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const link = currentRunLink()
  if (link === undefined) return { ...environment }
  return {
    ...environment,
    [runLinkVariable]: JSON.stringify(link),
    ...(link.store === undefined ? {} : { LORE_STORE: link.store }),
  }
}

/**
 * Call `fn` inside the run (and under the step) that `link` names — a {@link RunLink}, or its
 * JSON text as found in `LORE_PARENT` — so the steps it calls are recorded in that run, even
 * though it belongs to another process. Resolves with `fn`'s result once their records are
 * written; the run's own record (status, end) stays its owner's. Steps called outside any
 * run in a process started with `LORE_PARENT` join that run by themselves.
 *
 * @example
 * await withRun(process.env.LORE_PARENT!, () => trainModel(rows))
 */
export async function withRun<T>(
  link: RunLink | string,
  fn: () => T | Promise<T>,
): Promise<T> {
  const parsed = typeof link === 'string' ? parseRunLink(link) : link
  if (!parsed.runId)
    throw new LoreError(
      'INVALID_ARGUMENT',
      `withRun needs a run link with a runId; get one with currentRunLink() or from ${runLinkVariable}`,
    )
  const run = joinRun(parsed)
  try {
    return await runStorage.run({ run, parentId: parsed.parentId }, fn)
  } finally {
    await run.recorder.flush()
  }
}
