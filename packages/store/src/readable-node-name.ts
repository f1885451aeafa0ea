/** The suffix {@link uniqueNodeName} appends: `#` and 16 hex digits. */
const uniqueSuffix = /#[0-9a-f]{16}$/

/**
 * The readable part of a node name made by `uniqueNodeName` (`train#3f2a…` → `train`); any
 * other name as it is. For display: names are unique within a type, as in MLMD, so a
 * recorder makes them unique with a suffix that people need not read.
 *
 * @example
 * readableNodeName('train#0123456789abcdef') // 'train'
 * readableNodeName('my model') // 'my model'
 */
export function readableNodeName(name: string): string
export function readableNodeName(name: string | undefined): string | undefined
export function readableNodeName(name: string | undefined): string | undefined {
  return name?.replace(uniqueSuffix, '')
}
