import { LoreError } from '@lore/store'
import { checkFile } from '../query/check-files.js'
import type { ModelVersion } from './model-version.js'
import type { ForcedFileCheck, MoveOptions } from './record-alias-move.js'

const short = (hash: string | undefined): string =>
  hash === undefined ? 'none' : hash.slice(0, 12)

/**
 * Re-hash the model file of a version about to be promoted. A file overwritten in place (or
 * gone) since it was registered is refused, unless `force` is given with a `reason`; then the
 * check is returned, for the move to record. Undefined when the file is as registered, or
 * when the version's artifact is not a file.
 *
 * @example
 * const forced = await checkModelFile(version, { force: true, reason: 'retrained in place' })
 */
export async function checkModelFile(
  version: ModelVersion,
  options: MoveOptions,
): Promise<ForcedFileCheck | undefined> {
  const check = await checkFile(version.artifact)
  if (check === undefined || check.status === 'same') return undefined
  if (check.status === 'unrecorded') return undefined
  const what =
    check.status === 'missing'
      ? `is missing (${check.path})`
      : `changed since it was registered (${check.path}: sha256 ${short(check.recorded)} → ${short(check.current)})`
  const name = `model '${version.model}' v${version.version}`
  if (options.force !== true)
    throw new LoreError(
      'FAILED_PRECONDITION',
      `${name}: its model file ${what}; promoting it would deploy other weights than the ones registered and evaluated. Register the file as a new version, or promote anyway with --force --reason "<why>"`,
      {
        details: {
          model: version.model,
          version: version.version,
          path: check.path,
          status: check.status,
        },
      },
    )
  if (options.reason === undefined || options.reason.trim() === '')
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${name}: --force needs --reason "<why>": its model file ${what}, and the move records why it was promoted anyway`,
      { details: { model: version.model, version: version.version } },
    )
  return {
    path: check.path,
    status: check.status,
    recorded: check.recorded,
    current: check.current,
  }
}
