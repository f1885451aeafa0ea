import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { LoreError } from '@lore/store'
import { Command } from 'commander'
import type { JsonValue } from '../../capture/json-value.js'
import { checkOverrides } from '../../replay/check-overrides.js'
import {
  applyOverrides,
  parseOverrides,
} from '../../replay/config-overrides.js'
import { loadPipeline } from '../../replay/load-pipeline.js'
import type { CliContext } from '../cli-context.js'
import { shortId } from '../format-values.js'
import { nonNegativeInteger } from '../parse-options.js'
import { showRunProgress } from '../run-progress.js'
import { writeJson } from '../write-json.js'

interface RunFlags {
  config?: string
  set: string[]
  seed?: number
  json?: boolean
}

async function readConfig(file: string): Promise<JsonValue> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `--config ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}); give a JSON file of the pipeline's config`,
      { details: { config: file } },
    )
  }
  try {
    return JSON.parse(text) as JsonValue
  } catch (error) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `--config ${file}: not JSON (${error instanceof Error ? error.message : String(error)})`,
      { details: { config: file } },
    )
  }
}

/**
 * `lore run <module> [export]`: start a pipeline from the command line with a config from
 * `--config file.json` and `--set key=value`, checked against the pipeline's schema before
 * anything runs, recorded in the store `--store` names.
 */
export function runCommand(context: CliContext): Command {
  return new Command('run')
    .description(
      'run a pipeline from its module with a checked config, and record it',
    )
    .argument('<module>', 'the file that exports the pipeline (.ts or .js)')
    .argument(
      '[export]',
      'the export, when the module has several pipelines (a pipeline() value or a @pipeline() class)',
    )
    .option('-c, --config <file>', 'the config, a JSON file')
    .option(
      '--set <key=value>',
      'set a config value (repeatable; dotted keys reach into objects)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option(
      '--seed <n>',
      'the random seed handed to steps (ctx.seed)',
      nonNegativeInteger,
    )
    .option('--json', 'print JSON')
    .action(
      async (
        module: string,
        exportName: string | undefined,
        flags: RunFlags,
      ) => {
        const file = resolve(module)
        const overrides = parseOverrides(flags.set)
        const base: JsonValue =
          flags.config === undefined ? {} : await readConfig(flags.config)
        const pipeline = await loadPipeline(file, exportName, undefined)
        checkOverrides(pipeline.configSchema, pipeline.name, base, overrides)
        const config = applyOverrides(base, overrides)
        const stop = showRunProgress(
          context.io,
          context.location,
          pipeline.name,
        )
        const { runId, status } = await pipeline
          .run(config, {
            store: context.location,
            ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          })
          .finally(stop)
        if (status === 'FAILED') context.exitCode = 1
        if (flags.json === true) {
          writeJson(context.io, { runId, pipeline: pipeline.name, status })
          return
        }
        context.io.stdout(
          `run ${runId} (${pipeline.name}, ${status}); see it with: lore show ${shortId(runId)}\n`,
        )
      },
    )
}
