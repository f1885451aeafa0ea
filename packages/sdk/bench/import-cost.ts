/**
 * How long `import('@lore/sdk')` takes from built JavaScript, against `import('zod')` alone:
 * the SDK's sources (with @lore/store's) are bundled by esbuild into a folder under
 * node_modules/.cache, code-split at its dynamic imports as a published build would be, with
 * every npm dependency left external; each import runs in a fresh node process, `runs` times,
 * and the median is kept.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const sdkRoot = fileURLToPath(new URL('..', import.meta.url))

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Milliseconds a fresh node process spends in `import(specifier)` (median of `runs`). */
function importMs(specifier: string, cwd: string, runs: number): number {
  const script = `const began = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - began)`
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd, encoding: 'utf8' },
    )
    if (child.status !== 0)
      throw new Error(`import(${specifier}) failed: ${child.stderr}`)
    times.push(Number(child.stdout.trim()))
  }
  return median(times)
}

/** What {@link importCost} measured. */
export interface ImportCost {
  sdkMs: number
  zodMs: number
  bundleBytes: number
}

/**
 * Build the SDK and time its import against zod's.
 *
 * @example
 * const { sdkMs, zodMs } = await importCost(10)
 */
export async function importCost(runs: number): Promise<ImportCost> {
  const cache = join(sdkRoot, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const folder = mkdtempSync(join(cache, 'lore-import-bench-'))
  try {
    const result = await build({
      entryPoints: { index: join(sdkRoot, 'src', 'index.ts') },
      outdir: folder,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['@lore/source'],
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'npm-external',
          setup(esbuild) {
            // Lore's own packages are bundled (they ship TypeScript); npm packages are not.
            esbuild.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@lore/') ? undefined : { external: true },
            )
          },
        },
      ],
    })
    const bundleBytes = Object.values(result.metafile.outputs).reduce(
      (sum, output) => sum + output.bytes,
      0,
    )
    const sdk = pathToFileURL(join(folder, 'index.js')).href
    // Alternate, so that a slow moment of the machine hits both.
    const sdkTimes: number[] = []
    const zodTimes: number[] = []
    for (let run = 0; run < runs; run++) {
      sdkTimes.push(importMs(sdk, folder, 1))
      zodTimes.push(importMs('zod', folder, 1))
    }
    return { sdkMs: median(sdkTimes), zodMs: median(zodTimes), bundleBytes }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
