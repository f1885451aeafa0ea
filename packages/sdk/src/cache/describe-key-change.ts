import { hashValue } from '../capture/hash-value.js'
import type { CacheKeyParts } from './cache-key.js'

const short = (text: string | null | undefined): string =>
  text === null || text === undefined ? 'none' : text.slice(0, 12)

const show = (value: unknown): string =>
  value === undefined ? 'absent' : JSON.stringify(value)

function codeChanges(before: CacheKeyParts, now: CacheKeyParts): string[] {
  if (before.code === undefined || now.code === undefined)
    return [
      `code changed (fingerprint ${short(before.source)} → ${short(now.source)})`,
    ]
  const changes: string[] = []
  if (before.code.own !== now.code.own)
    changes.push(
      `its own source changed (sha256 ${short(before.code.own)} → ${short(now.code.own)})`,
    )
  const modules = new Set([
    ...Object.keys(before.code.modules),
    ...Object.keys(now.code.modules),
  ])
  for (const module of [...modules].sort()) {
    const old = before.code.modules[module]
    const current = now.code.modules[module]
    if (old !== current)
      changes.push(
        old === undefined
          ? `imports a local module it did not: ${module}`
          : current === undefined
            ? `no longer imports ${module}`
            : `local module ${module} changed (sha256 ${short(old)} → ${short(current)})`,
      )
  }
  return changes
}

/**
 * Which parts of a cache key differ from an earlier one, as readable phrases: the step's
 * version, its source file, each parameter (old → new) and each input fingerprint.
 *
 * @example
 * describeKeyChange(before, now) // ['parameter maxDepth: 5 → 3']
 */
export function describeKeyChange(
  before: CacheKeyParts,
  now: CacheKeyParts,
): string[] {
  const changes: string[] = []
  if (before.version !== now.version)
    changes.push(`version: ${show(before.version)} → ${show(now.version)}`)
  if (before.source !== now.source) changes.push(...codeChanges(before, now))
  const names = new Set([
    ...Object.keys(before.params),
    ...Object.keys(now.params),
  ])
  for (const name of [...names].sort())
    if (hashValue(before.params[name]) !== hashValue(now.params[name]))
      changes.push(
        `parameter ${name}: ${show(before.params[name])} → ${show(now.params[name])}`,
      )
  const inputs = new Set([
    ...Object.keys(before.inputs),
    ...Object.keys(now.inputs),
  ])
  for (const name of [...inputs].sort())
    if (before.inputs[name] !== now.inputs[name])
      changes.push(
        `input ${name}: fingerprint ${short(before.inputs[name])} → ${short(now.inputs[name])}`,
      )
  return changes
}
