// A page that is not cross-origin isolated has no `SharedArrayBuffer` global, and the SDK's
// `hashValue` asks `instanceof SharedArrayBuffer` of every object: without the global that
// throws, every object hashes as "unreadable", and two different configs look the same
// (compare said "same" everywhere). An empty class that nothing is an instance of keeps the
// SDK's rule unchanged and correct here.
const scope = globalThis as { SharedArrayBuffer?: unknown }
if (typeof scope.SharedArrayBuffer === 'undefined')
  scope.SharedArrayBuffer = class SharedArrayBufferAbsent {}
export {}
