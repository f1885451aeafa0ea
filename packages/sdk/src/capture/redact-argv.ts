import { isSecretKey, redactedMarker } from './redact.js'
import { redactText } from './redact-text.js'

/**
 * A command line with its secrets hidden, by the same rules as every other recorded string:
 * each argument goes through {@link redactText} (`--password=x`, `--api-key=…`, urls with a
 * password, token formats), and the argument after a flag whose name is a secret key
 * (`--token x`, `--db-password 'a b'`) is hidden whole, as the key rule hides `token: x`.
 * Never throws.
 *
 * @example
 * redactArgv(['train.ts', '--token', 'abc123', '--db=postgres://u:pw@h/x'])
 * // ['train.ts', '--token', '[REDACTED]', '--db=postgres://u:***@h/x']
 */
export function redactArgv(argv: readonly string[]): string[] {
  const shown: string[] = []
  for (let index = 0; index < argv.length; index++) {
    const argument = String(argv[index])
    shown.push(redactText(argument))
    if (
      /^--?[A-Za-z]/.test(argument) &&
      !argument.includes('=') &&
      index + 1 < argv.length &&
      isSecretKey(argument)
    ) {
      shown.push(redactedMarker)
      index++
    }
  }
  return shown
}
