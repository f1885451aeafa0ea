import { hashValue } from '../capture/hash-value.js'
import {
  newTrackedArtifact,
  type IdentityTracker,
} from '../capture/identity-tracker.js'
import type { JsonValue } from '../capture/json-value.js'
import { sizeInputs } from '../core/call-inputs.js'
import type { StepCall } from '../core/step-call.js'
import type { ArtifactReferences } from './artifact-references.js'

/**
 * The inputs of a call, from the snapshot taken before it ran: its parameters as they were,
 * INPUT events to the artifact handles and tracked values found in its arguments, and new
 * `Value` artifacts for large values, fingerprinted here, off the caller's path (the same
 * object passed again unchanged is the same artifact). Returns the parameters.
 */
export function captureInputs(
  call: StepCall,
  references: ArtifactReferences,
  tracker: IdentityTracker,
): Record<string, JsonValue> {
  const step = call.step
  const inputs = call.inputs
  sizeInputs(inputs, step.limits.maxParamBytes)
  for (const found of inputs.references) {
    if (found.kind === 'handle')
      references.handle(found.handle, 'INPUT', found.path)
    else references.tracked(found.tracked, found.value, 'INPUT', found.path)
  }
  for (const { name, value, known } of inputs.large) {
    const path = ['inputs', name]
    references.defer(
      Promise.resolve().then(() => {
        const fingerprint = hashValue(value)
        if (known?.kind === 'artifact' && known.fingerprint === fingerprint) {
          references.tracked(known, value, 'INPUT', path)
          return
        }
        const tracked = newTrackedArtifact('Value', `${step.name}.${name}`)
        tracked.fingerprint = fingerprint
        if (typeof value === 'object' && value !== null)
          tracker.set(value, tracked)
        references.tracked(tracked, value, 'INPUT', path)
      }),
    )
  }
  return inputs.params
}
