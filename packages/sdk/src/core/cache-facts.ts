import type { JsonValue } from '../capture/json-value.js'

/** What a step's cache key is made of; stored with the execution so a miss can be explained. */
export interface CacheKeyParts {
  /** The step's name and execution type. */
  step: string
  /** The step's version label, or null. */
  version: string | null
  /**
   * The step's code fingerprint: its function's source and the local modules it imports
   * (see `stepCode`); null in records made before it was kept.
   */
  source: string | null
  /** What `source` is made of: the function's own part and each local module's sha256. */
  code?: { own: string; modules: Record<string, string> }
  /** Small JSON arguments by name (secret-looking ones as `[REDACTED]`, left out of the key). */
  params: Record<string, JsonValue>
  /** Fingerprints of the other arguments: files, directories, earlier steps' outputs. */
  inputs: Record<string, string>
}

/** The cache facts of an execution (its `cache` custom property), as recorded. */
export interface CacheFacts {
  key?: string
  parts?: CacheKeyParts
  /** External id of the execution whose outputs a hit reused. */
  reused?: string
  /** Why a lookup missed. */
  miss?: string
  /** True when caching was off for the run (`--no-cache`, `cache: false`, an ad-hoc run). */
  off?: boolean
  /** Set on the steps `replay --from` reused from the original run. */
  replayedFrom?: string
}
