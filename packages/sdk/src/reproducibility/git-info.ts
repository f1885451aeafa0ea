import { execFile } from 'node:child_process'

/** What git says about the code a run executes. */
export interface GitInfo {
  /** Top folder of the repository. */
  root?: string
  /** The commit checked out (HEAD), full sha. */
  commit?: string
  /** True when tracked files differ from the commit or untracked files exist. */
  dirty?: boolean
  /** The branch checked out, if any. */
  branch?: string
  /** The `origin` remote's url, without any user name or password in it. */
  remote?: string
}

/**
 * A remote's url without credentials: `https://user:token@host/repo.git` → `https://host/repo.git`
 * (a token often stands as the user name); an scp-like `git@host:repo.git` names no secret.
 *
 * @example
 * withoutCredentials('https://x-token:ghp_abc@github.com/org/repo.git') // 'https://github.com/org/repo.git'
 */
export function withoutCredentials(remote: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) return remote
  try {
    const url = new URL(remote)
    url.username = ''
    url.password = ''
    return url.toString()
  } catch {
    return remote.replace(/\/\/[^/@]*@/, '//')
  }
}

const cache = new Map<string, Promise<GitInfo>>()

function git(directory: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd: directory, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => resolve(error === null ? stdout.trim() : undefined),
    )
  })
}

async function readGitInfo(directory: string): Promise<GitInfo> {
  const root = await git(directory, ['rev-parse', '--show-toplevel'])
  if (root === undefined) return {}
  const info: GitInfo = { root }
  const commit = await git(directory, ['rev-parse', 'HEAD'])
  if (commit !== undefined) info.commit = commit
  const status = await git(directory, ['status', '--porcelain'])
  if (status !== undefined) info.dirty = status !== ''
  const branch = await git(directory, ['rev-parse', '--abbrev-ref', 'HEAD'])
  if (branch !== undefined && branch !== 'HEAD') info.branch = branch
  const remote = await git(directory, ['remote', 'get-url', 'origin'])
  if (remote) info.remote = withoutCredentials(remote)
  return info
}

/**
 * The git commit, dirty flag, branch and `origin` remote of the repository holding `directory`; empty when
 * git is missing or the folder is not in a repository. Asked once per folder and process.
 *
 * @example
 * const { commit, dirty } = await gitInfo(process.cwd())
 */
export function gitInfo(directory: string): Promise<GitInfo> {
  let info = cache.get(directory)
  if (info === undefined) {
    info = readGitInfo(directory)
    cache.set(directory, info)
  }
  return info
}
