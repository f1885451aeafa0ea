import { createHash, type Hash } from 'node:crypto'
import { className } from './json-value.js'
import { isArrayBuffer } from './is-array-buffer.js'

/** Nesting past which a value is hashed by its kind only; deeper trees are rare and costly. */
const maxHashDepth = 1000

/**
 * The sha256 fingerprint of a value's content, hex. Equal content gives an equal hash,
 * whatever the object identities or key order: objects hash their own enumerable keys in
 * sorted order, Maps and Sets their entries in order, typed arrays and Buffers their bytes,
 * class instances their class name and fields. Cycles hash as back-references, so they end.
 * Nothing is truncated: a large value costs time in proportion to its size, which is why
 * Lore hashes off the caller's path.
 *
 * @example
 * hashValue({ b: 1, a: [1, 2] }) === hashValue({ a: [1, 2], b: 1 }) // true
 */
export function hashValue(value: unknown): string {
  const hash = createHash('sha256')
  const seen = new Map<object, number>()
  feed(hash, value, seen, 0)
  return hash.digest('hex')
}

function tag(hash: Hash, text: string): void {
  hash.update(`${text.length}:${text};`)
}

function feed(
  hash: Hash,
  value: unknown,
  seen: Map<object, number>,
  depth: number,
): void {
  switch (typeof value) {
    case 'string':
      tag(hash, 's')
      tag(hash, value)
      return
    case 'number':
      tag(hash, `n${Object.is(value, -0) ? '-0' : String(value)}`)
      return
    case 'bigint':
      tag(hash, `b${value.toString()}`)
      return
    case 'boolean':
      tag(hash, value ? 't' : 'f')
      return
    case 'undefined':
      tag(hash, 'u')
      return
    case 'symbol':
      tag(hash, `y${value.description ?? ''}`)
      return
    case 'function':
      tag(hash, `F${value.name}`)
      return
  }
  if (value === null) {
    tag(hash, 'z')
    return
  }
  const object = value as object
  const back = seen.get(object)
  if (back !== undefined) {
    tag(hash, `r${back}`)
    return
  }
  seen.set(object, seen.size)
  if (depth >= maxHashDepth) {
    tag(hash, `deep:${className(object)}`)
    return
  }
  try {
    feedObject(hash, object, seen, depth)
  } catch (error) {
    tag(hash, `unreadable:${String(error)}`)
  }
}

function feedObject(
  hash: Hash,
  object: object,
  seen: Map<object, number>,
  depth: number,
): void {
  const next = depth + 1
  if (Array.isArray(object)) {
    tag(hash, `a${object.length}`)
    for (const item of object) feed(hash, item, seen, next)
    return
  }
  if (ArrayBuffer.isView(object)) {
    tag(hash, `v${className(object)}:${object.byteLength}`)
    hash.update(
      new Uint8Array(object.buffer, object.byteOffset, object.byteLength),
    )
    return
  }
  if (isArrayBuffer(object)) {
    tag(hash, `B${object.byteLength}`)
    hash.update(new Uint8Array(object))
    return
  }
  if (object instanceof Date) {
    tag(hash, `d${object.getTime()}`)
    return
  }
  if (object instanceof RegExp) {
    tag(hash, `x${String(object)}`)
    return
  }
  if (object instanceof Map) {
    tag(hash, `m${object.size}`)
    for (const [key, item] of object) {
      feed(hash, key, seen, next)
      feed(hash, item, seen, next)
    }
    return
  }
  if (object instanceof Set) {
    tag(hash, `S${object.size}`)
    for (const item of object) feed(hash, item, seen, next)
    return
  }
  if (object instanceof Error) {
    tag(hash, `e${object.name}`)
    tag(hash, object.message)
    return
  }
  const keys = Object.keys(object).sort()
  tag(hash, `o${className(object)}:${keys.length}`)
  for (const key of keys) {
    tag(hash, key)
    feed(hash, (object as Record<string, unknown>)[key], seen, next)
  }
}
