import { Command, Option } from 'commander'
import { listIncidents } from '../../monitor/incident-store.js'
import { incidentTimeline } from '../../monitor/incident-timeline.js'
import type { IncidentStatus } from '../../monitor/incident.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'
import { formatIncidentList, formatTimeline } from '../format-incident.js'

const statuses: IncidentStatus[] = [
  'open',
  'retraining',
  'watching',
  'resolved',
  'rejected',
  'rolled-back',
  'superseded',
  'failed',
]

interface ListFlags {
  policy?: string
  model?: string
  status?: IncidentStatus
  json?: boolean
}

/**
 * `lore incidents`: what monitoring policies found and did — `list` (the default), and
 * `show <id>`, the story of one incident in order; each with `--json`.
 */
export function incidentsCommand(context: CliContext): Command {
  const incidents = new Command('incidents').description(
    'incidents opened by monitoring policies: evidence, retraining, promotion, rollback',
  )
  incidents
    .command('list', { isDefault: true })
    .description('list incidents, newest first')
    .option('-p, --policy <name>', 'only incidents of this policy')
    .option('-m, --model <name>', 'only incidents about this model')
    .addOption(
      new Option(
        '-s, --status <status>',
        'only incidents in this status',
      ).choices(statuses),
    )
    .option('--json', 'print JSON')
    .action(async (options: ListFlags) => {
      const found = await listIncidents(await context.store(), {
        ...(options.policy === undefined ? {} : { policy: options.policy }),
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.status === undefined ? {} : { status: options.status }),
      })
      if (options.json === true) {
        writeJson(context.io, found)
        return
      }
      context.io.stdout(
        found.length === 0
          ? `no incidents in ${context.location}; policies open them (lore check <policies module>)\n`
          : `${formatIncidentList(found)}\n`,
      )
    })
  incidents
    .command('show')
    .description('tell the story of one incident, in order')
    .argument('<incident>', 'an incident id: INC-3, or 3')
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      const timeline = await incidentTimeline(
        await context.store(),
        reference,
        context.location,
      )
      if (options.json === true) writeJson(context.io, timeline)
      else context.io.stdout(formatTimeline(timeline))
    })
  return incidents
}
