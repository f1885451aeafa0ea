// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from '../capture/time-ordered-id.js'

/** Options every artifact handle takes. */
export interface ArtifactOptions {
  /**
   * The artifact type: `Dataset`, `Model`, `Metrics`, `Statistics` (MLMD's base types) or a
   * name of your own. Defaults depend on the handle: `File`, `Directory` or `Value`.
   */
  type?: string
  /** A readable name; defaults to the file name, or to the step and field that made it. */
  name?: string
  /** A version label of your own (`v3`, a date). */
  version?: string
  /** Extra facts to store with the artifact (JSON-safe values). */
  properties?: Record<string, unknown>
}

/**
 * A reference to data that lives outside the store. Pass one to a step, or return one from
 * it, and the step's execution gets an INPUT or OUTPUT event to it. Each handle is one
 * artifact (one version): its fingerprint is taken the first time it is recorded.
 */
export abstract class ArtifactHandle {
  /**
   * The client-made id of this handle. A value handle is stored under it; a file or
   * directory is stored under an id made from its path and content instead (the same bytes at
   * the same place are one artifact across runs), and uses this one only if it is unreadable.
   */
  readonly externalId: string
  readonly type: string
  readonly name: string | undefined
  readonly version: string | undefined
  readonly properties: Readonly<Record<string, unknown>>

  protected constructor(defaultType: string, options: ArtifactOptions) {
    this.externalId = `artifact:${timeOrderedId()}`
    this.type = options.type ?? defaultType
    this.name = options.name
    this.version = options.version
    this.properties = Object.freeze({ ...options.properties })
  }

  /** Where the data is, as a uri (`file:///…`), if it has an address. */
  abstract get uri(): string | undefined
}
