import { LoreError } from '@lore/store'
import { callerFile } from '../capture/caller-file.js'
import { StepDefinition } from '../core/step-definition.js'
import type { StepOptions } from '../core/step-options.js'
import { wrapStep } from '../runtime/wrap-step.js'
import { detectDecoratorMode } from './decorator-mode.js'
import { setStepMetadata } from './lore-metadata.js'

/**
 * What `@step()` returns: a method decorator that works under TC39 decorators and under
 * `experimentalDecorators`, whichever the compiler used for the file.
 */
export interface StepDecorator {
  <This, Args extends any[], Return>(
    value: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<
      This,
      (this: This, ...args: Args) => Return
    >,
  ): (this: This, ...args: Args) => Return
  (
    target: object,
    propertyKey: string | symbol,
    descriptor: PropertyDescriptor,
  ): PropertyDescriptor
}

function notAMethod(where: string): LoreError {
  return new LoreError(
    'INVALID_ARGUMENT',
    `@step() decorates methods, but was put on ${where}; wrap a plain function with step(fn) instead`,
  )
}

/**
 * Make the `@step()` decorator for `options`. The mode is read from the arguments of each
 * application (see {@link detectDecoratorMode}); the wrapped method is a step like `step(fn)`
 * makes, named after the method, with `this` kept, and carries Lore's metadata.
 *
 * @example
 * class Iris {
 *   @step({ type: 'Train' }) train(rows: number[][]) { … }
 * }
 */
export function stepDecorator(options: StepOptions): StepDecorator {
  const file = callerFile()
  const decorate = (...args: unknown[]): unknown => {
    const mode = detectDecoratorMode(args)
    if (mode === 'tc39') {
      const [method, context] = args as [
        (...values: never[]) => unknown,
        DecoratorContext,
      ]
      if (context.kind !== 'method' || typeof method !== 'function')
        throw notAMethod(`a ${context.kind} '${String(context.name)}'`)
      const name = String(context.name)
      const wrapped = wrapStep(
        method,
        new StepDefinition(method, options, file, name),
      )
      setStepMetadata(wrapped, { methodName: name, options, mode })
      return wrapped
    }
    const [, key, descriptor] = args as [
      object,
      string | symbol | undefined,
      PropertyDescriptor | undefined,
    ]
    const method = descriptor?.value as
      ((...values: never[]) => unknown) | undefined
    if (descriptor === undefined || typeof method !== 'function')
      throw notAMethod(
        key === undefined
          ? 'a class'
          : `'${String(key)}', which is not a method`,
      )
    const name = String(key)
    const wrapped = wrapStep(
      method,
      new StepDefinition(method, options, file, name),
    )
    setStepMetadata(wrapped, { methodName: name, options, mode })
    descriptor.value = wrapped
    return descriptor
  }
  return decorate as StepDecorator
}
