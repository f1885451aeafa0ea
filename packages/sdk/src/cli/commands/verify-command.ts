import { LoreError, readableNodeName } from '@lore/store'
import { Command } from 'commander'
import { checkFile, type FileCheck } from '../../query/check-files.js'
import { checkRunFiles } from '../../query/check-files.js'
import { findRun } from '../../query/find-run.js'
import type { CliContext } from '../cli-context.js'
import { writeJson } from '../write-json.js'

interface VerifiedFile extends FileCheck {
  role?: 'input' | 'output'
  steps?: string[]
}

const short = (hash: string | undefined): string =>
  hash === undefined ? 'none' : hash.slice(0, 12)

function formatFile(file: VerifiedFile, width: number): string {
  const hashes =
    file.status === 'changed'
      ? `sha256 ${short(file.recorded)} → ${short(file.current)}`
      : file.status === 'missing'
        ? `sha256 ${short(file.recorded)} → missing`
        : `sha256 ${short(file.current)}`
  const used =
    file.steps === undefined || file.steps.length === 0
      ? ''
      : `  (${file.role === 'output' ? 'written by' : 'read by'} ${file.steps.join(', ')})`
  return `  ${file.status.padEnd(10)} ${(file.role ?? '').padEnd(6)} a:${String(file.artifactId).padEnd(width)} ${file.path}  ${hashes}${used}`
}

/** `lore verify <run|artifact>`: hash a run's files (or one artifact) again and compare. */
export function verifyCommand(context: CliContext): Command {
  return new Command('verify')
    .description(
      "hash a run's file artifacts (or one artifact) again and say which changed or are missing since they were recorded; exits 1 if any did",
    )
    .argument(
      '<run|artifact>',
      'a:<id> for one artifact; a run id, its prefix, or e:<id> for all the files of a run',
    )
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { json?: boolean }) => {
      const store = await context.store()
      const artifactId = /^(?:a|artifact):(\d+)$/.exec(reference)?.[1]
      let title: string
      let files: VerifiedFile[]
      if (artifactId !== undefined) {
        const [artifact] = (
          await store.getArtifacts({ ids: [Number(artifactId)], limit: 1 })
        ).items
        if (artifact === undefined)
          throw new LoreError(
            'NOT_FOUND',
            `artifact ${artifactId} not found in ${context.location}; see artifact ids with: lore show <run>`,
            { details: { artifact: reference } },
          )
        const check = await checkFile(artifact)
        if (check === undefined)
          throw new LoreError(
            'INVALID_ARGUMENT',
            `${reference} is not a file or directory (its uri is ${artifact.uri ?? 'empty'}); only file artifacts can be hashed again`,
            { details: { artifact: reference } },
          )
        title = `artifact a:${artifact.id} (${artifact.name === undefined ? artifact.type : readableNodeName(artifact.name)})`
        files = [check]
      } else {
        const run = await findRun(store, reference, context.location)
        title = `run ${run.externalId ?? run.id} (${String(run.properties.pipeline ?? run.name)})`
        files = await checkRunFiles(store, run)
      }
      const bad = files.filter(
        (file) => file.status === 'changed' || file.status === 'missing',
      )
      if (bad.length > 0) context.exitCode = 1
      if (options.json === true) {
        writeJson(context.io, { files, changed: bad.length })
        return
      }
      const width = Math.max(
        0,
        ...files.map((f) => String(f.artifactId).length),
      )
      const verdict =
        files.length === 0
          ? 'no file artifacts to verify'
          : bad.length === 0
            ? `${files.length} file${files.length === 1 ? '' : 's'}, all as recorded`
            : `${bad.length} of ${files.length} file${files.length === 1 ? '' : 's'} changed or missing since recorded`
      context.io.stdout(
        `${[`${title}: ${verdict}`, ...files.map((file) => formatFile(file, width))].join('\n')}\n`,
      )
    })
}
