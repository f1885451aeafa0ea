import {
  resolveField,
  type FilterEntity,
  type LinkRelation,
} from './filter-fields.js'
import type { FilterNode } from './filter-node.js'

/** The SQL names of the rows one filter alias (`contexts_a`, `events_0`) is bound to. */
export interface AliasBinding {
  relation: LinkRelation
  /** The context or event row the alias stands for. */
  target: string
}

/** Every alias a filter names, in order of appearance, with the SQL alias of its row. */
export function collectAliases(
  node: FilterNode,
  entity: FilterEntity,
): Map<string, AliasBinding> {
  const aliases = new Map<string, AliasBinding>()
  const visit = (current: FilterNode): void => {
    switch (current.kind) {
      case 'and':
      case 'or':
        current.operands.forEach(visit)
        return
      case 'not':
        visit(current.operand)
        return
      default: {
        const field = resolveField(current.field.path, entity)
        if ('problem' in field || field.kind !== 'link') return
        if (field.alias === undefined || aliases.has(field.alias)) return
        aliases.set(field.alias, {
          relation: field.relation,
          target: `fa${aliases.size}`,
        })
      }
    }
  }
  visit(node)
  return aliases
}

/**
 * Wrap a compiled filter that names aliases in one EXISTS over the rows they are bound to,
 * as MLMD joins them: each alias is one linked context (or event), so every condition on it
 * is about that one, and a node with no such link matches no condition on it.
 */
export function bindAliases(
  sql: string,
  aliases: ReadonlyMap<string, AliasBinding>,
  entity: FilterEntity,
  alias: string,
): string {
  const from: string[] = []
  const where: string[] = []
  for (const { relation, target } of aliases.values()) {
    const link = target.replace('fa', 'fl')
    if (relation === 'events') {
      from.push(`event ${target}`)
      where.push(`${target}.${entity}_id = ${alias}.id`)
      continue
    }
    const [table, owner, other] =
      relation === 'parent_contexts'
        ? ['parent_context', 'context_id', 'parent_context_id']
        : relation === 'child_contexts'
          ? ['parent_context', 'parent_context_id', 'context_id']
          : entity === 'artifact'
            ? ['attribution', 'artifact_id', 'context_id']
            : ['association', 'execution_id', 'context_id']
    from.push(
      `${table} ${link} JOIN context ${target} ON ${target}.id = ${link}.${other}`,
    )
    where.push(`${link}.${owner} = ${alias}.id`)
  }
  return `EXISTS (SELECT 1 FROM ${from.join(' CROSS JOIN ')} WHERE ${where.join(' AND ')} AND ${sql})`
}
