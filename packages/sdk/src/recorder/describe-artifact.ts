import { uniqueNodeName, type ArtifactInput } from '@lore/store'
import { ArtifactHandle } from '../artifact/artifact-handle.js'
import { DirArtifact } from '../artifact/dir-artifact.js'
import { FileArtifact } from '../artifact/file-artifact.js'
import {
  hashDirectory,
  hashFile,
  type ContentDigest,
} from '../artifact/hash-file.js'
import { ValueArtifact } from '../artifact/value-artifact.js'
import type { ResolvedCaptureLimits } from '../capture/capture-limits.js'
import { describeShape } from '../capture/describe-shape.js'
import { hashValue } from '../capture/hash-value.js'
import type { Redactor } from '../capture/redact.js'
import { toJsonSafe } from '../capture/safe-serialize.js'
import { fitText, toProperties } from './property-value.js'

/** What describing an artifact needs from its step. */
export interface DescribeOptions {
  limits: ResolvedCaptureLimits
  redact: Redactor
}

/**
 * The full record of an in-memory value as an artifact: sha256 of its content, its shape and
 * a truncated, redacted preview — never the value itself.
 */
export function describeValue(
  value: unknown,
  artifact: { externalId: string; type: string; name: string | undefined },
  options: DescribeOptions,
  extra: Record<string, unknown> = {},
): ArtifactInput & { fingerprint: string } {
  const preview = toJsonSafe(value, {
    limits: {
      ...options.limits,
      maxParamBytes: options.limits.maxPreviewBytes,
    },
    redact: options.redact,
  })
  const record: ArtifactInput & { fingerprint: string } = {
    type: artifact.type,
    externalId: artifact.externalId,
    fingerprint: hashValue(value),
    state: 'LIVE',
    customProperties: toProperties({
      shape: describeShape(value),
      preview: preview.json,
      ...(preview.truncated ? { previewTruncated: true } : {}),
      ...(toJsonSafe(extra, { limits: options.limits, redact: options.redact })
        .json as Record<string, never>),
    }),
  }
  // Names are unique within a type: the readable name and the artifact's own key.
  if (artifact.name !== undefined)
    record.name = uniqueNodeName(artifact.name, artifact.externalId)
  return record
}

/** Where and what an artifact handle is, as the store will know it. */
export interface ArtifactIdentity {
  externalId: string
  digest?: ContentDigest
  /** Why the content could not be read. */
  unreadable?: string
}

const identities = new WeakMap<ArtifactHandle, Promise<ArtifactIdentity>>()

async function identify(handle: ArtifactHandle): Promise<ArtifactIdentity> {
  if (!(handle instanceof FileArtifact || handle instanceof DirArtifact))
    return { externalId: handle.externalId }
  try {
    const digest =
      handle instanceof FileArtifact
        ? await hashFile(handle.path)
        : await hashDirectory(handle.path)
    return {
      externalId: fitText(`artifact:sha256:${digest.sha256}:${handle.uri}`),
      digest,
    }
  } catch (error) {
    return {
      externalId: handle.externalId,
      unreadable: String((error as Error).message ?? error),
    }
  }
}

/**
 * The identity of a handle: a value handle's own id; for a file or a directory, an id made
 * of its sha256 and uri, so that the same content at the same place is one artifact in every
 * run (and "what used this dataset" finds them all). Hashed once per handle, as a stream.
 */
export function artifactIdentity(
  handle: ArtifactHandle,
): Promise<ArtifactIdentity> {
  let identity = identities.get(handle)
  if (identity === undefined) {
    identity = identify(handle)
    identities.set(handle, identity)
  }
  return identity
}

async function describeFile(
  handle: FileArtifact | DirArtifact,
  options: DescribeOptions,
): Promise<ArtifactInput> {
  const identity = await artifactIdentity(handle)
  const extra = toJsonSafe(handle.properties, {
    limits: options.limits,
    redact: options.redact,
  }).json as Record<string, never>
  const record: ArtifactInput = {
    type: handle.type,
    externalId: identity.externalId,
    uri: fitText(handle.uri),
  }
  if (handle.name !== undefined)
    record.name = uniqueNodeName(handle.name, identity.externalId)
  if (handle.version !== undefined) record.version = fitText(handle.version)
  const digest = identity.digest
  if (digest !== undefined) {
    record.fingerprint = digest.sha256
    record.state = 'LIVE'
    record.customProperties = toProperties({
      ...extra,
      size: digest.size,
      ...(handle instanceof DirArtifact ? { files: digest.files } : {}),
    })
  } else {
    // A file that is not there (yet) is still an edge of the lineage: PENDING, with the reason.
    record.state = 'PENDING'
    record.customProperties = toProperties({
      ...extra,
      unreadable: fitText(identity.unreadable ?? 'unreadable', 2000),
    })
  }
  return record
}
/**
 * The store record of an artifact handle: files and directories hashed as streams, values by
 * content. Never throws: an unreadable file is recorded PENDING with the reason.
 *
 * @example
 * const record = await describeArtifact(artifact.file('data.csv'), options)
 */
export async function describeArtifact(
  handle: ArtifactHandle,
  options: DescribeOptions,
): Promise<ArtifactInput> {
  if (handle instanceof FileArtifact || handle instanceof DirArtifact)
    return describeFile(handle, options)
  const value = handle instanceof ValueArtifact ? handle.value : undefined
  const record = describeValue(value, handle, options, { ...handle.properties })
  if (handle.version !== undefined) record.version = fitText(handle.version)
  return record
}
