import { basename } from 'node:path'
import { LoreError } from '@lore/store'

// Which module `lore replay` or `lore run` is importing right now. One process imports one
// such module at a time (the command line), and a pipeline run that starts during that import
// is the module's own top-level run: a fact of the process, not of a run.
let loading: { file: string; purpose: string } | undefined

/**
 * Import a pipeline's module with its top-level pipeline runs refused (see
 * {@link refuseRunWhileLoading}): `purpose` says why it is loaded (`replay`, `run`).
 *
 * @example
 * const exports = await whileLoadingModule(file, 'replay', () => import(url))
 */
export async function whileLoadingModule<T>(
  file: string,
  purpose: string,
  load: () => Promise<T>,
): Promise<T> {
  const previous = loading
  loading = { file, purpose }
  try {
    return await load()
  } finally {
    loading = previous
  }
}

/**
 * Throw, before anything is recorded, when a pipeline run starts while its module is being
 * imported to replay or run it: the module runs its pipeline when imported, and that run
 * would be a second one. The message says exactly what to change.
 */
export function refuseRunWhileLoading(pipelineName: string): void {
  if (loading === undefined) return
  const { file, purpose } = loading
  throw new LoreError(
    'FAILED_PRECONDITION',
    `${file} runs pipeline '${pipelineName}' when it is imported (a top-level .run() call), so loading it to ${purpose} it would start a second run; nothing was run. Move that call into a script of its own that imports the pipeline (such as run-${basename(file)}), or make it run only when the file is the program: if (import.meta.url === pathToFileURL(process.argv[1]).href) { … }`,
    { details: { file, pipeline: pipelineName } },
  )
}
