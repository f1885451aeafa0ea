import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))

/**
 * The folder of the built web UI (`packages/ui/dist`), to hand to the store server's `ui`
 * option. It may not exist yet: see {@link ensureUiBuilt}.
 *
 * @example
 * createStoreServer(store, { ui: uiDirectory() })
 */
export function uiDirectory(): string {
  return join(packageRoot, 'dist')
}

/** True when the UI has been built (`dist/index.html` exists). */
export function isUiBuilt(): boolean {
  return existsSync(join(uiDirectory(), 'index.html'))
}

/**
 * The built UI's folder, building it first (`vite build`, a few seconds) when a fresh clone's
 * install did not. Rejects with the build's output when the build fails.
 *
 * @example
 * const ui = await ensureUiBuilt((line) => process.stderr.write(line))
 */
export async function ensureUiBuilt(
  onProgress?: (line: string) => void,
): Promise<string> {
  if (isUiBuilt()) return uiDirectory()
  onProgress?.('lore: building the web UI once (vite build)…\n')
  const vite = join(
    dirname(
      createRequire(join(packageRoot, 'package.json')).resolve(
        'vite/package.json',
      ),
    ),
    'bin',
    'vite.js',
  )
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--logLevel', 'warn'],
      {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(text)
        : reject(
            new Error(
              `building the web UI failed (vite build exited ${code}):\n${text}`,
            ),
          ),
    )
  })
  if (!isUiBuilt())
    throw new Error(`vite build finished but wrote no index.html:\n${output}`)
  return uiDirectory()
}
