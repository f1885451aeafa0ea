// Scheme, then `//user:` (the user may be empty), then the password up to the last `@` before
// the path. A password holding an unencoded `/`, `?` or `#` is not a valid url (drivers reject
// it too), so stopping there never runs past the authority into a path such as `/@me`.
const credentials = /([a-z][a-z0-9+.-]*:\/\/[^/?#:@\s]*:)[^/?#\s]*@/gi

/**
 * Replace the password of every url in `text` by `***`, for messages, logs and recorded
 * values: `postgres://lore:s3cret@db/lore` becomes `postgres://lore:***@db/lore`. Works on
 * whole urls and on urls inside longer text (an error message, a command line), and on text
 * that does not parse as a url. Text with no `://` is returned as it is, at the cost of one
 * search.
 *
 * @example
 * maskUrlPassword('cannot reach mysql://root:pw@127.0.0.1/lore')
 * // 'cannot reach mysql://root:***@127.0.0.1/lore'
 */
export function maskUrlPassword(text: string): string {
  if (!text.includes('://')) return text
  return text.replace(credentials, '$1***@')
}
