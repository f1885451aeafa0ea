import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
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

/** The newest modification time (ms) of the files under `path`, or of `path` itself. */
function newestChange(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestChange(join(path, entry)))
  return newest
}

/**
 * True when a source of the page (its `src`, `public`, `index.html`, `vite.config.ts`, or
 * the SDK rules it bundles) changed after the last build, so the build would show old code.
 */
export function isUiStale(): boolean {
  const built = join(uiDirectory(), 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  const sources = [
    'src',
    'public',
    'index.html',
    'vite.config.ts',
    '../sdk/src/query',
    '../sdk/src/compare',
  ]
  return sources.some(
    (source) => newestChange(join(packageRoot, source)) > builtAt,
  )
}

/**
 * The built UI's folder, building it first (`vite build`, a few seconds) when a fresh clone's
 * install did not, or when `rebuildStale` is set and a source changed since the build (tests
 * must see the code they test). Rejects with the build's output when the build fails.
 *
 * @example
 * const ui = await ensureUiBuilt((line) => process.stderr.write(line))
 */
export async function ensureUiBuilt(
  onProgress?: (line: string) => void,
  { rebuildStale = false }: { rebuildStale?: boolean } = {},
): Promise<string> {
  if (isUiBuilt() && !(rebuildStale && isUiStale())) return uiDirectory()
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
        // Vite builds React for whatever NODE_ENV says, and test runners set it to 'test':
        // the page would then be React's development build (every effect run twice).
        env: { ...process.env, NODE_ENV: 'production' },
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
