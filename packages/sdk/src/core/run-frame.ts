import { AsyncLocalStorage } from 'node:async_hooks'
import type { RunState } from './run-state.js'

/** What a step call finds in AsyncLocalStorage: its run and the execution that called it. */
export interface RunFrame {
  readonly run: RunState
  /** The external id of the enclosing step call; undefined at the top of a run. */
  readonly parentId: string | undefined
}

/**
 * The one AsyncLocalStorage of the SDK. Frames hold the parent's id, not the parent call, so
 * a finished call is never kept alive by its children's continuations.
 */
export const runStorage = new AsyncLocalStorage<RunFrame>()
