import type { RunState } from '../core/run-state.js'
import { runProperties, runStatusProperties } from './run-properties.js'
import type { QueueItem, RunItem } from './queue-items.js'
import type { StoreWriter } from './store-writer.js'

/**
 * Create a run's context (with its reproducibility record so far) if it is not in the store
 * yet, and remember its id: step records then name the run by id.
 */
export async function ensureRunContext(
  writer: StoreWriter,
  run: RunState,
  heartbeatIntervalMs: number,
): Promise<void> {
  // Another process owns a joined run's record; steps name its context by external id.
  if (run.joined) return
  run.contextId = await writer.writeRunStart(
    run,
    await runProperties(run, false),
    runStatusProperties(run, heartbeatIntervalMs),
  )
}

/**
 * Write one change of a run: its start, a heartbeat (its status), its end (status and the
 * completed reproducibility record) or the metric points logged on it. Throws what the store
 * throws.
 */
export async function writeRunItem(
  writer: StoreWriter,
  item: RunItem,
  heartbeatIntervalMs: number,
): Promise<void> {
  const { run } = item
  if (run.contextId === undefined) {
    await ensureRunContext(writer, run, heartbeatIntervalMs)
    if (item.phase === 'start') return
  }
  const contextId = run.contextId
  if (contextId === undefined) return
  if (item.phase === 'metrics') {
    const points = run.metrics.take({ contextId })
    if (points.length > 0) await writer.writeMetrics(points)
    return
  }
  await writer.writeRunUpdate(
    contextId,
    item.phase === 'end' ? await runProperties(run, true) : undefined,
    runStatusProperties(run, heartbeatIntervalMs),
  )
}

/**
 * What a heartbeat queues: each active run's status, and a RUNNING record of every call that
 * has been in flight for a whole interval and was not recorded as running yet.
 */
export function heartbeatItems(
  runs: Iterable<RunState>,
  intervalMs: number,
  now = performance.now(),
): QueueItem[] {
  const items: QueueItem[] = []
  for (const run of runs) {
    items.push({ kind: 'run', run, phase: 'status' })
    for (const call of run.inFlight) {
      if (call.runningRecorded || now - call.startMono < intervalMs) continue
      call.runningRecorded = true
      items.push({ kind: 'step', call, snapshot: 'RUNNING' })
    }
  }
  return items
}
