import { createHash } from 'node:crypto'
import type { ResolvedCaptureLimits } from './capture-limits.js'
import { className, isPlainObject, type JsonValue } from './json-value.js'
import { redactedMarker, type Redactor } from './redact.js'
import { redactRecordedText, redactText } from './redact-text.js'
import { unreadable } from './unreadable.js'
import { isArrayBuffer } from './is-array-buffer.js'

/** Path of a value inside the value being serialised: keys and indexes. */
export type ValuePath = readonly (string | number)[]

/** Options of {@link toJsonSafe}. */
export interface SerializeOptions {
  limits: ResolvedCaptureLimits
  redact: Redactor
  /**
   * Called for every object before it is walked; a result other than `undefined` is recorded
   * in its place. The capture uses it to turn artifacts into `{ $artifact: … }` references.
   */
  replace?: (value: object, path: ValuePath) => JsonValue | undefined
}

/** What {@link toJsonSafe} returns. */
export interface SerializeResult {
  json: JsonValue
  /** True when anything was cut to fit the limits. */
  truncated: boolean
}

const typedArrayName = (value: ArrayBufferView): string => className(value)

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * Set a key of a copy. A `__proto__` key (from `JSON.parse`, say) is defined as an own
 * property: assigned, it would set the copy's prototype and the key would not be recorded.
 */
function setKey(
  out: { [key: string]: JsonValue },
  key: string,
  value: JsonValue,
): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  else out[key] = value
}

/**
 * Turn any value into JSON that describes it, never throwing: BigInt, Map, Set, Date, Error,
 * RegExp, typed arrays and Buffers (shape and sha256, never the bytes), class instances (their
 * `toJSON()` or own fields, with `$type`), cycles, functions, symbols, NaN and getters that
 * throw (even `throw Object.create(null)`), revoked Proxies and Proxies whose traps throw
 * (recorded as `{ $type: 'Unreadable', message }`). Strings, arrays and objects past the
 * limits are cut, with their true size recorded. Secrets are hidden: values under keys the
 * redactor names, the value of `{ name: 'password', value }` pairs and of header pairs
 * (`['Authorization', 'Bearer …']`, flat raw header lists) become `[REDACTED]`, and every
 * string (messages and stacks too) goes through {@link redactText}.
 *
 * @example
 * toJsonSafe(new Map([['a', 1n]]), options).json
 * // { $type: 'Map', size: 1, entries: [['a', { $type: 'BigInt', value: '1' }]] }
 */
export function toJsonSafe(
  value: unknown,
  options: SerializeOptions,
): SerializeResult {
  return new Serializer(options).serialize(value)
}

/**
 * Serialisations with one set of options (see {@link toJsonSafe}), one value after another:
 * the parameter snapshot serialises every argument of a call with one. A class rather than
 * closures inside the function: the capture runs on every step call, and closures made per
 * call (each wrapped in a `__name` helper by tsx and esbuild's keepNames) cost more than the
 * walk itself.
 *
 * @example
 * const serializer = new Serializer(options)
 * const [a, b] = [serializer.serialize(first).json, serializer.serialize(second).json]
 */
export class Serializer {
  readonly #limits: ResolvedCaptureLimits
  readonly #redact: Redactor
  readonly #replace: SerializeOptions['replace']
  // A stack, not a Set: it is never deeper than maxDepth, and a Set would hash every object
  // walked (a hidden field written on the user's object the first time).
  readonly #ancestors: object[] = []
  readonly #path: (string | number)[] = []
  #truncated = false
  #budget = 0

  constructor(options: SerializeOptions) {
    this.#limits = options.limits
    this.#redact = options.redact
    this.#replace = options.replace
  }

  /** Serialise `value` on its own: limits and truncation are counted per value. */
  serialize(value: unknown): SerializeResult {
    this.#truncated = false
    this.#budget = this.#limits.maxPreviewBytes
    this.#ancestors.length = 0
    this.#path.length = 0
    let json: JsonValue
    try {
      json = this.#walk(value, 0)
    } catch (error) {
      // walk catches what a value throws; this is for a bug of ours, which must not reach
      // the caller either.
      json = unreadable(error)
    }
    return { json, truncated: this.#truncated || this.#budget < 0 }
  }

  #walk(current: unknown, depth: number): JsonValue {
    const limits = this.#limits
    switch (typeof current) {
      case 'string':
        this.#budget -= current.length
        if (current.length > limits.maxStringLength) {
          this.#truncated = true
          // Redact a little past the cut, so that a secret across it is found whole.
          return {
            $type: 'String',
            length: current.length,
            head: redactText(
              current.slice(0, limits.maxStringLength + headMargin),
            ).slice(0, limits.maxStringLength),
          }
        }
        return redactRecordedText(current)
      case 'number':
        this.#budget -= 8
        return Number.isFinite(current) && !Object.is(current, -0)
          ? current
          : { $type: 'Number', value: String(current) }
      case 'boolean':
        this.#budget -= 5
        return current
      case 'bigint':
        this.#budget -= 8
        return { $type: 'BigInt', value: current.toString() }
      case 'undefined':
        return { $type: 'undefined' }
      case 'symbol':
        return {
          $type: 'Symbol',
          description:
            current.description === undefined
              ? null
              : redactText(current.description),
        }
      case 'function':
        // `name` is an own property a class may redefine as a getter that throws.
        return { $type: 'Function', name: functionName(current) }
    }
    if (current === null) return null
    const object = current as object
    try {
      if (this.#replace !== undefined) {
        const replacement = this.#replace(object, this.#path)
        if (replacement !== undefined) return replacement
      }
      if (this.#ancestors.includes(object)) return { $type: 'Circular' }
      if (this.#budget <= 0 || depth >= limits.maxDepth) {
        this.#truncated = true
        return { $type: className(object), truncated: true }
      }
    } catch (error) {
      return unreadable(error)
    }
    this.#ancestors.push(object)
    try {
      return this.#walkObject(object, depth)
    } catch (error) {
      return unreadable(error)
    } finally {
      this.#ancestors.pop()
    }
  }

  #child(key: string | number, item: unknown, depth: number): JsonValue {
    this.#path.push(key)
    try {
      return this.#walk(item, depth + 1)
    } catch (error) {
      return unreadable(error)
    } finally {
      this.#path.pop()
    }
  }

  #walkList(
    items: Iterable<unknown>,
    size: number,
    depth: number,
  ): JsonValue[] {
    const out: JsonValue[] = []
    let index = 0
    // A secret name before a value: `['Authorization', 'Bearer …']`, raw header lists.
    let secretNext = false
    for (const item of items) {
      if (index >= this.#limits.maxItems) {
        this.#truncated = true
        break
      }
      if (secretNext && item !== undefined && item !== null) {
        out.push(redactedMarker)
        secretNext = false
      } else {
        out.push(this.#child(index, item, depth))
        secretNext = index % 2 === 0 && this.#namesSecret(item)
      }
      index++
    }
    if (size > out.length) this.#truncated = true
    return out
  }

  #walkEntries(object: object, depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {}
    const keys = Object.keys(object)
    const maxKeys = this.#limits.maxKeys
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!
      if (index >= maxKeys) {
        this.#truncated = true
        out.$truncatedKeys = keys.length - maxKeys
        break
      }
      const shownKey = redactRecordedText(key)
      if (this.#redact(key)) {
        setKey(out, shownKey, redactedMarker)
        continue
      }
      let item: unknown
      try {
        item = (object as Record<string, unknown>)[key]
      } catch (error) {
        setKey(out, shownKey, unreadable(error))
        continue
      }
      if (item === undefined) continue
      setKey(
        out,
        shownKey,
        valueKeys.has(key) && this.#namesSecretPair(object, keys)
          ? redactedMarker
          : this.#child(key, item, depth),
      )
    }
    return out
  }

  #namesSecret(item: unknown): boolean {
    return (
      typeof item === 'string' &&
      item.length <= 64 &&
      !/\s/.test(item) &&
      this.#redact(item)
    )
  }

  // `{ name: 'password', value: … }`, `{ Key: 'API_KEY', Value: … }`: the value of a pair
  // whose name is secret. Read only once a `value` key is met, and never throws.
  #namesSecretPair(object: object, keys: readonly string[]): boolean {
    for (const nameKey of nameKeys) {
      if (!keys.includes(nameKey)) continue
      try {
        if (this.#namesSecret((object as Record<string, unknown>)[nameKey]))
          return true
      } catch {
        return true
      }
    }
    return false
  }

  #walkObject(object: object, depth: number): JsonValue {
    if (Array.isArray(object)) {
      const items = this.#walkList(object, object.length, depth)
      return object.length > items.length
        ? { $type: 'Array', length: object.length, items }
        : items
    }
    if (isPlainObject(object)) return this.#walkEntries(object, depth)
    if (ArrayBuffer.isView(object)) {
      const bytes = new Uint8Array(
        object.buffer,
        object.byteOffset,
        object.byteLength,
      )
      return {
        $type: typedArrayName(object),
        length: (object as unknown as { length?: number }).length ?? null,
        byteLength: object.byteLength,
        sha256: sha256(bytes),
      }
    }
    if (isArrayBuffer(object)) {
      return {
        $type: className(object),
        byteLength: object.byteLength,
        sha256: sha256(new Uint8Array(object)),
      }
    }
    if (object instanceof Date) {
      const time = object.getTime()
      return {
        $type: 'Date',
        value: Number.isNaN(time) ? 'Invalid Date' : object.toISOString(),
      }
    }
    if (object instanceof RegExp)
      return { $type: 'RegExp', value: redactText(String(object)) }
    if (object instanceof Error) {
      const error: { [key: string]: JsonValue } = { $type: className(object) }
      // Each field on its own: an error whose `stack` getter throws still has its message.
      for (const field of ['name', 'message', 'stack', 'cause'] as const) {
        try {
          const item: unknown = object[field]
          if (item !== undefined || field === 'message')
            error[field] =
              field === 'cause'
                ? this.#child(field, item, depth)
                : this.#walk(item, depth)
        } catch (thrown) {
          error[field] = unreadable(thrown)
        }
      }
      return error
    }
    if (object instanceof Map) {
      const entries = this.#walkList(
        mapEntries(object, this.#redact),
        object.size,
        depth,
      )
      return { $type: 'Map', size: object.size, entries }
    }
    if (object instanceof Set) {
      return {
        $type: 'Set',
        size: object.size,
        values: this.#walkList(object, object.size, depth),
      }
    }
    if (
      object instanceof Promise ||
      object instanceof WeakMap ||
      object instanceof WeakSet ||
      object instanceof WeakRef
    ) {
      return { $type: className(object) }
    }
    const toJSON = (object as { toJSON?: unknown }).toJSON
    const fields =
      typeof toJSON === 'function'
        ? this.#walk((toJSON as () => unknown).call(object), depth)
        : this.#walkEntries(object, depth)
    const described: { [key: string]: JsonValue } = { $type: className(object) }
    if (isJsonObject(fields)) Object.assign(described, fields)
    else described.value = fields
    return described
  }
}

/** A Map's entries as `[key, value]` pairs, a secret key's value already hidden. */
function* mapEntries(
  map: Map<unknown, unknown>,
  redact: Redactor,
): Generator<[unknown, unknown]> {
  for (const [key, item] of map)
    yield [key, typeof key === 'string' && redact(key) ? redactedMarker : item]
}

// Characters past a string's cut that are redacted with it (longer than any token format).
const headMargin = 256
const valueKeys = new Set(['value', 'Value', 'VALUE'])
const nameKeys = ['name', 'key', 'Name', 'Key', 'header', 'NAME', 'KEY']

function functionName(value: object): string {
  try {
    const name: unknown = (value as { name?: unknown }).name
    return typeof name === 'string' ? redactText(name) : ''
  } catch {
    return ''
  }
}

function isJsonObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
