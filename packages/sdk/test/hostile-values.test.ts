import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configure, flush, pipeline, shutdown, step } from '@lore/sdk'
import { createTempStore, type TempStore } from './support/temp-store.js'

/** A value that is thrown, always the same one, so that identity can be compared. */
class Trap extends Error {}

/**
 * How to make a hostile value. fast-check inspects what it generates (and prints it when a
 * run fails), which a revoked Proxy or a throwing getter would break; so it generates recipes,
 * and each run makes its values from them.
 */
interface Recipe {
  label: string
  make(): unknown
}

const recipe = (label: string, make: () => unknown): Recipe =>
  ({
    label,
    make,
    toString: () => label,
  }) as Recipe

/** Values that break naive serialisers, getters and proxies included. */
function hostileValue(): fc.Arbitrary<Recipe> {
  const plain = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    maxDepth: 3,
  })
  const described = (label: string, make: (value: unknown) => unknown) =>
    plain.map((value) =>
      recipe(`${label} ${fc.stringify(value).slice(0, 200)}`, () =>
        make(value),
      ),
    )
  const thrown = fc.constantFrom<[string, () => unknown]>(
    ['an Error', () => new Trap('a trap')],
    ['Object.create(null)', () => Object.create(null)],
    ['a Symbol', () => Symbol('thrown')],
    ['a BigInt', () => 42n],
    ['undefined', () => undefined],
  )
  return fc.oneof(
    described('anything', (value) => value),
    fc.bigInt().map((value) => recipe(`${value}n`, () => value)),
    fc
      .constantFrom(Symbol('s'), Symbol.for('lore.hostile'), Symbol.iterator)
      .map((symbol) => recipe(String(symbol), () => symbol)),
    described('a cycle around', (value) => {
      const cycle: Record<string, unknown> = { value }
      cycle.self = cycle
      cycle.list = [cycle, [cycle]]
      return cycle
    }),
    described('frozen', (value) =>
      Object.freeze({ value, nested: Object.freeze([value]) }),
    ),
    described('null-prototype with a symbol key', (value) =>
      Object.assign(Object.create(null) as object, {
        value,
        [Symbol('key')]: value,
      }),
    ),
    thrown.map(([label, make]) =>
      recipe(`a getter throwing ${label}`, () => {
        const error = make()
        return Object.defineProperty({ visible: 1 }, 'hidden', {
          enumerable: true,
          get() {
            throw error
          },
        })
      }),
    ),
    fc.constant(
      recipe('a getter that throws when read twice', () => {
        let reads = 0
        return {
          get flaky() {
            if (++reads > 1) throw new Trap('read twice')
            return reads
          },
        }
      }),
    ),
    thrown.map(([label, make]) =>
      recipe(`a Proxy whose every trap throws ${label}`, () => {
        const error = make()
        const fail = () => {
          throw error
        }
        return new Proxy(
          {},
          {
            get: fail,
            has: fail,
            ownKeys: fail,
            getOwnPropertyDescriptor: fail,
            getPrototypeOf: fail,
          },
        )
      }),
    ),
    fc.constant(
      recipe('a revoked Proxy', () => {
        const { proxy, revoke } = Proxy.revocable({ a: 1 }, {})
        revoke()
        return proxy
      }),
    ),
    fc.constant(
      recipe('an array Proxy whose then throws', () => {
        const error = new Trap('then')
        return new Proxy([1, 2, 3], {
          get(target, key, receiver) {
            if (key === 'then') throw error
            return Reflect.get(target, key, receiver) as unknown
          },
        })
      }),
    ),
    fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => recipe(`Uint8Array(${bytes.length})`, () => bytes)),
    fc
      .float64Array({ maxLength: 16 })
      .map((numbers) =>
        recipe(`Float64Array(${numbers.length})`, () => numbers),
      ),
    fc
      .bigInt64Array({ maxLength: 8 })
      .map((numbers) =>
        recipe(`BigInt64Array(${numbers.length})`, () => numbers),
      ),
    fc.constant(
      recipe(
        'a DataView over a SharedArrayBuffer',
        () => new DataView(new SharedArrayBuffer(16)),
      ),
    ),
    fc
      .integer({ min: 10_000, max: 1_500_000 })
      .map((length) =>
        recipe(`a string of ${length} characters`, () => 'x'.repeat(length)),
      ),
    fc.constant(
      recipe('a function with a property', () =>
        Object.assign(() => 1, { extra: 2 }),
      ),
    ),
    fc.constant(
      recipe(
        'a class instance',
        () =>
          new (class Model {
            weights = new Float32Array(4)
          })(),
      ),
    ),
  )
}

type Behaviour =
  | 'returns-argument'
  | 'throws-argument'
  | 'resolves-argument'
  | 'rejects-argument'
  | 'wraps-argument'
  | 'returns-other'
  | 'yields-argument'

/** The user's function: what it does with its hostile arguments. */
function userFunction(
  behaviour: Behaviour,
  index: number,
  other: unknown,
): (...args: unknown[]) => unknown {
  const pick = (args: unknown[]) => args[index % args.length]
  switch (behaviour) {
    case 'returns-argument':
      return (...args) => pick(args)
    case 'throws-argument':
      return (...args) => {
        throw pick(args)
      }
    case 'resolves-argument':
      // Not an async function: an async one would read `then` of what it returns.
      return (...args) => Promise.resolve().then(() => [pick(args)])
    case 'rejects-argument':
      return async (...args) => {
        await Promise.resolve()
        throw pick(args)
      }
    case 'wraps-argument':
      return (...args) => ({ input: pick(args), count: args.length })
    case 'returns-other':
      return () => other
    case 'yields-argument':
      return async function* (...args: unknown[]) {
        yield pick(args)
        yield other
      }
  }
}

type Outcome =
  { kind: 'returned'; value: unknown } | { kind: 'threw'; error: unknown }

function call(fn: (...args: unknown[]) => unknown, args: unknown[]): Outcome {
  try {
    return { kind: 'returned', value: fn(...args) }
  } catch (error) {
    return { kind: 'threw', error }
  }
}

/** Settle a promise or drain an async iterator, keeping identities. */
async function settle(
  outcome: Outcome,
  behaviour: Behaviour,
): Promise<unknown> {
  if (outcome.kind === 'threw') return { threw: outcome.error }
  const value = outcome.value
  if (behaviour === 'resolves-argument' || behaviour === 'rejects-argument') {
    try {
      return { resolved: await (value as Promise<unknown>) }
    } catch (error) {
      return { rejected: error }
    }
  }
  if (behaviour === 'yields-argument') {
    const items: unknown[] = []
    try {
      // An async generator awaits what it yields: a Proxy whose `then` throws ends it.
      for await (const item of value as AsyncIterable<unknown>) items.push(item)
    } catch (error) {
      return { yielded: items, threw: error }
    }
    return { yielded: items }
  }
  return { returned: value }
}

/** Same shape, and every leaf the same by identity (Object.is). */
function sameOutcome(left: unknown, right: unknown, depth = 0): boolean {
  if (Object.is(left, right)) return true
  // The engine's own errors (reading `then` of a revoked Proxy) are new on every read.
  if (
    left instanceof TypeError &&
    right instanceof TypeError &&
    !(left instanceof Trap) &&
    left.message === right.message
  )
    return true
  if (depth > 2 || typeof left !== 'object' || typeof right !== 'object')
    return false
  if (left === null || right === null) return false
  // Only our own wrappers ({ returned }, [value], { input, count }) are compared by shape.
  if (Object.getPrototypeOf(left) !== Object.getPrototypeOf(right)) return false
  if (!(
    Array.isArray(left) || Object.getPrototypeOf(left) === Object.prototype
  ))
    return false
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  return keys.every((key) =>
    sameOutcome(
      (left as Record<string, unknown>)[key],
      (right as Record<string, unknown>)[key],
      depth + 1,
    ),
  )
}

/** A value for a failure message; a hostile one may refuse to be printed. */
function printable(value: unknown): string {
  try {
    return fc.stringify(value).slice(0, 300)
  } catch {
    return '(unprintable)'
  }
}

let temp: TempStore
const rejections: unknown[] = []
const onRejection = (reason: unknown) => rejections.push(reason)
beforeEach(async () => {
  temp = await createTempStore()
  // What users get by default: recording failures are reported, never thrown.
  configure({ store: temp.url, strict: false })
  rejections.length = 0
  process.on('unhandledRejection', onRejection)
})
afterEach(async () => {
  process.off('unhandledRejection', onRejection)
  await shutdown()
  configure({})
  await temp.cleanup()
})

describe('step(fn) given hostile values', () => {
  it('returns or throws exactly what fn does, and leaves no unhandled rejection', async () => {
    const behaviours: Behaviour[] = [
      'returns-argument',
      'throws-argument',
      'resolves-argument',
      'rejects-argument',
      'wraps-argument',
      'returns-other',
      'yields-argument',
    ]
    let calls = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileValue(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...behaviours),
        fc.nat(),
        hostileValue(),
        fc.boolean(),
        async (recipes, behaviour, index, otherRecipe, inPipeline) => {
          const args = recipes.map((made) => made.make())
          const other = otherRecipe.make()
          const bare = userFunction(behaviour, index, other)
          const expected = await settle(call(bare, args), behaviour)
          const wrapped = step(userFunction(behaviour, index, other))
          const actual = inPipeline
            ? (
                await pipeline('hostile', {}, async () =>
                  settle(call(wrapped, args), behaviour),
                ).run(undefined, { store: temp.url })
              ).result
            : await settle(call(wrapped, args), behaviour)
          calls++
          if (!sameOutcome(actual, expected))
            expect.fail(
              `${behaviour}(${recipes.join(', ')}) → ${printable(actual)}, not ${printable(expected)}`,
            )
        },
      ),
      { numRuns: 300 },
    )
    // Recording the hostile calls fails no one either: flush resolves, nothing was rejected.
    await expect(flush()).resolves.toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(rejections).toEqual([])
    expect(calls).toBeGreaterThanOrEqual(300)
    // And nothing was lost: every call is an execution in the store.
    const store = await temp.open()
    expect((await store.getExecutions()).items.length).toBe(calls)
  })
})
