#!/usr/bin/env node
// The `lore` command. The package ships TypeScript sources, so tsx compiles them on the fly.
import process from 'node:process'
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/cli/run-cli.ts')
const { endOnClosedPipe } = await import('../src/cli/end-on-closed-pipe.ts')
endOnClosedPipe(process.stdout)
process.exitCode = await runCli(process.argv.slice(2))
