import uPlot from 'uplot'

const minute = 60
const hour = 60 * minute
const day = 24 * hour

/**
 * How a tick on a time axis reads, by the step between ticks in seconds (largest first): the
 * label of every tick, and the context line (the day or the year) written under the first tick
 * and under each tick where that context changes. uPlot's own defaults read `:12.000` for a
 * span of seconds and use a 12-hour clock.
 */
const labelsByStep = [
  { step: 365 * day, tick: uPlot.fmtDate('{YYYY}'), context: null },
  {
    step: 28 * day,
    tick: uPlot.fmtDate('{MMM}'),
    context: uPlot.fmtDate('{YYYY}'),
  },
  {
    step: day,
    tick: uPlot.fmtDate('{MMM} {D}'),
    context: uPlot.fmtDate('{YYYY}'),
  },
  {
    step: hour,
    tick: uPlot.fmtDate('{MMM} {D} {HH}:{mm}'),
    context: uPlot.fmtDate('{YYYY}'),
  },
  {
    step: minute,
    tick: uPlot.fmtDate('{HH}:{mm}'),
    context: uPlot.fmtDate('{MMM} {D} {YYYY}'),
  },
  {
    step: 1,
    tick: uPlot.fmtDate('{HH}:{mm}:{ss}'),
    context: uPlot.fmtDate('{MMM} {D} {YYYY}'),
  },
]

/** Steps under a second: uPlot ticks at 1, 2, 5… tenths, hundredths and thousandths. */
const subSecond = {
  step: 0,
  tick: uPlot.fmtDate('{HH}:{mm}:{ss}.{fff}'),
  context: uPlot.fmtDate('{MMM} {D} {YYYY}'),
}

/**
 * The labels of a time axis's ticks, in the user's local time zone, readable for the step
 * between them: `14:05:30` for steps of seconds, `14:05` for minutes, `Dec 4 14:00` for
 * hours, `Dec 4` for days, `Dec` for months, `2026` for years; steps under a second add
 * milliseconds (`14:05:30.250`). The first tick, and each tick where the day (or the year)
 * changes, gets that on a second line. Pass it as uPlot's axis `values`.
 *
 * @param ticks the ticks' times, in seconds since the epoch (uPlot's time unit)
 * @param step the step between ticks, in seconds
 * @example
 * axes: [{ values: (_chart, ticks, _axis, _space, step) => timeAxisLabels(ticks, step) }]
 */
export function timeAxisLabels(ticks: number[], step: number): string[] {
  const format = labelsByStep.find((row) => step >= row.step) ?? subSecond
  let previous: string | undefined
  return ticks.map((tick) => {
    const date = new Date(tick * 1000)
    const label = format.tick(date)
    if (format.context === null) return label
    const context = format.context(date)
    if (context === previous) return label
    previous = context
    return `${label}\n${context}`
  })
}
