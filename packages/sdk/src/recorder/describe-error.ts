import { redactText } from '../capture/redact-text.js'
import { textOf } from '../capture/text-of.js'
import { fitText } from './property-value.js'

/** An error as an execution records it. */
export interface DescribedError {
  name: string
  message: string
  stack?: string
}

/**
 * An error as an execution records it: name, message and stack, cut to the store's limits.
 * Anything thrown that is not an Error is recorded as a `NonError` with its JSON or text.
 *
 * @example
 * describeError(new RangeError('empty')) // { name: 'RangeError', message: 'empty', stack: '…' }
 */
export function describeError(error: unknown): DescribedError {
  try {
    if (error instanceof Error) {
      const described: DescribedError = {
        name: fitText(textOf(error.name), 1000),
        message: fitText(redactText(textOf(error.message))),
      }
      const stack: unknown = error.stack
      if (typeof stack === 'string')
        described.stack = fitText(redactText(stack))
      return described
    }
  } catch {
    // an Error-like value whose fields throw: described as a NonError below
  }
  let message: string
  try {
    message =
      typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? textOf(error))
  } catch {
    message = textOf(error)
  }
  return { name: 'NonError', message: fitText(redactText(message)) }
}
