/**
 * `server-run.ts <steps>`: one pipeline run of `<steps>` trivial steps recorded into
 * `LORE_STORE` (a store server, up or down), timed from the run's start until the process may
 * exit (`shutdown()` returned). Prints the milliseconds as JSON; run by sdk-bench.ts.
 */
import { performance } from 'node:perf_hooks'
import { pipeline, shutdown, step } from '../src/index.js'

const steps = Number(process.argv[2] ?? 5000)
const add = step(function add(value: number, by: number) {
  return value + by
})
const began = performance.now()
await pipeline('bench-server', {}, async () => {
  let total = 0
  for (let index = 0; index < steps; index++) {
    total = add(total, index)
    // A pipeline's steps yield now and then (I/O); a sync loop of 5,000 would not let the
    // recorder write at all.
    if (index % 500 === 499)
      await new Promise((resolve) => setImmediate(resolve))
  }
  return total
}).run(undefined)
await shutdown()
console.log(JSON.stringify({ ms: performance.now() - began }))
