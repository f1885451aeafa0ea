import {
  uniqueNodeName,
  type Artifact,
  type ArtifactInput,
  type Context,
  type Event,
  type Execution,
  type MetadataStore,
  type Value,
} from '@lore/store'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { sizeInputs } from '../core/call-inputs.js'
import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'
import {
  artifactIdentity,
  describeArtifact,
  describeValue,
} from '../recorder/describe-artifact.js'
import { toProperties } from '../recorder/property-value.js'
import { buildRunEvents, type BuildEventsOptions } from './build-run-events.js'
import { openLineageRunId } from './run-id.js'
import type { RunRecords } from './run-records.js'

// The START events of a run and of a step call, made at their start from what the process
// knows — the run's properties, the call's snapshot — as the records the store will hold,
// and built by the export's own builder: live and exported STARTs are the same event.

/** The run's context as the store will hold it once its start is written. */
function contextOf(run: RunState, properties: Record<string, Value>): Context {
  return {
    id: 0,
    typeId: 0,
    type: 'PipelineRun',
    name: run.contextName,
    externalId: run.id,
    properties,
    customProperties: { status: 'RUNNING', startedAt: run.startedAt },
    createTimeSinceEpoch: run.startedAt,
    lastUpdateTimeSinceEpoch: run.startedAt,
  }
}

const noRecords = (context: Context): RunRecords => ({
  context,
  executions: [],
  events: [],
  artifacts: new Map(),
  executionMetrics: new Map(),
  runMetrics: [],
})

/**
 * A run's START, from its properties as the recorder writes them at its start.
 *
 * @example
 * const start = runStartEvent(run, await runProperties(run, false), { namespace: 'ml' })
 */
export function runStartEvent(
  run: RunState,
  properties: Record<string, Value>,
  options: BuildEventsOptions,
): OpenLineageRunEvent {
  return buildRunEvents(noRecords(contextOf(run, properties)), options)[0]!
}

/** A call as the RUNNING execution its record will be (`id` is local to these records). */
export function executionOf(call: StepCall, id: number): Execution {
  const params = call.inputs.params
  return {
    id,
    typeId: 0,
    type: call.step.executionType,
    name: uniqueNodeName(call.step.name, call.id),
    externalId: call.id,
    lastKnownState: 'RUNNING',
    startTimeSinceEpoch: call.startTime,
    properties: {},
    customProperties: toProperties({
      params: Object.keys(params).length > 0 ? params : undefined,
      lore: call.parentId === undefined ? {} : { parent: call.parentId },
    }),
    createTimeSinceEpoch: call.startTime,
    lastUpdateTimeSinceEpoch: call.startTime,
  }
}

function artifactOf(input: ArtifactInput, id: number): Artifact {
  const artifact: Artifact = {
    id,
    typeId: 0,
    type: input.type ?? 'Value',
    state: input.state ?? 'LIVE',
    properties: input.properties ?? {},
    customProperties: input.customProperties ?? {},
    createTimeSinceEpoch: 0,
    lastUpdateTimeSinceEpoch: 0,
  }
  if (input.name !== undefined) artifact.name = input.name
  if (input.uri !== undefined) artifact.uri = input.uri
  if (input.version !== undefined) artifact.version = input.version
  if (input.externalId !== undefined) artifact.externalId = input.externalId
  if (input.fingerprint !== undefined) artifact.fingerprint = input.fingerprint
  return artifact
}

/**
 * The artifacts a call was given that are known when it starts: the handles and the
 * tracked values (earlier steps' outputs) found in its arguments or given as a large
 * argument — as the store holds them when it does, else described as the recorder will
 * describe them. A large value the call itself turns into a `Value` artifact is not known
 * yet: it is an input of its end event. (An output changed in place before it is passed on
 * is recorded as a new value at the end; its START still names the output.)
 */
async function inputsAtStart(
  call: StepCall,
  store: MetadataStore | undefined,
): Promise<{ artifact: Artifact; produced: boolean }[] | undefined> {
  const options = { limits: call.step.limits, redact: call.step.redact }
  const wanted: {
    externalId: string
    produced: boolean
    describe: () => ArtifactInput | Promise<ArtifactInput> | undefined
  }[] = []
  for (const found of call.inputs.references) {
    if (found.kind === 'handle') {
      const handle = found.handle
      // A value handle is a `Value` no step of the run made: the export leaves it out too.
      if (handle.type === 'Value') continue
      const { externalId } = await artifactIdentity(handle)
      wanted.push({
        externalId,
        produced: false,
        describe: () => describeArtifact(handle, options),
      })
    } else {
      const { tracked, value } = found
      wanted.push({
        externalId: tracked.externalId,
        produced: true,
        describe: () =>
          value === undefined
            ? undefined
            : describeValue(value, tracked, options),
      })
    }
  }
  // A large argument that is an earlier step's output, passed on unchanged: that artifact.
  for (const { value, known } of call.inputs.large)
    if (known?.kind === 'artifact')
      wanted.push({
        externalId: known.externalId,
        produced: true,
        describe: () => describeValue(value, known, options),
      })
  const stored = new Map<string, Artifact>()
  const ids = [...new Set(wanted.map((entry) => entry.externalId))]
  if (store !== undefined && ids.length > 0) {
    try {
      for (const artifact of (
        await store.getArtifacts({ externalIds: ids.slice(0, 1000) })
      ).items)
        if (artifact.externalId !== undefined)
          stored.set(artifact.externalId, artifact)
    } catch {
      // Not readable now: described here instead.
    }
  }
  const inputs: { artifact: Artifact; produced: boolean }[] = []
  for (const entry of wanted) {
    const kept = stored.get(entry.externalId)
    const described = kept === undefined ? await entry.describe() : undefined
    const artifact =
      kept ?? (described === undefined ? undefined : artifactOf(described, 0))
    // A part of an output whose record is not written yet: not known until it is.
    if (artifact === undefined) return undefined
    inputs.push({ artifact, produced: entry.produced })
  }
  return inputs
}

/**
 * A step call's START, at its start: job, parent (the call it was made in, looked up while
 * that was still in flight) and root, parameters (the snapshot's,
 * redacted when it was taken), and the input datasets known then (see inputsAtStart).
 * `store`, when readable, supplies the stored records of inputs written already; undefined
 * while an input is a part of an output whose record is not written yet (ask again later).
 *
 * @example
 * const start = await stepStartEvent({ call, parent }, properties, store, {})
 */
export async function stepStartEvent(
  { call, parent }: { call: StepCall; parent: StepCall | undefined },
  properties: Record<string, Value>,
  store: MetadataStore | undefined,
  options: BuildEventsOptions,
): Promise<OpenLineageRunEvent | undefined> {
  // What the recorder does first too: a parameter too large to be one becomes an artifact.
  sizeInputs(call.inputs, call.step.limits.maxParamBytes)
  const executions = [executionOf(call, 1)]
  if (parent !== undefined) executions.push(executionOf(parent, 2))
  const events: Event[] = []
  const artifacts = new Map<number, Artifact>()
  const found = await inputsAtStart(call, store)
  if (found === undefined) return undefined
  found.forEach(({ artifact, produced }, index) => {
    const id = index + 1
    artifacts.set(id, { ...artifact, id })
    const edge = { artifactId: id, path: [], millisecondsSinceEpoch: 0 }
    events.push({ ...edge, executionId: 1, type: 'INPUT' })
    // An earlier step's output: what the export sees as made in the run (execution 0 is none
    // of these records' executions, so it adds no event of its own).
    if (produced) events.push({ ...edge, executionId: 0, type: 'OUTPUT' })
  })
  const records: RunRecords = {
    ...noRecords(contextOf(call.run, properties)),
    executions,
    events,
    artifacts,
  }
  const runId = openLineageRunId(call.id)
  return buildRunEvents(records, options).find(
    (event) => event.run.runId === runId && event.eventType === 'START',
  )
}
