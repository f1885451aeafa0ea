import { CacheIndex } from '../cache/cache-index.js'
import { setRunCache } from '../cache/run-cache.js'
import type { RunOptions } from '../pipeline/pipeline-options.js'
import type { RunState } from '../core/run-state.js'
import { refuseRunWhileLoading } from './module-loading.js'
import { setReplayLink } from './replay-link.js'

/**
 * Before a pipeline run starts: remember what it replays, and read the cache index its
 * `cache: true` steps look up (unless `cache: false`, or the script was started with
 * `--no-cache`). A store that cannot be read leaves
 * the cache off for the run: every step runs, and the recorder reports the store's error.
 *
 * @example
 * await prepareRun(run, { cache: false })
 */
export async function prepareRun(
  run: RunState,
  options: RunOptions,
): Promise<void> {
  if (options.replay !== undefined) setReplayLink(run, options.replay)
  else refuseRunWhileLoading(run.pipeline.name)
  let index: CacheIndex | undefined
  // `--no-cache` on a pipeline script's command line turns the cache off too.
  if (options.cache !== false && !process.argv.includes('--no-cache')) {
    try {
      index = await CacheIndex.load(await run.recorder.store())
    } catch {
      index = undefined
    }
  }
  setRunCache(run, { index, reuse: options.replay?.reuse })
}
