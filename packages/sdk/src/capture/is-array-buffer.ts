/**
 * An `ArrayBuffer` or a `SharedArrayBuffer`. A browser page that is not cross-origin isolated
 * has no `SharedArrayBuffer` global, where a bare `instanceof SharedArrayBuffer` throws.
 */
export const isArrayBuffer = (
  value: object,
): value is ArrayBuffer | SharedArrayBuffer =>
  value instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer !== 'undefined' &&
    value instanceof SharedArrayBuffer)
