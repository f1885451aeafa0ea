import { shutdown } from '../recorder/shutdown.js'

/**
 * Make the `lore` process end quietly, with exit code 0, when the reader of its output goes
 * away (`lore runs --json | head -1`): Node ignores SIGPIPE, so a write to the closed pipe
 * fails with EPIPE, which unhandled prints a stack trace and exits 1. Recorders are flushed
 * first, so a pipeline that `lore run` or `lore replay` started keeps what it recorded.
 * Other write errors are left to Node.
 *
 * @example
 * endOnClosedPipe(process.stdout)
 */
export function endOnClosedPipe(stream: NodeJS.WriteStream): void {
  let ending = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    if (ending) return
    ending = true
    void shutdown()
      .catch(() => undefined)
      .finally(() => process.exit(0))
  })
}
