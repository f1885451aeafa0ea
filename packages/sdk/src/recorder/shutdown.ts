import { endAdhocRun } from '../runtime/adhoc-run.js'
import { detachRecorders } from './recorder-registry.js'

/**
 * End the ad-hoc run, then flush and close every recorder and the stores they opened. Steps
 * recorded afterwards open them again. For tests, and for programs that switch stores.
 * In strict mode, rejects with the first recording error.
 *
 * @example
 * afterEach(() => shutdown())
 */
export async function shutdown(): Promise<void> {
  await endAdhocRun().catch(() => undefined)
  const results = await Promise.allSettled(
    detachRecorders().map((recorder) => recorder.close()),
  )
  const failed = results.find((result) => result.status === 'rejected')
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason
}
