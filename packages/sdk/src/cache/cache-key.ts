import { createHash } from 'node:crypto'
import { ArtifactHandle } from '../artifact/artifact-handle.js'
import { DirArtifact } from '../artifact/dir-artifact.js'
import { FileArtifact } from '../artifact/file-artifact.js'
import { ValueArtifact } from '../artifact/value-artifact.js'
import { hashValue } from '../capture/hash-value.js'
import { identityTracker } from '../capture/identity-tracker.js'
import { redactedMarker } from '../capture/redact.js'
import type { CacheKeyParts } from '../core/cache-facts.js'
import type { StepCall } from '../core/step-call.js'
import { sizeInputs } from '../core/call-inputs.js'
import { hashPathSync } from './hash-path-sync.js'

export type { CacheKeyParts } from '../core/cache-facts.js'

function fingerprint(value: unknown): string {
  if (value instanceof FileArtifact || value instanceof DirArtifact)
    return hashPathSync(value.path) ?? `missing:${value.path}`
  if (value instanceof ValueArtifact) return hashValue(value.value)
  return hashValue(value)
}

/**
 * The cache key of a call and its parts: the step's identity and version, its code fingerprint
 * (its function's source and the local modules it imports), its small JSON parameters and the fingerprints of its other inputs (files are
 * hashed now: the cache decides before the step runs, on the caller's path, which is the
 * price of opting in).
 *
 * @example
 * const { key, parts } = cacheKeyOf(call)
 */
export function cacheKeyOf(call: StepCall): {
  key: string
  parts: CacheKeyParts
} {
  const step = call.step
  const parts: CacheKeyParts = {
    step: `${step.executionType}:${step.name}`,
    version: step.version ?? null,
    source: step.code.fingerprint,
    code: { own: step.code.own, modules: step.code.modules },
    params: {},
    inputs: {},
  }
  sizeInputs(call.inputs, step.limits.maxParamBytes)
  const snapshot = call.inputs.params
  for (const [name, value] of call.inputs.named) {
    if (step.redact(name)) {
      parts.params[name] = redactedMarker
      continue
    }
    if (
      value instanceof ArtifactHandle ||
      identityTracker.get(value) !== undefined
    ) {
      parts.inputs[name] = fingerprint(value)
      continue
    }
    // The snapshot serialised and redacted every small argument already; the rest (large
    // values, values made of artifacts) are fingerprinted.
    const json = snapshot[name]
    if (json !== undefined) parts.params[name] = json
    else parts.inputs[name] = fingerprint(value)
  }
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        parts.step,
        parts.version,
        parts.source,
        hashValue(parts.params),
        Object.entries(parts.inputs).sort(([a], [b]) => a.localeCompare(b)),
      ]),
    )
    .digest('hex')
  return { key, parts }
}
