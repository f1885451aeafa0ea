import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '@lore/sdk/cli'

/** A temporary folder with a store url inside it. */
export interface Workspace {
  dir: string
  store: string
  /** Run `lore <args> --store <this store>` in-process. */
  lore(
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }>
  cleanup(): Promise<void>
}

/** Make a temporary workspace for one example's test. */
export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'lore-example-'))
  const store = `sqlite:${join(dir, 'lore.db')}`
  return {
    dir,
    store,
    async lore(...args) {
      let stdout = ''
      let stderr = ''
      const code = await runCli([...args, '--store', store], {
        stdout: (text) => {
          stdout += text
        },
        stderr: (text) => {
          stderr += text
        },
        interactive: false,
      })
      return { code, stdout, stderr }
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}
