import { endOnClosedPipe } from './end-on-closed-pipe.js'
import { runCli } from './run-cli.js'

endOnClosedPipe(process.stdout)
process.exitCode = await runCli(process.argv.slice(2))
