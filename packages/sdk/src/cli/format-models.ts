import { readableNodeName, type MetricPoint } from '@lore/store'
import type { AliasMove } from '../registry/alias-move.js'
import type { RegisteredModel } from '../registry/registry-options.js'
import type { ModelVersion } from '../registry/model-version.js'
import {
  formatFingerprint,
  formatTable,
  formatTime,
  shortId,
} from './format-values.js'

const aliasList = (aliases: Record<string, number>): string =>
  Object.entries(aliases)
    .map(([alias, version]) => `${alias} → v${version}`)
    .join(', ') || '-'

/** `lore models list`: one line per registered model. */
export function formatModelList(models: readonly RegisteredModel[]): string {
  return formatTable(
    ['MODEL', 'VERSIONS', 'ALIASES', 'CREATED'],
    models.map((model) => [
      model.name,
      String(model.versionCount),
      aliasList(model.aliases),
      formatTime(model.createdAt),
    ]),
  )
}

/** `lore models show <name>`: the model and a line per version. */
export function formatModel(
  model: RegisteredModel,
  versions: readonly ModelVersion[],
): string {
  const lines = [
    `${model.name}: ${model.versionCount} version${model.versionCount === 1 ? '' : 's'}; aliases: ${aliasList(model.aliases)}`,
  ]
  if (model.description !== undefined) lines.push(model.description)
  lines.push(
    '',
    formatTable(
      ['VERSION', 'ALIASES', 'REGISTERED', 'BY', 'RUN', 'ARTIFACT'],
      versions.map((version) => [
        `v${version.version}`,
        version.aliases.join(', ') || '-',
        formatTime(version.registeredAt),
        version.registeredBy,
        version.producer?.runId === undefined
          ? '-'
          : shortId(version.producer.runId),
        `a:${version.artifact.id} ${formatFingerprint(version.artifact.fingerprint)}`,
      ]),
    ),
  )
  return `${lines.join('\n')}\n`
}

/** What `lore models show <name> <version>` prints about one version. */
export interface VersionDetails {
  version: ModelVersion
  /** The step that produced it and what it read. */
  producer?: { name: string; inputs: string[] }
  /** The move that gave it each alias it holds. */
  moves: AliasMove[]
  /** The latest point of each metric logged on the version, and how many there are. */
  metrics: { latest: MetricPoint; count: number }[]
}

/** `lore models show <name> <version>`. */
export function formatVersion(details: VersionDetails): string {
  const { version } = details
  const lines = [
    `${version.model} v${version.version}${version.aliases.length > 0 ? ` (${version.aliases.join(', ')})` : ''}`,
    `  registered  ${formatTime(version.registeredAt)} by ${version.registeredBy}`,
  ]
  if (version.description !== undefined)
    lines.push(`  about       ${version.description}`)
  lines.push(
    `  artifact    a:${version.artifact.id} ${readableNodeName(version.artifact.name) ?? ''} ${formatFingerprint(version.artifact.fingerprint)}`.trimEnd(),
  )
  if (version.artifact.uri !== undefined)
    lines.push(`  uri         ${version.artifact.uri}`)
  if (version.producer !== undefined) {
    const run =
      version.producer.runId === undefined
        ? ''
        : ` in run ${shortId(version.producer.runId)}`
    lines.push(
      `  trained by  ${details.producer?.name ?? 'execution'} (e:${version.producer.executionId})${run}${details.producer !== undefined && details.producer.inputs.length > 0 ? ` from ${details.producer.inputs.join(', ')}` : ''}`,
    )
  }
  for (const move of details.moves)
    lines.push(
      `  ${move.alias.padEnd(10)}  since ${formatTime(move.time)}, by ${move.actor}${move.reason === undefined ? '' : `: ${move.reason}`}`,
    )
  if (details.metrics.length > 0) {
    lines.push('  metrics')
    for (const { latest, count } of details.metrics)
      lines.push(
        `    ${latest.key} = ${Number(latest.value.toPrecision(4))} (step ${latest.step}; ${count} point${count === 1 ? '' : 's'})`,
      )
  }
  lines.push('', `Lineage: lore lineage a:${version.artifact.id} --up`)
  return `${lines.join('\n')}\n`
}

/** A move in words: `v1 → v2`, `rollback v3 → v2`, `→ v1` for a first move. */
export function describeMove(move: AliasMove): string {
  const from = move.fromVersion === undefined ? '' : `v${move.fromVersion} `
  return `${move.action === 'rollback' ? 'rollback ' : ''}${from}→ v${move.toVersion}`
}

/** `lore models history <name>`: every alias move, oldest first. */
export function formatHistory(moves: readonly AliasMove[]): string {
  return formatTable(
    ['#', 'TIME', 'ALIAS', 'MOVE', 'BY', 'WHY'],
    moves.map((move) => [
      String(move.sequence),
      formatTime(move.time),
      move.alias,
      describeMove(move),
      move.actor,
      [
        move.incident,
        move.reason,
        move.forced === undefined
          ? undefined
          : `(forced: model file ${move.forced.status})`,
      ]
        .filter(Boolean)
        .join(': ') || '-',
    ]),
  )
}
