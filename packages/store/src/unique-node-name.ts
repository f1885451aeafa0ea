import * as crypto from 'node:crypto'

/** The most characters an indexed name holds on every backend (MySQL's VARCHAR(255)). */
export const maxNodeNameLength = 255

/**
 * A node name unique within its type, as MLMD wants artifact and execution names to be:
 * `readable` and `#` with 16 hex digits of the sha256 of `key` (a client-made id, such as an
 * external id). The same key always gives the same name, so a retry names its node again;
 * `readable` is cut so that the whole fits an indexed column. `readableNodeName` gives the
 * readable part back.
 *
 * @example
 * uniqueNodeName('train', 'execution:5d0c…') // 'train#9b1e…' (16 hex digits)
 */
export function uniqueNodeName(readable: string, key: string): string {
  const suffix = `#${sha256Hex(key).slice(0, 16)}`
  const room = maxNodeNameLength - suffix.length
  // No more UTF-16 units than room means no more code points: nothing to cut (the common
  // case, and a recorder names every step call, so it skips splitting the name).
  if (readable.length <= room) return `${readable}${suffix}`
  return `${[...readable].slice(0, room).join('')}${suffix}`
}

// One-shot `crypto.hash` (Node 20.12+) is half the cost of a Hash object, and every step
// record is named here; older Node 20 releases build the Hash.
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string) => string }
).hash

function sha256Hex(text: string): string {
  return oneShot === undefined
    ? crypto.createHash('sha256').update(text).digest('hex')
    : oneShot('sha256', text)
}
