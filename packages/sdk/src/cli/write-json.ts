import type { CliIo } from './cli-io.js'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { toJSON?: unknown }).toJSON !== 'function'

function* arrayChunks(items: readonly unknown[]): Generator<string> {
  yield '['
  for (const [index, item] of items.entries())
    yield `${index === 0 ? '\n' : ',\n'}${JSON.stringify(item) ?? 'null'}`
  yield items.length === 0 ? ']' : '\n]'
}

/**
 * A value as compact JSON in pieces: a top-level array one element per line, a top-level
 * object one property at a time with its array properties one element per line. The pieces
 * join to one valid JSON document (`JSON.parse` reads it, `jq` too), while a list of ten
 * thousand runs or steps is never held as one string, and a reader sees the first lines at
 * once.
 *
 * @example
 * [...jsonChunks({ run: 'r', steps: [1, 2] })].join('') // '{"run":"r","steps":[\n1,\n2\n]}\n'
 */
export function* jsonChunks(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield* arrayChunks(value)
  } else if (isRecord(value)) {
    yield '{'
    let first = true
    for (const [key, property] of Object.entries(value)) {
      if (property === undefined || typeof property === 'function') continue
      yield `${first ? '' : ','}${JSON.stringify(key)}:`
      first = false
      if (Array.isArray(property)) yield* arrayChunks(property)
      else yield JSON.stringify(property) ?? 'null'
    }
    yield '}'
  } else {
    yield JSON.stringify(value) ?? 'null'
  }
  yield '\n'
}

/**
 * Print `value` as compact JSON on `io.stdout`, in pieces (see {@link jsonChunks}): what
 * every `--json` prints.
 *
 * @example
 * writeJson(context.io, runs)
 */
export function writeJson(io: CliIo, value: unknown): void {
  // Pieces are batched to about 64 KiB, a pipe's buffer: few writes, none of them huge.
  let buffer = ''
  for (const chunk of jsonChunks(value)) {
    buffer += chunk
    if (buffer.length >= 65_536) {
      io.stdout(buffer)
      buffer = ''
    }
  }
  if (buffer.length > 0) io.stdout(buffer)
}
