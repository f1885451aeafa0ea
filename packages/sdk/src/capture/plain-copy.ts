import type { ResolvedCaptureLimits } from './capture-limits.js'

/**
 * A copy of plain data (plain objects, arrays, strings, numbers, booleans, null, undefined)
 * taken in a few microseconds, to be turned back into objects later, off the caller's path.
 *
 * A call's parameters must be snapshotted before the user's function runs, but a JSON-safe
 * tree of ~90 small objects kept until the recorder writes it costs the caller more in
 * garbage collection than taking it, and `JSON.stringify` spends most of its time printing
 * numbers. A copy is a run of entries in a shared block of typed arrays instead: the shape in
 * bytes, the numbers unboxed, the strings by reference (they cannot change). A block is
 * freed by the garbage collector once no copy in it is kept, so no copy ever has to be
 * released.
 */
export interface PlainCopy {
  readonly block: Block
  readonly start: number
}

/** What an object in the copied value may be: a step's artifact makes the copy give up. */
export type IsTracked = (object: object) => boolean

const enum Kind {
  Number,
  String,
  True,
  False,
  Null,
  Undefined,
  Array,
  Object,
}

const blockEntries = 16_384

class Block {
  readonly kinds = new Uint8Array(blockEntries)
  // A number's value, an array's length or an object's key count, by entry.
  readonly numbers = new Float64Array(blockEntries)
  // A string's value, by entry.
  readonly strings = new Array<string | undefined>(blockEntries)
  // The key an object's item has, by the item's entry.
  readonly keys = new Array<string | undefined>(blockEntries)
  used = 0
}

let current = new Block()

/** Why a walk stopped: the value is not plain data, or does not fit the limits or a block. */
const notPlain = Symbol('not plain')

class Copier {
  block = current
  at = 0
  limits!: ResolvedCaptureLimits
  isTracked: IsTracked = never
  // The serialiser's preview budget, so that a copy never holds what a preview would cut.
  budget = 0
  // A getter or a Proxy trap read during a copy may call a step, which copies too.
  busy = false

  walk(value: unknown, key: string | undefined, depth: number): void {
    const at = this.at++
    if (at >= blockEntries) throw notPlain
    const block = this.block
    block.keys[at] = key
    switch (typeof value) {
      case 'number':
        block.kinds[at] = Kind.Number
        block.numbers[at] = value
        this.budget -= 8
        return
      case 'string':
        if (value.length > this.limits.maxStringLength) throw notPlain
        block.kinds[at] = Kind.String
        block.strings[at] = value
        this.budget -= value.length
        return
      case 'boolean':
        block.kinds[at] = value ? Kind.True : Kind.False
        this.budget -= 5
        return
      case 'undefined':
        block.kinds[at] = Kind.Undefined
        return
      case 'object':
        if (value === null) {
          block.kinds[at] = Kind.Null
          return
        }
        break
      default:
        throw notPlain
    }
    if (depth >= this.limits.maxDepth || this.budget <= 0) throw notPlain
    if (this.isTracked(value)) throw notPlain
    if (Array.isArray(value)) {
      const length = value.length
      if (length > this.limits.maxItems) throw notPlain
      block.kinds[at] = Kind.Array
      block.numbers[at] = length
      for (let index = 0; index < length; index++)
        this.walk((value as unknown[])[index], undefined, depth + 1)
      return
    }
    const prototype = Object.getPrototypeOf(value) as unknown
    if (prototype !== Object.prototype && prototype !== null) throw notPlain
    // for…in makes no key list; the keys are own ones, as copyPlain checked that no object
    // prototype has enumerable keys.
    const maxKeys = this.limits.maxKeys
    let count = 0
    for (const name in value) {
      if (++count > maxKeys) throw notPlain
      this.walk((value as Record<string, unknown>)[name], name, depth + 1)
    }
    block.kinds[at] = Kind.Object
    block.numbers[at] = count
  }
}

const never: IsTracked = () => false

// True when Object.prototype has an enumerable key (someone assigned to it), which for…in
// would list as an object's own.
function inheritsKeys(): boolean {
  for (const name in Object.prototype) return name !== undefined
  return false
}
const copier = new Copier()

/**
 * Copy `value` if it is plain data within `limits` holding no tracked object; `undefined`
 * otherwise (the caller then serialises it the slow way). Reads every getter once, as a
 * snapshot must; never throws.
 *
 * @example
 * const copy = copyPlain({ lr: 0.1, layers: [64, 32] }, limits, isTracked)
 * copy && readPlain(copy) // { lr: 0.1, layers: [64, 32] }
 */
export function copyPlain(
  value: unknown,
  limits: ResolvedCaptureLimits,
  isTracked: IsTracked,
): PlainCopy | undefined {
  if (copier.busy || inheritsKeys()) return undefined
  copier.busy = true
  copier.limits = limits
  copier.isTracked = isTracked
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const block = current
      copier.block = block
      copier.at = block.used
      copier.budget = limits.maxPreviewBytes
      try {
        copier.walk(value, undefined, 0)
      } catch (error) {
        // A full block: start a new one, once, unless this value had the block to itself.
        if (error === notPlain && copier.at >= blockEntries && block.used > 0) {
          current = new Block()
          continue
        }
        return undefined
      }
      if (copier.budget < 0) return undefined
      const copy = { block, start: block.used }
      block.used = copier.at
      return copy
    }
    return undefined
  } finally {
    copier.isTracked = never
    copier.busy = false
  }
}

/**
 * The value a copy was taken of, as new plain objects.
 *
 * @example
 * readPlain(copyPlain([1, 'a'], limits, isTracked)!) // [1, 'a']
 */
export function readPlain(copy: PlainCopy): unknown {
  return read({ block: copy.block, at: copy.start })
}

function read(reader: { block: Block; at: number }): unknown {
  const { block } = reader
  const at = reader.at++
  switch (block.kinds[at] as Kind) {
    case Kind.Number:
      return block.numbers[at]
    case Kind.String:
      return block.strings[at]
    case Kind.True:
      return true
    case Kind.False:
      return false
    case Kind.Null:
      return null
    case Kind.Undefined:
      return undefined
    case Kind.Array: {
      const items: unknown[] = []
      for (let index = 0; index < block.numbers[at]!; index++)
        items.push(read(reader))
      return items
    }
    case Kind.Object: {
      const object: Record<string, unknown> = {}
      for (let index = 0; index < block.numbers[at]!; index++) {
        const key = block.keys[reader.at]!
        const item = read(reader)
        if (key === '__proto__')
          Object.defineProperty(object, key, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          })
        else object[key] = item
      }
      return object
    }
  }
}
