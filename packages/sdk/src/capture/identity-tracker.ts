// Time-ordered (UUIDv7): ids made one after another sit side by side in the store's indexes.
import { timeOrderedId } from './time-ordered-id.js'

/** An artifact the SDK made for a value (a step's output, or a large input). */
export interface TrackedArtifact {
  readonly kind: 'artifact'
  readonly externalId: string
  readonly type: string
  readonly name: string
  /** The fingerprint taken when it was recorded; set by the recorder. */
  fingerprint?: string
}

/** A plain object a step returned, whose fields are artifacts of their own. */
export interface TrackedComposite {
  readonly kind: 'composite'
  readonly fields: readonly (readonly [string, TrackedArtifact])[]
}

/** A part of an output (an item of a returned array, a field of a row): it stands for it. */
export interface TrackedPart {
  readonly kind: 'part'
  readonly of: TrackedArtifact
}

/** What the tracker knows of a value. */
export type TrackedValue = TrackedArtifact | TrackedComposite | TrackedPart

/** Make a tracked artifact with a fresh client-made id. */
export function newTrackedArtifact(
  type: string,
  name: string,
): TrackedArtifact {
  return {
    kind: 'artifact',
    externalId: `artifact:${timeOrderedId()}`,
    type,
    name,
  }
}

/**
 * Remembers, by object identity, which artifact a value is: passing one step's output to
 * another step links the two with no annotation. Entries are weak: a value the program
 * drops is forgotten with it, so tracking never keeps data alive.
 *
 * @example
 * identityTracker.get(split.train) // { kind: 'artifact', name: 'split.train', … }
 */
export class IdentityTracker {
  readonly #values = new WeakMap<object, TrackedValue>()

  get(value: unknown): TrackedValue | undefined {
    if (
      (typeof value !== 'object' && typeof value !== 'function') ||
      value === null
    )
      return undefined
    return this.#values.get(value)
  }

  set(value: object, tracked: TrackedValue): void {
    this.#values.set(value, tracked)
  }
}

/** The tracker every recorder shares: identity is a property of the process. */
export const identityTracker = new IdentityTracker()
