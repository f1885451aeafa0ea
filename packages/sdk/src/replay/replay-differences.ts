import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { redactText } from '../capture/redact-text.js'
import { hashPathSync } from '../cache/hash-path-sync.js'
import { environmentInfo } from '../reproducibility/environment-info.js'
import { gitInfo } from '../reproducibility/git-info.js'
import type { RecordedRun } from './recorded-run.js'

/** One way in which what a replay would run differs from what the original ran. */
export interface ReplayDifference {
  what:
    | 'git commit'
    | 'dirty'
    | 'source file'
    | 'lockfile'
    | 'node'
    | 'working directory'
    | 'input file'
  /** The file, for a source file, the lockfile or an input file. */
  file?: string
  recorded: string
  current: string
  /**
   * For a source file the original kept (it ran from uncommitted code): a unified diff from
   * what it ran to the file now, cut to {@link maxPatchLines} lines.
   */
  patch?: string
}

/** Most lines of a source file's diff in a replay plan. */
export const maxPatchLines = 60

/** The `diff` package's `createPatch`, loaded only when a kept source changed. */
type CreatePatch = typeof import('diff').createPatch

function patchOf(
  createPatch: CreatePatch,
  file: string,
  path: string,
  before: string,
): string | undefined {
  let now: string
  try {
    now = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  // The kept text had its secrets masked: mask the file now the same way, or every secret
  // would show as a change.
  const lines = createPatch(
    file,
    before,
    redactText(now),
    'the original run',
    'now',
  )
    .split('\n')
    .slice(2) // the `Index:` and `===` lines: the file is named already
  const cut =
    lines.length > maxPatchLines
      ? [
          ...lines.slice(0, maxPatchLines),
          `… ${lines.length - maxPatchLines} more lines`,
        ]
      : lines
  return cut.join('\n').trimEnd()
}

const short = (hash: string): string => hash.slice(0, 12)

/**
 * What differs between a recorded run and the code and environment here now: git commit,
 * dirty state, each recorded source file's sha256, the lockfile's sha256, the Node version.
 *
 * @example
 * for (const difference of await replayDifferences(recorded, root)) console.log(difference.what)
 */
export async function replayDifferences(
  recorded: RecordedRun,
  root: string,
  moduleFile: string,
): Promise<ReplayDifference[]> {
  const differences: ReplayDifference[] = []
  const git = await gitInfo(root)
  if (recorded.gitCommit !== undefined && recorded.gitCommit !== git.commit)
    differences.push({
      what: 'git commit',
      recorded: recorded.gitCommit,
      current: git.commit ?? 'no git',
    })
  if (
    recorded.gitDirty !== undefined &&
    git.dirty !== undefined &&
    recorded.gitDirty !== git.dirty
  )
    differences.push({
      what: 'dirty',
      recorded: recorded.gitDirty ? 'uncommitted changes' : 'clean',
      current: git.dirty ? 'uncommitted changes' : 'clean',
    })
  for (const [file, hash] of Object.entries(recorded.sourceFiles)) {
    const path = isAbsolute(file) ? file : join(root, file)
    const now = hashPathSync(path)
    if (now === hash) continue
    const difference: ReplayDifference = {
      what: 'source file',
      file,
      recorded: short(hash),
      current: now === undefined ? 'missing' : short(now),
    }
    const kept = recorded.sources[hash]
    // Loaded here, not at the top: `import '@lore/sdk'` must not pay for a replay's diff.
    const patch =
      kept === undefined
        ? undefined
        : patchOf((await import('diff')).createPatch, file, path, kept)
    if (patch !== undefined) difference.patch = patch
    differences.push(difference)
  }
  const environment = await environmentInfo(dirname(moduleFile))
  if (
    recorded.lockfile !== undefined &&
    recorded.lockfile.sha256 !== environment.lockfile?.sha256
  )
    differences.push({
      what: 'lockfile',
      file: recorded.lockfile.file,
      recorded: short(recorded.lockfile.sha256),
      current:
        environment.lockfile === undefined
          ? 'missing'
          : short(environment.lockfile.sha256),
    })
  if (recorded.node !== undefined && recorded.node !== process.version)
    differences.push({
      what: 'node',
      recorded: recorded.node,
      current: process.version,
    })
  return differences
}
