export { step } from './step/step.js'
export type { StepOptions } from './core/step-options.js'
export { stepDefinitionOf } from './runtime/wrap-step.js'
export type { StepDecorator } from './decorators/step-decorator.js'
export {
  type ClassPipelineOptions,
  type PipelineDecorator,
} from './decorators/pipeline-decorator.js'
export {
  detectDecoratorMode,
  type DecoratorMode,
} from './decorators/decorator-mode.js'
export { metadataKeys, getStepMetadata } from './decorators/lore-metadata.js'
export { pipeline } from './pipeline/pipeline-function.js'
export { pipelineOf, type PipelineClass } from './pipeline/pipeline-of.js'
export { Pipeline, type PipelineBody } from './pipeline/pipeline.js'
export type {
  PipelineOptions,
  RunOptions,
  RunResult,
} from './pipeline/pipeline-options.js'
export type { RunContext } from './core/run-context.js'
export { currentRun } from './runtime/current-run.js'
export type { RunStatus } from './core/run-state.js'
export { shutdown } from './recorder/shutdown.js'
export { artifact, type TypedArtifactOptions } from './artifact/artifact.js'
export {
  ArtifactHandle,
  type ArtifactOptions,
} from './artifact/artifact-handle.js'
export { FileArtifact } from './artifact/file-artifact.js'
export { DirArtifact } from './artifact/dir-artifact.js'
export { ValueArtifact } from './artifact/value-artifact.js'
export {
  configure,
  flush,
  type LoreSettings,
} from './recorder/recorder-registry.js'
export { Recorder, type RecorderStats } from './recorder/recorder.js'
export type { RecorderOptions } from './recorder/recorder-options.js'
export { defaultStoreLocation } from './recorder/store-url.js'
export type { CaptureLimits } from './capture/capture-limits.js'
export {
  createRedactor,
  defaultRedactPatterns,
  type RedactPattern,
} from './capture/redact.js'
export { toJsonSafe, type SerializeOptions } from './capture/safe-serialize.js'
export { hashValue } from './capture/hash-value.js'
export { parseParameterNames } from './capture/argument-names.js'
export { listRuns, type ListRunsOptions } from './query/list-runs.js'
export { findRun } from './query/find-run.js'
export {
  getRunDetails,
  type RunDetails,
  type StepNode,
  type ArtifactUse,
} from './query/run-details.js'
export {
  markAbandoned,
  isAbandoned,
  type AbandonOptions,
} from './query/mark-abandoned-runs.js'
export { summarizeRun, type RunSummary } from './query/run-summary.js'
export {
  resolveLineageStart,
  type LineageStart,
} from './query/resolve-lineage-start.js'
export {
  buildLineageTrees,
  type LineageTreeNode,
} from './query/lineage-tree.js'
export { runCli } from './cli/run-cli.js'
export type { CliIo } from './cli/cli-io.js'
export type { LogMetricOptions } from './core/metric-point.js'
export { logRunMetric } from './monitor/log-run-metric.js'
export * from './drift/index.js'
export * from './registry/index.js'
export * from './monitor/index.js'
export { stepFacts, type StepFacts } from './query/step-facts.js'
export {
  replay,
  type ReplayOptions,
  type ReplayPlan,
  type ReplayResult,
} from './replay/replay.js'
export type { ReplayDifference } from './replay/replay-differences.js'
export {
  compareRuns,
  type RunComparison,
  type StepComparison,
  type DivergenceCause,
} from './compare/compare-runs.js'
export { formatComparison } from './compare/format-comparison.js'
export {
  explainExecution,
  type CacheExplanation,
} from './cache/explain-execution.js'
export type { CacheKeyParts } from './cache/cache-key.js'
export { currentRunLink, runContextEnv, withRun } from './runtime/with-run.js'
export {
  parseRunLink,
  runLinkVariable,
  type RunLink,
} from './runtime/run-link.js'
export { Outbox, type DrainResult } from './outbox/outbox.js'
export type { OutboxEntry } from './outbox/outbox-entry.js'
export { defaultOutboxLocation } from './outbox/outbox-location.js'
export {
  drainOutbox,
  type DrainOutboxOptions,
} from './recorder/drain-outbox.js'
export { seededRandom } from './core/seeded-random.js'
