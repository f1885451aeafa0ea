/**
 * `@lore/sdk/query`: reading what was recorded — runs, their step trees, a step's facts,
 * lineage and why a cached step missed — the same reads `lore runs`, `lore show`, `lore lineage`
 * and `lore explain` make.
 */
export { listRuns, type ListRunsOptions } from './list-runs.js'
export { findRun } from './find-run.js'
export {
  getRunDetails,
  type ArtifactUse,
  type RunDetails,
  type StepNode,
} from './run-details.js'
export { summarizeRun, type RunSummary } from './run-summary.js'
export { stepFacts, type StepFacts } from './step-facts.js'
export {
  markAbandoned,
  isAbandoned,
  type AbandonOptions,
} from './mark-abandoned-runs.js'
export {
  resolveLineageStart,
  type LineageStart,
} from './resolve-lineage-start.js'
export { buildLineageTrees, type LineageTreeNode } from './lineage-tree.js'
export {
  explainExecution,
  type CacheExplanation,
} from '../cache/explain-execution.js'
export type { CacheKeyParts } from '../cache/cache-key.js'
