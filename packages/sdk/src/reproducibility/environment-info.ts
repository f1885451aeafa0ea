import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { arch, platform, release } from 'node:os'
import { dirname, join } from 'node:path'
import { createRedactor } from '../capture/redact.js'
import { redactText } from '../capture/redact-text.js'
import { findUp } from './find-up.js'

/** The environment a run executes in. */
export interface EnvironmentInfo {
  node: string
  platform: string
  osRelease: string
  arch: string
  /** The lockfile nearest to the pipeline's code, with its sha256. */
  lockfile?: { file: string; sha256: string }
  /** Installed versions of the direct dependencies of the nearest package.json. */
  dependencies: Record<string, string>
  /** Allow-listed environment variables (names that look secret are still hidden). */
  env: Record<string, string>
}

const lockfiles = [
  'pnpm-lock.yaml',
  'package-lock.json',
  'yarn.lock',
  'bun.lock',
  'npm-shrinkwrap.json',
]

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
}

async function installedVersion(
  name: string,
  from: string,
): Promise<string | undefined> {
  const manifest = await findUp(
    [join('node_modules', name, 'package.json')],
    from,
  )
  if (manifest === undefined) return undefined
  try {
    const version = (await readJson(manifest)).version
    return typeof version === 'string' ? version : undefined
  } catch {
    return undefined
  }
}

async function dependencyVersions(
  directory: string,
): Promise<Record<string, string>> {
  const manifest = await findUp(['package.json'], directory)
  if (manifest === undefined) return {}
  let declared: Record<string, unknown>
  try {
    const json = await readJson(manifest)
    declared = {
      ...(json.dependencies as Record<string, unknown> | undefined),
      ...(json.devDependencies as Record<string, unknown> | undefined),
    }
  } catch {
    return {}
  }
  const versions: Record<string, string> = {}
  for (const [name, range] of Object.entries(declared).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    versions[name] =
      (await installedVersion(name, dirname(manifest))) ??
      `not installed (${String(range)})`
  }
  return versions
}

type Installed = Pick<EnvironmentInfo, 'dependencies' | 'lockfile'>

async function readInstalled(directory: string): Promise<Installed> {
  const installed: Installed = {
    dependencies: await dependencyVersions(directory),
  }
  const lockfile = await findUp(lockfiles, directory)
  if (lockfile !== undefined) {
    try {
      const bytes = await readFile(lockfile)
      installed.lockfile = {
        file: lockfile,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }
    } catch {
      // an unreadable lockfile is left out rather than failing the run
    }
  }
  return installed
}

// Read once per folder and process, as git-info does: a run's end (at a signal, too) then
// writes its record without waiting on the file system.
const installedCache = new Map<string, Promise<Installed>>()

/**
 * Node version, OS, architecture, the nearest lockfile's hash, the installed versions of the
 * direct dependencies of the nearest package.json (read once per folder and process), and the
 * environment variables named in `captureEnv` — only those, and never one whose name looks
 * like a secret.
 *
 * @example
 * const environment = await environmentInfo(process.cwd(), ['CUDA_VISIBLE_DEVICES'])
 */
export async function environmentInfo(
  directory: string,
  captureEnv: readonly string[] = [],
): Promise<EnvironmentInfo> {
  let installed = installedCache.get(directory)
  if (installed === undefined) {
    installed = readInstalled(directory)
    installedCache.set(directory, installed)
  }
  const { dependencies, lockfile } = await installed
  const info: EnvironmentInfo = {
    node: process.version,
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    dependencies: { ...dependencies },
    env: {},
  }
  if (lockfile !== undefined) info.lockfile = { ...lockfile }
  const secret = createRedactor()
  for (const name of captureEnv) {
    const value = process.env[name]
    if (value !== undefined)
      info.env[name] = secret(name) ? '[REDACTED]' : redactText(value)
  }
  return info
}
