import type { ArtifactInput, EventType, PutExecutionRequest } from '@lore/store'
import { ArtifactHandle } from '../artifact/artifact-handle.js'
import type { ResolvedCaptureLimits } from '../capture/capture-limits.js'
import type {
  IdentityTracker,
  TrackedArtifact,
} from '../capture/identity-tracker.js'
import type { JsonValue } from '../capture/json-value.js'
import type { Redactor } from '../capture/redact.js'
import type { ValuePath } from '../capture/safe-serialize.js'
import {
  artifactIdentity,
  describeArtifact,
  describeValue,
} from './describe-artifact.js'

type Pair = PutExecutionRequest['artifactEventPairs'] extends
  (infer P)[] | undefined
  ? P
  : never

/** What naming an artifact needs from the recorder: what this store already has. */
export interface ArtifactMemory {
  tracker: IdentityTracker
  /** True once an artifact (a handle or a tracked artifact) was sent in full to this store. */
  isWritten(key: object): boolean
  markWritten(key: object): void
  /** The store's id of an artifact, once a write of it came back. */
  storedId(key: object): number | undefined
}

/**
 * The artifacts one execution read and wrote, as `putExecution` pairs with their events, in
 * the making: each reference is described (hashed) at most once per store, then named by id.
 */
export class ArtifactReferences {
  readonly pairs: Pair[] = []
  /** The handle or tracked artifact behind each pair, in order. */
  readonly keys: object[] = []
  readonly types = new Set<string>()
  readonly #memory: ArtifactMemory
  readonly #options: { limits: ResolvedCaptureLimits; redact: Redactor }
  readonly #pending: Promise<void>[] = []
  /** `externalId:eventType` of the pairs so far: the store keeps one event of each. */
  readonly #linked = new Set<string>()

  constructor(
    memory: ArtifactMemory,
    options: { limits: ResolvedCaptureLimits; redact: Redactor },
  ) {
    this.#memory = memory
    this.#options = options
  }

  /** Link an artifact handle (a file is hashed first, to know its id). */
  handle(
    handle: ArtifactHandle,
    event: EventType,
    path: (string | number)[],
  ): void {
    this.#pending.push(
      artifactIdentity(handle).then(({ externalId }) =>
        this.#add(
          handle,
          () => describeArtifact(handle, this.#options),
          handle.type,
          externalId,
          event,
          path,
        ),
      ),
    )
  }

  /** Link a tracked artifact; `value` is described if this store has not seen it yet. */
  tracked(
    tracked: TrackedArtifact,
    value: unknown,
    event: EventType,
    path: (string | number)[],
  ): void {
    this.#pending.push(
      this.#add(
        tracked,
        () => {
          const record = describeValue(value, tracked, this.#options)
          tracked.fingerprint = record.fingerprint
          return record
        },
        tracked.type,
        tracked.externalId,
        event,
        path,
      ),
    )
  }

  /**
   * A `replace` hook for `toJsonSafe`: handles and tracked values found anywhere in a value
   * become references (and events at their path under `base`).
   */
  replacer(event: EventType, base: (string | number)[]) {
    return (value: object, path: ValuePath): JsonValue | undefined => {
      const at = [...base, ...path]
      if (value instanceof ArtifactHandle) {
        this.handle(value, event, at)
        return { $artifact: value.externalId }
      }
      const tracked = this.#memory.tracker.get(value)
      if (tracked === undefined) return undefined
      if (tracked.kind === 'part') {
        // A part is read as the artifact it came from; that artifact was written with it.
        this.tracked(tracked.of, undefined, event, at)
        return { $artifact: tracked.of.externalId }
      }
      if (tracked.kind === 'artifact') {
        this.tracked(tracked, value, event, at)
        return { $artifact: tracked.externalId }
      }
      for (const [field, artifact] of tracked.fields)
        this.tracked(
          artifact,
          (value as Record<string, unknown>)[field],
          event,
          [...at, field],
        )
      return {
        $artifacts: tracked.fields.map(([, artifact]) => artifact.externalId),
      }
    }
  }

  /** Queue other work (a large value's hashing) to finish with the references. */
  defer(work: Promise<void>): void {
    this.#pending.push(work)
  }

  /** Wait for every reference to be described. */
  async settle(): Promise<void> {
    while (this.#pending.length > 0) await Promise.all(this.#pending.splice(0))
  }

  async #add(
    key: object,
    record: () => ArtifactInput | Promise<ArtifactInput>,
    type: string,
    externalId: string,
    event: EventType,
    path: (string | number)[],
  ): Promise<void> {
    this.types.add(type)
    // An event is unique by artifact, execution and type (MLMD's rule): an artifact met
    // again on the same side (two arguments, two output fields) keeps its first path.
    const link = `${externalId}:${event}`
    if (this.#linked.has(link)) return
    this.#linked.add(link)
    // An artifact already stored is named by its id alone, which the store checks once per
    // batch. One sent but not yet confirmed is named by external id and type: its record is
    // not rewritten, and if its first write was lost the type still lets the store create it.
    const written = this.#memory.isWritten(key)
    this.#memory.markWritten(key)
    const id = written ? this.#memory.storedId(key) : undefined
    const artifact =
      id !== undefined
        ? { id }
        : written
          ? { externalId, type }
          : await record()
    this.pairs.push({ artifact, event: { type: event, path } })
    this.keys.push(key)
  }
}
