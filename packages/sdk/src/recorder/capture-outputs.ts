import { isPlainObject, type JsonValue } from '../capture/json-value.js'
import { redactedMarker } from '../capture/redact.js'
import { toJsonSafe } from '../capture/safe-serialize.js'
import { planOutputs } from '../core/call-outputs.js'
import type { StepCall } from '../core/step-call.js'
import type { ArtifactReferences } from './artifact-references.js'

/**
 * The outputs of a finished call, from the plan made when it ended: OUTPUT events to its
 * artifact handles and tracked artifacts, and the JSON shown inline — numbers, strings and
 * small plain records (redacted in the same serialisation).
 */
export function captureOutputs(
  call: StepCall,
  references: ArtifactReferences,
): JsonValue | undefined {
  // A call that returned a primitive was not planned when it ended (see plansIdentity).
  const planned = call.outputs ?? planOutputs(call)
  const step = call.step
  const options = { limits: step.limits, redact: step.redact }
  const values: Record<string, JsonValue> = {}
  let result: JsonValue | undefined
  for (const output of planned.outputs) {
    const path = ['outputs', output.field]
    let json: JsonValue | undefined
    switch (output.kind) {
      case 'handle':
        references.handle(output.handle, 'OUTPUT', path)
        break
      case 'tracked':
        references.tracked(output.tracked, output.value, 'OUTPUT', path)
        break
      case 'redacted':
        json = redactedMarker
        break
      case 'value':
        json = toJsonSafe(output.value, options).json
    }
    if (output.field === 'result') result = json
    else if (planned.byField && json !== undefined) values[output.field] = json
  }
  if (planned.byField)
    return Object.keys(values).length > 0 ? values : undefined
  // A small record of plain values is an artifact (for lineage) and readable inline.
  if (planned.inlineResult && isPlainObject(call.result)) {
    const json = toJsonSafe(call.result, options)
    if (
      !json.truncated &&
      JSON.stringify(json.json).length <= step.limits.maxParamBytes
    )
      return json.json
  }
  return result
}
