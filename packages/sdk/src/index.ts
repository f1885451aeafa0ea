/**
 * `@lore/sdk`: what a pipeline author calls — `step`, `pipeline`, the decorators, artifacts, the
 * run context, `configure`/`flush`/`shutdown`, replay and run comparison, the model registry,
 * monitoring policies and drift tests. Importing it loads nothing of the store server, the HTTP
 * client or the command line: reading what was recorded is `@lore/sdk/query`, the command line
 * is `@lore/sdk/cli`, and a remote store's client is loaded when a store url is http(s).
 * `test/public-surface.test.ts` pins this list; a name added here is a promise to users.
 */
export { LoreError } from '@lore/store'

// Recording: steps, pipelines, decorators and the run context.
export { step } from './step/step.js'
export type { StepOptions } from './core/step-options.js'
export type { RedactPattern } from './capture/redact.js'
export type { StepDecorator } from './decorators/step-decorator.js'
export type {
  ClassPipelineOptions,
  PipelineDecorator,
} from './decorators/pipeline-decorator.js'
export { pipeline } from './pipeline/pipeline-function.js'
export { pipelineOf, type PipelineClass } from './pipeline/pipeline-of.js'
export { Pipeline, type PipelineBody } from './pipeline/pipeline.js'
export type {
  PipelineOptions,
  RunOptions,
  RunResult,
} from './pipeline/pipeline-options.js'
export type { RunContext } from './core/run-context.js'
export type { RunStatus } from './core/run-state.js'
export { currentRun } from './runtime/current-run.js'
export { currentRunLink, runContextEnv, withRun } from './runtime/with-run.js'
export type { RunLink } from './runtime/run-link.js'
export { seededRandom } from './core/seeded-random.js'

// Artifacts.
export { artifact, type TypedArtifactOptions } from './artifact/artifact.js'
export {
  ArtifactHandle,
  type ArtifactOptions,
} from './artifact/artifact-handle.js'
export { FileArtifact } from './artifact/file-artifact.js'
export { DirArtifact } from './artifact/dir-artifact.js'
export { ValueArtifact } from './artifact/value-artifact.js'

// Where records go.
export {
  configure,
  flush,
  type LoreSettings,
} from './recorder/recorder-registry.js'
export type { RecorderOptions } from './recorder/recorder-options.js'
export { shutdown } from './recorder/shutdown.js'
export { defaultStoreLocation } from './recorder/store-url.js'

// Metrics, replay and comparison.
export type { LogMetricOptions } from './core/metric-point.js'
export { logRunMetric } from './monitor/log-run-metric.js'
export {
  replay,
  type ReplayOptions,
  type ReplayPlan,
  type ReplayResult,
} from './replay/replay.js'
export type { ReplayDifference } from './replay/replay-differences.js'
export {
  compareRuns,
  type DivergenceCause,
  type RunComparison,
  type StepComparison,
} from './compare/compare-runs.js'
export { formatComparison } from './compare/format-comparison.js'

// The model registry.
export { ModelRegistry } from './registry/model-registry.js'
export type {
  ModelRegistryOptions,
  RegisterOptions,
  RegisteredModel,
} from './registry/registry-options.js'
export {
  modelRegistry,
  type OpenRegistryOptions,
} from './registry/model-registry-factory.js'
export type {
  ModelProducer,
  ModelVersion,
  ModelVersionRef,
} from './registry/model-version.js'
export type {
  AliasAction,
  AliasMove,
  AliasState,
} from './registry/alias-move.js'
export type { MoveOptions } from './registry/record-alias-move.js'
export type { ModelSource } from './registry/resolve-model-artifact.js'

// Monitoring: decay, policies, incidents.
export {
  detectDecay,
  type DecayOptions,
  type DecayVerdict,
} from './monitor/detect-decay.js'
export {
  definePolicy,
  type DecayPolicy,
  type DriftPolicy,
  type IncidentTrigger,
  type Policy,
  type PolicyDefinition,
  type PromotionGate,
  type RetrainContext,
  type RetrainResult,
  type WatchPolicy,
} from './monitor/policy.js'
export {
  checkPolicy,
  type CheckOptions,
  type CheckOutcome,
  type CheckReport,
} from './monitor/check-policy.js'
export { watchPolicies, type WatchOptions } from './monitor/watch-policies.js'
export type { Incident, IncidentStatus } from './monitor/incident.js'
export {
  findIncident,
  listIncidents,
  type ListIncidentsOptions,
} from './monitor/incident-store.js'
export {
  incidentTimeline,
  type IncidentTimeline,
  type TimelineEntry,
} from './monitor/incident-timeline.js'
export {
  recordStatistics,
  type RecordedStatistics,
  type RecordStatisticsOptions,
} from './monitor/record-statistics.js'

// Drift: profiles, the tests a verdict is made of, and the verdicts.
export type {
  CategoricalColumnProfile,
  ColumnKind,
  ColumnProfile,
  ColumnProfileBase,
  DatasetProfile,
  FrequentValue,
  NumericColumnProfile,
  Quantiles,
} from './drift/column-profile.js'
export type {
  ColumnsInput,
  DatasetInput,
  RowsInput,
} from './drift/dataset-input.js'
export { profileColumn, type ProfileOptions } from './drift/profile-column.js'
export {
  profileDataset,
  type ProfileDatasetOptions,
} from './drift/profile-dataset.js'
export {
  detectColumnDrift,
  type ColumnDriftOptions,
} from './drift/detect-column-drift.js'
export {
  detectDatasetDrift,
  type DatasetDriftOptions,
} from './drift/detect-dataset-drift.js'
export type {
  ColumnDriftVerdict,
  DatasetDriftVerdict,
  DriftColumnType,
  DriftRule,
  DriftTestName,
} from './drift/drift-verdict.js'
export {
  defaultDriftThresholds,
  type DriftTestInput,
} from './drift/select-drift-test.js'
export {
  ksTest,
  type KsMethod,
  type KsTestOptions,
  type KsTestResult,
} from './drift/ks-test.js'
export {
  chiSquaredTest,
  type ChiSquaredTestResult,
} from './drift/chi-squared-test.js'
export {
  proportionsZTest,
  type ProportionsZTestResult,
} from './drift/proportions-z-test.js'
export { populationStabilityIndex } from './drift/population-stability-index.js'
export { jensenShannonDistance } from './drift/jensen-shannon-distance.js'
export {
  normalizedWassersteinDistance,
  wassersteinDistance,
} from './drift/wasserstein-distance.js'
