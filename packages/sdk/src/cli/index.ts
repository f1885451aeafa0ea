/**
 * `@lore/sdk/cli`: the `lore` command line as a function, for embedding it in another tool or
 * testing it with captured output. Loads commander, the store server and the HTTP client, which
 * `@lore/sdk` itself never does.
 */
export { runCli } from './run-cli.js'
export type { CliIo } from './cli-io.js'
