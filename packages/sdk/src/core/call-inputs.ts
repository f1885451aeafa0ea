import { ArtifactHandle } from '../artifact/artifact-handle.js'
import {
  identityTracker,
  type TrackedArtifact,
  type TrackedValue,
} from '../capture/identity-tracker.js'
import type { JsonValue } from '../capture/json-value.js'
import { nameArguments } from '../capture/name-arguments.js'
import { redactedMarker } from '../capture/redact.js'
import { redactRecordedText, redactText } from '../capture/redact-text.js'
import { copyPlain, readPlain, type PlainCopy } from '../capture/plain-copy.js'
import {
  Serializer,
  type SerializeResult,
  type ValuePath,
} from '../capture/safe-serialize.js'
import { textOf } from '../capture/text-of.js'
import type { StepDefinition } from './step-definition.js'

/** An artifact found in a call's arguments, with the path it was found at. */
export type FoundReference =
  | { kind: 'handle'; handle: ArtifactHandle; path: (string | number)[] }
  | {
      kind: 'tracked'
      tracked: TrackedArtifact
      /** The value the artifact stands for, read during the snapshot; undefined for a part. */
      value: unknown
      path: (string | number)[]
    }

/** An argument too large to be a parameter: recorded as a `Value` artifact, by fingerprint. */
export interface LargeInput {
  name: string
  value: unknown
  /** What the identity tracker knew of the value when the call started. */
  known: TrackedValue | undefined
}

/**
 * What a call was given, taken once before the user's function runs: the arguments named
 * once, the parameters (small values, serialised and redacted in one pass), the artifacts
 * found inside them and the large values to fingerprint later. A function that mutates its
 * arguments is recorded with what it was given.
 */
export interface CallInputs {
  readonly named: readonly (readonly [string, unknown])[]
  readonly params: Record<string, JsonValue>
  readonly references: readonly FoundReference[]
  large: readonly LargeInput[]
  /**
   * Parameters whose JSON size is not known yet: measuring it is a second serialisation, so
   * it waits for {@link sizeInputs}, on the recorder's time (or a cached step's key).
   */
  unsized: readonly LargeInput[]
}

// What a call with nothing of a kind holds: most calls find no artifact and no large value,
// and every object a call keeps until its record is written costs the caller's path.
const none: readonly never[] = Object.freeze([])

/**
 * Move the parameters whose JSON passes `maxParamBytes` from `params` to `large` (a `Value`
 * artifact, fingerprinted). Idempotent; called off the caller's path.
 *
 * @example
 * sizeInputs(call.inputs, call.step.limits.maxParamBytes)
 */
export function sizeInputs(inputs: CallInputs, maxParamBytes: number): void {
  const unsized = inputs.unsized
  inputs.unsized = none
  for (const input of unsized) {
    const json = inputs.params[input.name]
    if (json !== undefined && JSON.stringify(json).length > maxParamBytes) {
      delete inputs.params[input.name]
      inputs.large = [...inputs.large, input]
    }
  }
}

/** True when a serialised value is nothing but artifact references (recorded as inputs). */
function onlyReferences(json: JsonValue): boolean {
  if (Array.isArray(json)) return json.length > 0 && json.every(onlyReferences)
  return (
    typeof json === 'object' &&
    json !== null &&
    ('$artifact' in json || '$artifacts' in json)
  )
}

function isCheap(value: unknown, maxStringLength: number): boolean {
  return (
    (typeof value === 'number' &&
      Number.isFinite(value) &&
      !Object.is(value, -0)) ||
    typeof value === 'boolean' ||
    (typeof value === 'string' && value.length <= maxStringLength)
  )
}

function nameOnce(
  step: StepDefinition,
  args: readonly unknown[],
): (readonly [string, unknown])[] {
  try {
    return nameArguments(args, step.parameters, step.paramKeys)
  } catch {
    // An argument that cannot be looked at (a revoked Proxy) is named by its position.
    return args.map((value, index) => [`arg${index}`, value] as const)
  }
}

/**
 * Snapshot the inputs of one call (see {@link CallInputs}). Never throws: an argument that
 * cannot be read is recorded as `{ $type: 'Unreadable' }`.
 *
 * @example
 * const inputs = snapshotInputs(definition, [rows, 0.2])
 * inputs.params // { testFraction: 0.2 }
 */
export function snapshotInputs(
  step: StepDefinition,
  args: readonly unknown[],
): CallInputs {
  const named = nameOnce(step, args)
  const inputs = new Snapshot(step, named)
  const limits = step.limits
  // One serializer and one reference finder for all the arguments of the call, made when
  // the first argument that is not its own JSON needs them.
  let finder: ReferenceFinder | undefined
  let serializer: Serializer | undefined
  for (const [name, value] of named) {
    try {
      if (step.redact(name)) {
        inputs.set(name, redactedMarker)
        continue
      }
      // The common case, kept cheap: a number, a boolean or a short string is its own JSON,
      // a string after the same redaction by value as every recorded string (cached).
      if (isCheap(value, limits.maxStringLength)) {
        inputs.set(
          name,
          typeof value === 'string'
            ? redactRecordedText(value)
            : (value as JsonValue),
        )
        continue
      }
      // Plain data is copied now and serialised when the record is written (see PlainCopy).
      const copy = copyPlain(value, limits, isArtifact)
      if (copy !== undefined) {
        inputs.defer(name, value, copy)
        continue
      }
      finder ??= new ReferenceFinder()
      serializer ??= new Serializer({
        limits,
        redact: step.redact,
        replace: finder.replace,
      })
      finder.name = name
      inputs.place(name, value, serializer.serialize(value))
    } catch (error) {
      inputs.set(name, {
        $type: 'Unreadable',
        message: redactText(textOf(error)),
      })
    }
  }
  if (finder !== undefined) inputs.references = finder.references
  return inputs
}

// `none` is shared and frozen: an input is added to a new list.
function append(
  list: readonly LargeInput[],
  input: LargeInput,
): readonly LargeInput[] {
  return list === none ? [input] : [...list, input]
}

const isArtifact = (object: object): boolean =>
  identityTracker.get(object) !== undefined

interface Deferred {
  name: string
  value: unknown
  copy: PlainCopy
}

/**
 * The {@link CallInputs} of one call. Parameters copied as plain data are serialised the
 * first time anything reads the inputs, which is the recorder (or a cached step's key).
 */
class Snapshot implements CallInputs {
  readonly named: readonly (readonly [string, unknown])[]
  references: readonly FoundReference[] = none
  readonly #step: StepDefinition
  readonly #params: Record<string, JsonValue> = {}
  #large: readonly LargeInput[] = none
  #unsized: readonly LargeInput[] = none
  #deferred: Deferred[] | undefined

  constructor(
    step: StepDefinition,
    named: readonly (readonly [string, unknown])[],
  ) {
    this.#step = step
    this.named = named
  }

  get params(): Record<string, JsonValue> {
    this.#settle()
    return this.#params
  }
  get large(): readonly LargeInput[] {
    this.#settle()
    return this.#large
  }
  set large(large: readonly LargeInput[]) {
    this.#settle()
    this.#large = large
  }
  get unsized(): readonly LargeInput[] {
    this.#settle()
    return this.#unsized
  }
  set unsized(unsized: readonly LargeInput[]) {
    this.#settle()
    this.#unsized = unsized
  }

  /** Record a parameter as it is. */
  set(name: string, json: JsonValue): void {
    this.#params[name] = json
  }

  /** Keep a copied argument's place among the parameters, to serialise it later. */
  defer(name: string, value: unknown, copy: PlainCopy): void {
    this.#params[name] = null
    ;(this.#deferred ??= []).push({ name, value, copy })
  }

  /** Record an argument's serialisation as a parameter, or as a large input. */
  place(name: string, value: unknown, serialized: SerializeResult): void {
    const json = serialized.json
    if (onlyReferences(json)) {
      delete this.#params[name]
      return
    }
    const limits = this.#step.limits
    const input = { name, value, known: identityTracker.get(value) }
    const tooLarge =
      serialized.truncated ||
      (typeof json === 'string' && json.length > limits.maxParamBytes)
    if (tooLarge) {
      delete this.#params[name]
      this.#large = append(this.#large, input)
      return
    }
    this.#params[name] = json
    if (typeof json === 'object' && json !== null)
      this.#unsized = append(this.#unsized, input)
  }

  #settle(): void {
    const deferred = this.#deferred
    if (deferred === undefined) return
    this.#deferred = undefined
    const step = this.#step
    const serializer = new Serializer({
      limits: step.limits,
      redact: step.redact,
    })
    for (const { name, value, copy } of deferred)
      this.place(name, value, serializer.serialize(readPlain(copy)))
  }
}

/**
 * The `replace` hook of a call's serialisations: artifacts found inside the argument being
 * serialised (`name`) become references. A bound method, not a closure made per argument
 * (see Serializer in safe-serialize).
 */
class ReferenceFinder {
  readonly replace: (value: object, path: ValuePath) => JsonValue | undefined
  /** The name of the argument being serialised. */
  name = ''
  /** The artifacts found so far. */
  readonly references: FoundReference[] = []

  constructor() {
    this.replace = this.#find.bind(this)
  }

  #find(object: object, path: ValuePath): JsonValue | undefined {
    // The path is copied only for an artifact found: most objects are not one.
    return object instanceof ArtifactHandle ||
      identityTracker.get(object) !== undefined
      ? findReference(object, ['inputs', this.name, ...path], this.references)
      : undefined
  }
}

/** A `replace` hook for `toJsonSafe`: artifacts found in a value become references. */
function findReference(
  value: object,
  path: (string | number)[],
  references: FoundReference[],
): JsonValue | undefined {
  if (value instanceof ArtifactHandle) {
    references.push({ kind: 'handle', handle: value, path })
    return { $artifact: value.externalId }
  }
  const tracked = identityTracker.get(value)
  if (tracked === undefined) return undefined
  if (tracked.kind === 'part') {
    // A part is read as the artifact it came from; that artifact was written with it.
    references.push({
      kind: 'tracked',
      tracked: tracked.of,
      value: undefined,
      path,
    })
    return { $artifact: tracked.of.externalId }
  }
  if (tracked.kind === 'artifact') {
    references.push({ kind: 'tracked', tracked, value, path })
    return { $artifact: tracked.externalId }
  }
  for (const [field, artifact] of tracked.fields)
    references.push({
      kind: 'tracked',
      tracked: artifact,
      value: (value as Record<string, unknown>)[field],
      path: [...path, field],
    })
  return {
    $artifacts: tracked.fields.map(([, artifact]) => artifact.externalId),
  }
}
