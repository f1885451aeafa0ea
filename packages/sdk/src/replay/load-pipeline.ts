import { pathToFileURL } from 'node:url'
import { LoreError } from '@lore/store'
import { getPipelineMetadata } from '../decorators/lore-metadata.js'
import { Pipeline } from '../pipeline/pipeline.js'
import { whileLoadingModule } from './module-loading.js'
import { pipelineOf, type PipelineClass } from '../pipeline/pipeline-of.js'

async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  try {
    return (await import(url)) as Record<string, unknown>
  } catch (error) {
    // Plain Node cannot load TypeScript: go through tsx, as `lore` itself does.
    if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION')
      throw error
    const { tsImport } = await import('tsx/esm/api')
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>
  }
}

/** Options of {@link loadPipeline}. */
export interface LoadPipelineOptions {
  /**
   * What a failure should advise. For a replay: whether the module's file differs from what
   * the run recorded (then, and only then, restoring it with git is the fix), and the
   * recorded commit to restore it from.
   */
  replay?: { changed: boolean; gitCommit: string | undefined }
}

function advice(file: string, options: LoadPipelineOptions): string {
  if (options.replay === undefined) return ''
  if (!options.replay.changed)
    return '; the file is as the run recorded it, so the cause is in what it imports or in this environment'
  const commit = options.replay.gitCommit
  return `; the file changed since the run: restore it (${commit === undefined ? 'git checkout' : `git checkout ${commit.slice(0, 12)} --`} ${file}) to replay`
}

/**
 * Load a pipeline from the module that defines it: the export named `exportName` (or the
 * one pipeline the module exports), a `pipeline()` value or a `@pipeline()` class, named
 * `pipelineName` when that is given. Throws `FAILED_PRECONDITION` saying what to do; the
 * `git checkout` hint only when `options.replay` says the file changed.
 *
 * @example
 * const iris = await loadPipeline('/repo/src/iris/iris-pipeline.ts', 'IrisPipeline', 'iris')
 */
export async function loadPipeline(
  file: string,
  exportName: string | undefined,
  pipelineName: string | undefined,
  options: LoadPipelineOptions = {},
): Promise<Pipeline<unknown, unknown>> {
  const what =
    pipelineName === undefined
      ? file
      : `${file}, the module that defined pipeline '${pipelineName}'`
  let exports: Record<string, unknown>
  try {
    exports = await whileLoadingModule(
      file,
      options.replay === undefined ? 'run' : 'replay',
      () => importModule(file),
    )
  } catch (error) {
    if (LoreError.isInstance(error)) throw error
    throw new LoreError(
      'FAILED_PRECONDITION',
      `cannot load ${what}: ${error instanceof Error ? error.message : String(error)}${advice(file, options)}`,
      { details: { file } },
    )
  }
  const asPipeline = (
    value: unknown,
  ): Pipeline<unknown, unknown> | undefined => {
    if (value instanceof Pipeline) return value as Pipeline<unknown, unknown>
    if (typeof value === 'function' && getPipelineMetadata(value) !== undefined)
      return pipelineOf(value as PipelineClass) as Pipeline<unknown, unknown>
    return undefined
  }
  const names = exportName !== undefined ? [exportName] : Object.keys(exports)
  const found = names.flatMap((name) => {
    const candidate = asPipeline(exports[name])
    return candidate !== undefined &&
      (pipelineName === undefined || candidate.name === pipelineName)
      ? [{ name, pipeline: candidate }]
      : []
  })
  if (found.length === 1 && found[0] !== undefined) return found[0].pipeline
  if (found.length > 1)
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${file} exports ${found.length} pipelines (${found.map((entry) => entry.name).join(', ')}); name the one to run, such as: lore run ${file} ${found[0]?.name ?? ''}`,
      { details: { file, exports: found.map((entry) => entry.name) } },
    )
  const exported = Object.keys(exports).filter(
    (name) => asPipeline(exports[name]) !== undefined,
  )
  throw new LoreError(
    'FAILED_PRECONDITION',
    pipelineName === undefined
      ? `${file} exports no pipeline${exportName === undefined ? '' : ` as ${exportName}`}${exported.length > 0 ? `; its pipelines are ${exported.join(', ')}` : '; export one made by pipeline() or a @pipeline() class'}`
      : `${file} no longer exports pipeline '${pipelineName}'${exportName === undefined ? '' : ` as ${exportName}`}${advice(file, options)}`,
    { details: { file, export: exportName ?? null } },
  )
}
