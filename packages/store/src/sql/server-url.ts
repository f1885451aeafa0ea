import { LoreError } from '../lore-error.js'
import { maskUrlPassword } from '../mask-url-password.js'

/** A database server's url split into what the driver gets and what Lore reads itself. */
export interface ServerUrl {
  /** The url without Lore's own parameters, for the database driver. */
  driverUrl: string
  /** The url with its password replaced by `***`, for messages and logs. */
  location: string
  /** Lore's parameters (`schema`, `max_connections`), removed from `driverUrl`. */
  parameters: Map<string, string>
}

/**
 * Parse a server url (`postgres://user:secret@host:5432/lore?schema=team&max_connections=20`),
 * taking out the parameters Lore reads (`names`) and hiding the password for messages.
 * Throws INVALID_ARGUMENT for a url that does not parse.
 *
 * @example
 * parseServerUrl('mysql://root:pw@127.0.0.1/lore?max_connections=5', ['max_connections'])
 * // { driverUrl: 'mysql://root:pw@127.0.0.1/lore', location: 'mysql://root:***@127.0.0.1/lore', … }
 */
export function parseServerUrl(
  url: string,
  names: readonly string[],
): ServerUrl {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `store url '${maskUrlPassword(url)}' is not a url; write it as scheme://user:password@host:port/database`,
      { cause: error },
    )
  }
  const parameters = new Map<string, string>()
  for (const name of names) {
    const value = parsed.searchParams.get(name)
    if (value !== null) parameters.set(name, value)
    parsed.searchParams.delete(name)
  }
  const driverUrl = parsed.toString()
  if (parsed.password !== '') parsed.password = '***'
  return { driverUrl, location: parsed.toString(), parameters }
}

/**
 * A whole number parameter of a store url, or `undefined` when it is absent; INVALID_ARGUMENT
 * when it is not a positive integer.
 */
export function positiveIntegerParameter(
  server: ServerUrl,
  name: string,
): number | undefined {
  const text = server.parameters.get(name)
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `store url ${server.location}: ${name}=${text} is not a positive whole number`,
      { details: { parameter: name, value: text } },
    )
  }
  return value
}
