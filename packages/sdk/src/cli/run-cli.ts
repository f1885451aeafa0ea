import { LoreError } from '@lore/store'
import { CommanderError } from 'commander'
import { CliContext } from './cli-context.js'
import { processIo, type CliIo } from './cli-io.js'
import { createProgram } from './create-program.js'

function report(error: unknown, json: boolean, io: CliIo): void {
  if (LoreError.isInstance(error)) {
    if (json) {
      io.stdout(`${JSON.stringify({ error: error.toJSON() })}\n`)
      return
    }
    io.stderr(`lore: ${error.message}\n`)
    for (const issue of error.issues)
      if (!error.message.includes(issue.message))
        io.stderr(`  - ${issue.message}\n`)
    return
  }
  const text =
    error instanceof Error ? (error.stack ?? error.message) : String(error)
  io.stderr(`lore: unexpected error: ${text}\n`)
}

/**
 * Run the `lore` command line on `args` (without `node` and the script) and resolve with the
 * exit code: 0, or 1 after printing a clear error (as JSON under `--json`). Never exits the
 * process itself.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2))
 */
export async function runCli(
  args: readonly string[],
  io: CliIo = processIo,
): Promise<number> {
  const context = new CliContext(io)
  const program = createProgram(context)
  program.exitOverride()
  program.configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
  })
  // Commands made with `new Command()` inherit nothing: give each the same output and exits.
  const commands = [...program.commands]
  for (const command of commands) {
    commands.push(...command.commands) // and their subcommands (lore models list…)
    command.exitOverride()
    command.configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
  }
  try {
    await program.parseAsync([...args], { from: 'user' })
    return context.exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    report(error, args.includes('--json'), io)
    return 1
  } finally {
    if (io.interactive) io.stderr('\r\u001b[K')
    await context.close()
  }
}
