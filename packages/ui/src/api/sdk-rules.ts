/*
 * The SDK's own rules for reading the graph, bundled into the page so that the page and the
 * `lore` command line never disagree about what a run, a step, a model version or a diff is.
 * They are imported by path because the SDK's index also loads Node-only modules (the
 * recorder, the CLI) that a page cannot run.
 */
export {
  summarizeRun,
  type RunSummary,
} from '../../../sdk/src/query/run-summary.js'
export { stepFacts } from '../../../sdk/src/query/step-facts.js'
export { findRun } from '../../../sdk/src/query/find-run.js'
export {
  getRunDetails,
  type RunDetails,
  type StepNode,
} from '../../../sdk/src/query/run-details.js'
export { isAbandoned } from '../../../sdk/src/query/mark-abandoned-runs.js'
export {
  resolveLineageStart,
  type LineageStart,
} from '../../../sdk/src/query/resolve-lineage-start.js'
export {
  compareRuns,
  type RunComparison,
} from '../../../sdk/src/compare/compare-runs.js'
export type { ModelVersion } from '../../../sdk/src/registry/model-version.js'
export type { AliasMove } from '../../../sdk/src/registry/alias-move.js'
export { listIncidents } from '../../../sdk/src/monitor/incident-store.js'
export {
  incidentTimeline,
  type IncidentTimeline,
} from '../../../sdk/src/monitor/incident-timeline.js'
export type { Incident } from '../../../sdk/src/monitor/incident.js'
export { filterLiteral } from '../../../sdk/src/registry/registry-names.js'
