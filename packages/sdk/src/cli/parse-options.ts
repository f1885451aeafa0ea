import { InvalidArgumentError } from 'commander'

/** Commander's parser for a positive integer option. */
export function positiveInteger(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError(
      `expected a positive integer, got '${value}'`,
    )
  return number
}

/** Commander's parser for a non-negative integer option. */
export function nonNegativeInteger(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'`)
  return number
}

/** How every command that takes a run says what it accepts. */
export const runReferenceHelp =
  'a run id or a unique prefix of one, or e:<id> / a:<id> of one of its step calls or artifacts (the ids lore show prints)'
