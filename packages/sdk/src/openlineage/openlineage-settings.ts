import type { OpenLineageOptions } from './openlineage-config.js'

/**
 * The OpenLineage options given in code (`configureOpenLineage`), kept apart from the emitter
 * so that a recorder can tell whether emission may be wanted without loading any of it.
 */
let options: OpenLineageOptions = {}

export const openLineageOptions = (): OpenLineageOptions => options

export function setOpenLineageOptions(settings: OpenLineageOptions): void {
  options = Object.freeze({ ...settings })
}

/**
 * Whether emission may be on: options were given in code or an `OPENLINEAGE_*` variable is
 * set. False means off for sure; true still lets the full config decide.
 */
export const openLineageMayBeWanted = (
  environment: NodeJS.ProcessEnv = process.env,
): boolean =>
  Object.keys(options).length > 0 ||
  Object.keys(environment).some((name) => name.startsWith('OPENLINEAGE'))
