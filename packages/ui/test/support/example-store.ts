import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../../', import.meta.url))

/** Run `pnpm --silent <args>` at the repository root with the store in LORE_STORE. */
export function pnpmAt(
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['--silent', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(
            new Error(`pnpm ${args.join(' ')} exited ${code}:\n${output}`),
          ),
    )
  })
}

/**
 * Fill a store the way a user does: the iris example twice (the second with another
 * testFraction, through `lore run --set`), the fan-out example and the monitoring story
 * (drift, retraining, promotion, a rollback), then the replay example (replays of an iris run,
 * and a cached pipeline run twice, so some steps are CACHED).
 */
export async function fillWithExamples(
  store: string,
  dir: string,
): Promise<void> {
  const env = {
    LORE_STORE: store,
    IRIS_MONITORING_DIR: join(dir, 'monitoring-files'),
  }
  await pnpmAt(['--filter', '@lore/examples', 'iris'], env)
  await pnpmAt(
    [
      'lore',
      'run',
      'packages/examples/src/iris/iris-pipeline.ts',
      'IrisPipeline',
      '--set',
      'testFraction=0.4',
    ],
    env,
  )
  await pnpmAt(['--filter', '@lore/examples', 'fanout'], env)
  await pnpmAt(['--filter', '@lore/examples', 'monitoring'], env)
  await pnpmAt(['--filter', '@lore/examples', 'replay'], env)
}
