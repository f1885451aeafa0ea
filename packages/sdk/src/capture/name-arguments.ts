import type { DeclaredParameter } from './argument-names.js'
import { isPlainObject } from './json-value.js'

/**
 * Name the arguments of one call, in this order of preference:
 * 1. the keys of the step's `params` schema (the fields of a single object argument, or the
 *    arguments by position);
 * 2. the keys of a single plain-object argument (`train({ data, epochs })`);
 * 3. the function's declared parameters (rest parameters as `rest.0`, `rest.1`…);
 * 4. `arg0`, `arg1`…
 *
 * @example
 * nameArguments([rows, 0.2], [{ name: 'rows', rest: false }, { name: 'testFraction', rest: false }])
 * // [['rows', rows], ['testFraction', 0.2]]
 */
export function nameArguments(
  args: readonly unknown[],
  declared: readonly DeclaredParameter[],
  schemaKeys?: readonly string[],
): [string, unknown][] {
  const single = args.length === 1 ? args[0] : undefined
  if (isPlainObject(single)) {
    const keys = Object.keys(single)
    if (schemaKeys !== undefined) {
      const ordered = [
        ...schemaKeys.filter((key) => key in single),
        ...keys.filter((key) => !schemaKeys.includes(key)),
      ]
      return ordered.map((key) => [key, single[key]])
    }
    return keys.map((key) => [key, single[key]])
  }
  const named: [string, unknown][] = []
  let restName: string | undefined
  // An indexed loop: this runs on every step call, and `entries()` makes an iterator and a
  // pair per argument.
  for (let index = 0; index < args.length; index++) {
    const value = args[index]
    const parameter = declared[index]
    if (parameter?.rest === true) restName = parameter.name ?? `arg${index}`
    const name =
      restName !== undefined
        ? `${restName}.${index - declared.length + 1}`
        : (schemaKeys?.[index] ?? parameter?.name ?? `arg${index}`)
    named.push([name, value])
  }
  return named
}
