import { createRequire } from 'node:module'
import type * as ReflectMetadata from 'reflect-metadata/no-conflict'
import type { StepOptions } from '../core/step-options.js'
import type { DecoratorMode } from './decorator-mode.js'

let reflect: typeof ReflectMetadata | undefined

// Loaded at the first decorator, not with '@lore/sdk': a pipeline of step() functions never
// needs it, and it is an eighth of the import time of the SDK.
function reflectMetadata(): typeof ReflectMetadata {
  reflect ??= createRequire(import.meta.url)(
    'reflect-metadata/no-conflict',
  ) as typeof ReflectMetadata
  return reflect
}

/** Lore's own metadata keys; nothing of `design:*` is read (esbuild never emits it). */
export const metadataKeys = Object.freeze({
  step: 'lore:step',
  pipeline: 'lore:pipeline',
})

/** What `@step()` stores on the method it wrapped. */
export interface StepMetadata {
  methodName: string
  options: StepOptions
  /** Which decorator implementation applied it. */
  mode: DecoratorMode
}

/** Store Lore's step metadata on a (wrapped) method. */
export function setStepMetadata(method: object, metadata: StepMetadata): void {
  reflectMetadata().defineMetadata(
    metadataKeys.step,
    Object.freeze(metadata),
    method,
  )
}

/** Lore's step metadata of a method, if `@step()` wrapped it. */
export function getStepMetadata(method: unknown): StepMetadata | undefined {
  if (typeof method !== 'function') return undefined
  return reflectMetadata().getMetadata(metadataKeys.step, method) as
    StepMetadata | undefined
}

/** Store Lore's pipeline metadata on a class. */
export function setPipelineMetadata(target: object, metadata: object): void {
  reflectMetadata().defineMetadata(
    metadataKeys.pipeline,
    Object.freeze(metadata),
    target,
  )
}

/** Lore's pipeline metadata of a class, if `@pipeline()` decorated it. */
export function getPipelineMetadata<T>(target: unknown): T | undefined {
  if (typeof target !== 'function') return undefined
  return reflectMetadata().getMetadata(metadataKeys.pipeline, target) as
    T | undefined
}
