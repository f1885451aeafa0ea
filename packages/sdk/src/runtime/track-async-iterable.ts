import { runStorage, type RunFrame } from '../core/run-frame.js'
import { maxTrackedYields, type StepCall } from '../core/step-call.js'

/** How a tracked iteration reports its end: COMPLETE, or FAILED with the error. */
export type SettleCall = (
  call: StepCall,
  state: 'COMPLETE' | 'FAILED',
  error?: unknown,
) => void

type AnyIterator = {
  next(...args: unknown[]): Promise<IteratorResult<unknown>>
  return?(value?: unknown): Promise<IteratorResult<unknown>>
  throw?(error?: unknown): Promise<IteratorResult<unknown>>
}

// An iterable dropped before it finished is recorded when it is garbage-collected.
const abandoned = new FinalizationRegistry<() => void>((settle) => settle())

/** True for async generator objects and anything else with `Symbol.asyncIterator`. */
export function isAsyncIterable(
  value: unknown,
): value is AsyncIterable<unknown> {
  if (typeof value !== 'object' || value === null) return false
  try {
    return (
      typeof (value as { [Symbol.asyncIterator]?: unknown })[
        Symbol.asyncIterator
      ] === 'function'
    )
  } catch {
    // A revoked Proxy, or one whose get trap throws: not something Lore can follow.
    return false
  }
}

function define(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    configurable: true,
    writable: true,
    enumerable: false,
  })
}

/**
 * Make the execution of `call` last as long as the iteration of `iterable`: it ends when the
 * iterable is done (COMPLETE), throws (FAILED), is stopped early by `break` or `return()`
 * (COMPLETE, marked abandoned), or is garbage-collected unfinished (the same). Every `next()`
 * runs inside the step's frame, so steps called by the generator keep it as their parent.
 * The object keeps its identity and type: an async generator gets its own `next`, `return`
 * and `throw`; another async iterable its own `Symbol.asyncIterator`.
 *
 * @example
 * return trackAsyncIterable(generator, call, settle)
 */
export function trackAsyncIterable<T extends AsyncIterable<unknown>>(
  iterable: T,
  call: StepCall,
  settle: SettleCall,
): T {
  const frame: RunFrame = { run: call.run, parentId: call.id }
  call.iterated = true
  const settler = new Settler(call, settle)
  abandoned.register(iterable, abandonHandler(settler), settler)
  const end = (state: 'COMPLETE' | 'FAILED', error?: unknown): void =>
    settler.end(state, error)
  const onResult = (
    result: IteratorResult<unknown>,
  ): IteratorResult<unknown> => {
    if (result.done === true) end('COMPLETE')
    else {
      call.yieldCount++
      const value = result.value
      if (typeof value === 'object' && value !== null) {
        call.yielded ??= []
        if (call.yielded.length < maxTrackedYields) call.yielded.push(value)
      }
    }
    return result
  }
  const onError = (error: unknown): never => {
    end('FAILED', error)
    throw error
  }
  const observe = (target: object, iterator: AnyIterator): void => {
    const next = iterator.next
    const stop = iterator.return
    const raise = iterator.throw
    define(target, 'next', (...args: unknown[]) =>
      runStorage
        .run(frame, () => next.apply(iterator, args))
        .then(onResult, onError),
    )
    if (stop !== undefined)
      define(target, 'return', (value?: unknown) =>
        runStorage
          .run(frame, () => stop.call(iterator, value))
          .then((result) => {
            if (!settler.done) call.abandoned = true
            end('COMPLETE')
            return result
          }, onError),
      )
    if (raise !== undefined)
      define(target, 'throw', (error?: unknown) =>
        runStorage
          .run(frame, () => raise.call(iterator, error))
          .then(onResult, onError),
      )
  }

  const isGenerator =
    Object.prototype.toString.call(iterable) === '[object AsyncGenerator]'
  if (isGenerator) {
    observe(iterable, { ...bind(iterable as unknown as AnyIterator) })
    return iterable
  }
  const open = iterable[Symbol.asyncIterator]
  define(iterable, Symbol.asyncIterator, function (this: unknown) {
    const iterator = runStorage.run(frame, () =>
      open.call(iterable),
    ) as unknown as AnyIterator
    const wrapper: AnyIterator & { [Symbol.asyncIterator](): unknown } = {
      next: (...args) => iterator.next(...args),
      [Symbol.asyncIterator]() {
        return this
      },
    }
    if (iterator.return !== undefined)
      wrapper.return = (value) => iterator.return!(value)
    if (iterator.throw !== undefined)
      wrapper.throw = (error) => iterator.throw!(error)
    observe(wrapper, bind(iterator))
    return wrapper
  })
  return iterable
}

/**
 * The end of one tracked call, kept apart from the iterable: the finalization handler must
 * not reach the iterable, or it would never be collected.
 */
class Settler {
  done = false
  readonly #call: StepCall
  readonly #settle: SettleCall

  constructor(call: StepCall, settle: SettleCall) {
    this.#call = call
    this.#settle = settle
  }

  end(state: 'COMPLETE' | 'FAILED', error?: unknown): void {
    if (this.done) return
    this.done = true
    abandoned.unregister(this)
    this.#settle(this.#call, state, error)
  }

  abandon(): void {
    if (this.done) return
    this.#call.abandoned = true
    this.end('COMPLETE')
  }
}

function abandonHandler(settler: Settler): () => void {
  return () => settler.abandon()
}

/** The iterator's own methods, bound, read before they are replaced. */
function bind(iterator: AnyIterator): AnyIterator {
  const bound: AnyIterator = { next: iterator.next.bind(iterator) }
  if (typeof iterator.return === 'function')
    bound.return = iterator.return.bind(iterator)
  if (typeof iterator.throw === 'function')
    bound.throw = iterator.throw.bind(iterator)
  return bound
}
