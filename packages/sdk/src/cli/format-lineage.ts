import { readableNodeName, type LineageSubgraph } from '@lore/store'
import type { LineageTreeNode } from '../query/lineage-tree.js'
import { stepFacts } from '../query/step-facts.js'
import { describeArtifactLine } from './format-run.js'
import { formatDuration } from './format-values.js'

function label(
  node: LineageTreeNode,
  direction: 'upstream' | 'downstream',
): string {
  const path = node.via?.path.slice(1).join('.') ?? ''
  if (node.kind === 'artifact' && node.artifact !== undefined) {
    const edge =
      node.via === undefined
        ? ''
        : direction === 'upstream'
          ? `${path} ← `
          : `${path} → `
    return `${edge}${describeArtifactLine(node.artifact)}`
  }
  const execution = node.execution
  if (execution === undefined) return `e:${node.id}`
  const verb = direction === 'upstream' ? 'made by' : 'read by'
  const via = node.via === undefined ? '' : `${verb} `
  return `${via}${readableNodeName(execution.name) ?? '(step)'} (${execution.type}, ${execution.lastKnownState}, ${formatDuration(stepFacts(execution).durationMs)}) [e:${execution.id}]`
}

/**
 * Lineage trees as indented text: upstream reads "model ← made by train ← rows ← split's
 * output…", each artifact with its type, name and fingerprint.
 */
export function formatLineageTrees(
  trees: LineageTreeNode[],
  direction: 'upstream' | 'downstream',
): string {
  const lines: string[] = []
  const walk = (
    node: LineageTreeNode,
    prefix: string,
    last: boolean,
    root: boolean,
  ) => {
    const branch = root ? '' : last ? '└── ' : '├── '
    lines.push(
      `${prefix}${branch}${label(node, direction)}${node.repeated === true ? ' (shown above)' : ''}`,
    )
    const childPrefix = root ? '' : `${prefix}${last ? '    ' : '│   '}`
    node.children.forEach((child, index) =>
      walk(child, childPrefix, index === node.children.length - 1, false),
    )
  }
  for (const tree of trees) walk(tree, '', true, true)
  return lines.join('\n')
}

const escape = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')
/** A DOT string of lines. */
const dotString = (...parts: string[]): string =>
  `"${parts.map(escape).join('\\n')}"`

/** A lineage subgraph in Graphviz's DOT language: artifacts as boxes, executions as ellipses. */
export function formatLineageDot(subgraph: LineageSubgraph): string {
  const lines = ['digraph lineage {', '  rankdir=LR;']
  for (const artifact of subgraph.artifacts) {
    const parts = [
      `${artifact.type} ${readableNodeName(artifact.name) ?? artifact.uri ?? ''} [a:${artifact.id}]`,
    ]
    if (artifact.fingerprint !== undefined)
      parts.push(`sha256:${artifact.fingerprint.slice(0, 12)}`)
    lines.push(`  a${artifact.id} [shape=box, label=${dotString(...parts)}];`)
  }
  for (const execution of subgraph.executions)
    lines.push(
      `  e${execution.id} [shape=ellipse, label=${dotString(`${readableNodeName(execution.name) ?? '(step)'} [e:${execution.id}]`, execution.lastKnownState)}];`,
    )
  for (const event of subgraph.events) {
    const path = dotString(event.path.slice(1).join('.'))
    lines.push(
      event.type.endsWith('INPUT')
        ? `  a${event.artifactId} -> e${event.executionId} [label=${path}];`
        : `  e${event.executionId} -> a${event.artifactId} [label=${path}];`,
    )
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}
