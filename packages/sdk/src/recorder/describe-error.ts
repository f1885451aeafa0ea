import { redactText } from '../capture/redact-text.js'
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
  if (error instanceof Error) {
    const described: DescribedError = {
      name: fitText(error.name, 1000),
      message: fitText(redactText(String(error.message))),
    }
    if (typeof error.stack === 'string')
      described.stack = fitText(redactText(error.stack))
    return described
  }
  let message: string
  try {
    message =
      typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? String(error))
  } catch {
    message = String(error)
  }
  return { name: 'NonError', message: fitText(redactText(message)) }
}
