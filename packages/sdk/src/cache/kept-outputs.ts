import { ArtifactHandle } from '../artifact/artifact-handle.js'
import { DirArtifact } from '../artifact/dir-artifact.js'
import { FileArtifact } from '../artifact/file-artifact.js'
import { ValueArtifact } from '../artifact/value-artifact.js'
import { artifactIdentity } from '../recorder/describe-artifact.js'
import { isSecretKey, type Redactor } from '../capture/redact.js'
import { redactRecordedText, redactText } from '../capture/redact-text.js'
import { textOf } from '../capture/text-of.js'
import {
  className,
  isPlainObject,
  type JsonValue,
} from '../capture/json-value.js'

/** Largest kept output, as JSON: outputs are kept in the store's row, not beside it. */
export const maxKeptBytes = 256 * 1024
const maxKeptNodes = 20_000

/** What a step returned, kept so that a cache hit or `replay --from` can hand it back. */
export type KeptOutputs = { kept: JsonValue } | { notKept: string }

class NotKeepable extends Error {}
/** An output that holds a secret: it is not kept, rather than kept redacted (see keepOutputs). */
class HoldsSecret extends Error {}

interface Encoding {
  nodes: number
  redact: Redactor
}

async function encode(value: unknown, budget: Encoding): Promise<JsonValue> {
  if (--budget.nodes < 0)
    throw new NotKeepable(`more than ${maxKeptNodes} values`)
  if (typeof value === 'string') {
    // The same redaction by value as every other recorded string.
    if (redactRecordedText(value) !== value)
      throw new HoldsSecret(
        'text that holds a secret (a url password, a token, a key=value pair)',
      )
    return value
  }
  if (value === null || typeof value === 'boolean') return value
  if (value === undefined) return { $undefined: true }
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value
    throw new NotKeepable(`the number ${String(value)}`)
  }
  if (value instanceof FileArtifact || value instanceof DirArtifact) {
    // The recorder hashes each handle once for its fingerprint; reuse that digest.
    const identity = await artifactIdentity(value)
    if (identity.digest === undefined)
      throw new NotKeepable(`${value.path}, which could not be read`)
    const handle: Record<string, JsonValue> = {
      path: value.path,
      type: value.type,
      sha256: identity.digest.sha256,
    }
    if (value.name !== undefined) handle.name = value.name
    if (value.version !== undefined) handle.version = value.version
    return value instanceof FileArtifact ? { $file: handle } : { $dir: handle }
  }
  if (value instanceof ValueArtifact) {
    const handle: Record<string, JsonValue> = {
      value: await encode(value.value, budget),
      type: value.type,
    }
    if (value.name !== undefined) handle.name = value.name
    return { $value: handle }
  }
  if (value instanceof ArtifactHandle)
    throw new NotKeepable(`a ${className(value)} handle`)
  if (Array.isArray(value)) {
    const items: JsonValue[] = []
    for (const item of value) items.push(await encode(item, budget))
    return items
  }
  if (isPlainObject(value)) {
    const fields: Record<string, JsonValue> = {}
    for (const [key, field] of Object.entries(value)) {
      // Keys of our own markers would be read back as handles.
      if (key.startsWith('$')) throw new NotKeepable(`a field named ${key}`)
      if (redactRecordedText(key) !== key)
        throw new HoldsSecret('a field name that is itself a secret')
      if (budget.redact(key))
        throw new HoldsSecret(`a field named ${key}, which names a secret`)
      fields[key] = await encode(field, budget)
    }
    return fields
  }
  throw new NotKeepable(`a ${className(value as object)} instance`)
}

/**
 * Encode a step's result so that it can be handed back later: JSON values as they are, file
 * and directory handles by path with their sha256 (checked again before reuse). Class
 * instances, Maps, functions and results over {@link maxKeptBytes} are not kept, with the
 * reason. Runs on the recorder's time.
 *
 * Outputs go through the same redaction as everything recorded — by key (`redact`, the
 * step's redactor) and by value — but a result that holds a secret is not kept at all rather
 * than kept redacted: a cache hit or `replay --from` would hand `[REDACTED]` back to the
 * pipeline in place of the value. The step runs again instead, and `lore explain` says why.
 *
 * @example
 * await keepOutputs({ rows: [1, 2], data: artifact.file('out.csv') })
 */
export async function keepOutputs(
  value: unknown,
  redact: Redactor = isSecretKey,
): Promise<KeptOutputs> {
  try {
    const kept = await encode(value, { nodes: maxKeptNodes, redact })
    const bytes = JSON.stringify(kept).length
    if (bytes > maxKeptBytes)
      return {
        notKept: `its outputs take ${bytes} bytes as JSON, over the ${maxKeptBytes} kept inline`,
      }
    return { kept }
  } catch (error) {
    if (error instanceof NotKeepable)
      return { notKept: `it returned ${error.message}, which cannot be kept` }
    if (error instanceof HoldsSecret)
      return {
        notKept: `it returned ${error.message}; outputs holding a secret are never stored`,
      }
    return {
      notKept: redactText(`its outputs could not be read (${textOf(error)})`),
    }
  }
}
