import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  readableNodeName,
  type Artifact,
  type Context,
  type MetadataStore,
} from '@lore/store'
import { hashDirectory, hashFile } from '../artifact/hash-file.js'
import { getRunDetails, type StepNode } from './run-details.js'

/** What re-hashing one file or directory artifact found. */
export interface FileCheck {
  artifactId: number
  name: string | undefined
  /** The absolute path the artifact's `file:` uri names. */
  path: string
  /** sha256 recorded when it was read or written; undefined when it could not be hashed then. */
  recorded: string | undefined
  /** sha256 now; undefined when it is missing or unreadable. */
  current: string | undefined
  /** same: as recorded; changed: other content (overwritten in place); missing: not there. */
  status: 'same' | 'changed' | 'missing' | 'unrecorded'
}

/** The path of a `file:` artifact, or undefined for any other uri. */
export function artifactPath(artifact: Artifact): string | undefined {
  if (artifact.uri?.startsWith('file:') !== true) return undefined
  try {
    return fileURLToPath(artifact.uri)
  } catch {
    return undefined
  }
}

/**
 * Hash a file or directory artifact's content again and compare it with the fingerprint
 * recorded for it: what `lore verify`, `lore models promote` and `lore replay` use to notice
 * a file overwritten in place. Undefined for an artifact that is not a file or a directory.
 *
 * @example
 * (await checkFile(model))?.status // 'changed'
 */
export async function checkFile(
  artifact: Artifact,
): Promise<FileCheck | undefined> {
  const path = artifactPath(artifact)
  if (path === undefined) return undefined
  const check: FileCheck = {
    artifactId: artifact.id,
    name: artifact.name,
    path,
    recorded: artifact.fingerprint,
    current: undefined,
    status: 'missing',
  }
  try {
    const info = await stat(path)
    check.current = (
      info.isDirectory() ? await hashDirectory(path) : await hashFile(path)
    ).sha256
  } catch {
    return check
  }
  check.status =
    check.recorded === undefined
      ? 'unrecorded'
      : check.recorded === check.current
        ? 'same'
        : 'changed'
  return check
}

/** A file artifact of a run, with how the run used it. */
export interface RunFile extends FileCheck {
  /** input: read by a step and made by none of the run's steps; output: written by a step. */
  role: 'input' | 'output'
  /** The steps that read it (inputs) or wrote it (outputs). */
  steps: string[]
}

function walk(nodes: StepNode[], visit: (node: StepNode) => void): void {
  for (const node of nodes) {
    visit(node)
    walk(node.children, visit)
  }
}

/**
 * Re-hash every file and directory artifact of a run: the inputs it read from outside (not
 * made by one of its steps) and the outputs its steps wrote.
 *
 * @example
 * const changed = (await checkRunFiles(store, run)).filter((file) => file.status !== 'same')
 */
export async function checkRunFiles(
  store: MetadataStore,
  context: Context,
): Promise<RunFile[]> {
  const details = await getRunDetails(store, context)
  const uses = new Map<
    number,
    { artifact: Artifact; readers: Set<string>; writers: Set<string> }
  >()
  walk(details.steps, (node) => {
    const step =
      node.execution.name === undefined
        ? node.execution.type
        : readableNodeName(node.execution.name)
    for (const [list, role] of [
      [node.inputs, 'readers'],
      [node.outputs, 'writers'],
    ] as const)
      for (const use of list) {
        let entry = uses.get(use.artifact.id)
        if (entry === undefined) {
          entry = {
            artifact: use.artifact,
            readers: new Set(),
            writers: new Set(),
          }
          uses.set(use.artifact.id, entry)
        }
        entry[role].add(step)
      }
  })
  const files: RunFile[] = []
  for (const { artifact, readers, writers } of uses.values()) {
    const check = await checkFile(artifact)
    if (check === undefined) continue
    const output = writers.size > 0
    files.push({
      ...check,
      role: output ? 'output' : 'input',
      steps: [...(output ? writers : readers)],
    })
  }
  return files
}
