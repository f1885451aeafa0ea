import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { finished, startTsx, type ChildResult } from './run-tsx.js'

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** The SDK's entry, for a project file to import. */
export const sdkEntry = fileURLToPath(
  new URL('../../src/index.ts', import.meta.url),
)

/** Run `lore <args>` as a real child process (tsx loader, source condition). */
export function loreProcess(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<ChildResult> {
  return finished(startTsx(main, args, options))
}

/** A folder of files under the SDK's test fixtures (so they resolve `zod` and the SDK). */
export interface TempProject {
  dir: string
  path(file: string): string
  write(file: string, text: string): Promise<void>
  cleanup(): Promise<void>
}

/**
 * Make a temporary project folder with `files` in it: under the SDK's fixtures, or with
 * `outside`, in the system's temporary folder (a repository of its own, away from Lore's).
 */
export async function createTempProject(
  files: Record<string, string>,
  options: { outside?: boolean } = {},
): Promise<TempProject> {
  const dir =
    options.outside === true
      ? await mkdtemp(join(tmpdir(), 'lore-project-'))
      : join(fixtures, `project-${randomUUID()}`)
  const project: TempProject = {
    dir,
    path: (file) => join(dir, file),
    async write(file, text) {
      await mkdir(dirname(join(dir, file)), { recursive: true })
      await writeFile(join(dir, file), text)
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
  for (const [file, text] of Object.entries(files))
    await project.write(file, text)
  return project
}
