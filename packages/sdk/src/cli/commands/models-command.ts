import {
  readableNodeName,
  type MetadataStore,
  type MetricPoint,
} from '@lore/store'
import { Command } from 'commander'
import { defaultActor } from '../../registry/default-actor.js'
import { ModelRegistry } from '../../registry/model-registry.js'
import { checkVersion } from '../../registry/registry-names.js'
import type { ModelVersion } from '../../registry/model-version.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'
import {
  describeMove,
  formatHistory,
  formatModel,
  formatModelList,
  formatVersion,
  type VersionDetails,
} from '../format-models.js'

interface JsonOption {
  json?: boolean
}
interface MoveFlags extends JsonOption {
  reason?: string
  actor?: string
  force?: boolean
}

async function registryOf(context: CliContext): Promise<ModelRegistry> {
  return new ModelRegistry(await context.store(), {
    location: context.location,
  })
}

function print(
  context: CliContext,
  json: boolean | undefined,
  value: unknown,
  text: () => string,
): void {
  if (json === true) writeJson(context.io, value)
  else context.io.stdout(text())
}

async function versionDetails(
  store: MetadataStore,
  registry: ModelRegistry,
  version: ModelVersion,
): Promise<VersionDetails> {
  const details: VersionDetails = { version, moves: [], metrics: [] }
  const producer = version.producer
  if (producer !== undefined) {
    const [execution] = (
      await store.getExecutions({ ids: [producer.executionId], limit: 1 })
    ).items
    const inputs = (
      await store.getEvents({ executionIds: [producer.executionId] })
    ).filter((event) => event.type === 'INPUT')
    const artifacts = (
      await store.getArtifacts({
        ids: inputs.map((event) => event.artifactId),
        limit: Math.max(1, inputs.length),
      })
    ).items
    details.producer = {
      name: readableNodeName(execution?.name) ?? execution?.type ?? 'execution',
      inputs: artifacts.map(
        (artifact) =>
          `${readableNodeName(artifact.name) ?? artifact.type} (a:${artifact.id})`,
      ),
    }
  }
  const history = await registry.history(version.model)
  for (const alias of version.aliases) {
    const move = history.filter((item) => item.alias === alias).at(-1)
    if (move !== undefined) details.moves.push(move)
  }
  const points = await store.getMetrics({ contextId: version.contextId })
  const byKey = new Map<string, MetricPoint[]>()
  for (const point of points)
    byKey.set(point.key, [...(byKey.get(point.key) ?? []), point])
  details.metrics = [...byKey.values()].map((series) => ({
    latest: series.at(-1)!,
    count: series.length,
  }))
  return details
}

/**
 * `lore models`: the model registry — `list`, `show <name> [version]`, `promote <name>
 * <version> [alias]`, `rollback <name> [alias]` and `history <name>`, each with `--json`.
 */
export function modelsCommand(context: CliContext): Command {
  const models = new Command('models').description(
    'registered models, their versions and aliases; promote, roll back, see the history',
  )
  models
    .command('list', { isDefault: true })
    .description('list registered models with their versions and aliases')
    .option('--json', 'print JSON')
    .action(async (options: JsonOption) => {
      const registry = await registryOf(context)
      const list = await registry.listModels()
      if (list.length === 0 && options.json !== true) {
        context.io.stdout(
          `no registered models in ${context.location}; register one with registry.register(name, model)\n`,
        )
        return
      }
      print(context, options.json, list, () => `${formatModelList(list)}\n`)
    })
  models
    .command('show')
    .description('show a model and its versions, or one version in detail')
    .argument('<name>', 'the model')
    .argument('[version]', 'a version number (or v3)')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        version: string | undefined,
        options: JsonOption,
      ) => {
        const registry = await registryOf(context)
        if (version === undefined) {
          const model = await registry.getModel(name)
          const versions = await registry.listVersions(name)
          print(context, options.json, { model, versions }, () =>
            formatModel(model, versions),
          )
          return
        }
        const found = await registry.getVersion(
          name,
          checkVersion(version, name),
        )
        const details = await versionDetails(
          await context.store(),
          registry,
          found,
        )
        print(context, options.json, details, () => formatVersion(details))
      },
    )
  models
    .command('promote')
    .description('point an alias at a version (recorded as a Deploy execution)')
    .argument('<name>', 'the model')
    .argument('<version>', 'the version to promote')
    .argument('[alias]', 'the alias', 'production')
    .option('-r, --reason <text>', 'why, recorded with the move')
    .option(
      '--actor <name>',
      'who moves it (default LORE_ACTOR, else your user name)',
    )
    .option(
      '--force',
      'promote even though its model file changed since it was registered (needs --reason, recorded)',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        version: string,
        alias: string,
        options: MoveFlags,
      ) => {
        const registry = await registryOf(context)
        const move = await registry.setAlias(
          name,
          alias,
          checkVersion(version, name),
          {
            actor: options.actor ?? defaultActor(),
            ...(options.reason === undefined ? {} : { reason: options.reason }),
            ...(options.force === true ? { force: true } : {}),
          },
        )
        print(
          context,
          options.json,
          move,
          () =>
            `${name}@${alias}: ${describeMove(move)} (move ${move.sequence} by ${move.actor}; e:${move.executionId})\n`,
        )
      },
    )
  models
    .command('rollback')
    .description(
      'point an alias back at the version it had before its last promotion',
    )
    .argument('<name>', 'the model')
    .argument('[alias]', 'the alias', 'production')
    .option('-r, --reason <text>', 'why, recorded with the move')
    .option(
      '--actor <name>',
      'who moves it (default LORE_ACTOR, else your user name)',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, alias: string, options: MoveFlags) => {
      const registry = await registryOf(context)
      const move = await registry.rollback(name, alias, {
        actor: options.actor ?? defaultActor(),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      })
      print(
        context,
        options.json,
        move,
        () =>
          `${name}@${alias}: ${describeMove(move)} (move ${move.sequence} by ${move.actor}; e:${move.executionId})\n`,
      )
    })
  models
    .command('history')
    .description(
      'every alias move of a model: who, when, from which version to which, why',
    )
    .argument('<name>', 'the model')
    .option('-a, --alias <alias>', 'only this alias')
    .option('--json', 'print JSON')
    .action(async (name: string, options: JsonOption & { alias?: string }) => {
      const registry = await registryOf(context)
      const moves = await registry.history(
        name,
        options.alias === undefined ? {} : { alias: options.alias },
      )
      if (moves.length === 0 && options.json !== true) {
        context.io.stdout(
          `no alias of ${name} has moved yet; promote a version with: lore models promote ${name} <version> production\n`,
        )
        return
      }
      print(context, options.json, moves, () => `${formatHistory(moves)}\n`)
    })
  return models
}
