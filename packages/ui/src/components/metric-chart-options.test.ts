import type uPlot from 'uplot'
import { describe, expect, it } from 'vitest'
import {
  metricChartOptions,
  type MetricChartInput,
} from './metric-chart-options.js'

const size = { width: 460, height: 220 }

// The chart's range and value functions read only their numbers, not the chart.
const chart = {} as uPlot

/** What the chart's scale `key` spans for data from `min` to `max`. */
function rangeOf(
  options: uPlot.Options,
  key: 'x' | 'y',
  min: number,
  max: number,
): [number, number] {
  const range = options.scales?.[key]?.range
  if (typeof range !== 'function')
    throw new Error(`scale ${key} has no range function`)
  const [low, high] = range(chart, min, max, key)
  if (low === null || high === null)
    throw new Error(`scale ${key} has an open range`)
  return [low, high]
}

/** The data's min and max on one axis (nulls are gaps). */
function extent(
  values: ArrayLike<number | null | undefined>,
): [number, number] {
  const numbers = Array.from(values).filter(
    (value) => typeof value === 'number',
  )
  return [Math.min(...numbers), Math.max(...numbers)]
}

/** Whether `value` lies inside the range by at least a tenth of its span. */
function wellInside(value: number, [low, high]: [number, number]): boolean {
  const margin = (high - low) / 10
  return value - low >= margin && high - value >= margin
}

function build(input: Partial<MetricChartInput>) {
  return metricChartOptions({
    title: 'accuracy',
    series: [],
    marks: [],
    time: false,
    ...size,
    ...input,
  })
}

describe('metricChartOptions', () => {
  it('draws a lone point as a dot well inside the plot, on a time axis with marks', () => {
    const at = Date.UTC(2026, 11, 4, 18, 30, 55)
    const { options, data } = build({
      title: 'heldOutAccuracy',
      time: true,
      series: [{ label: 'v1', points: [{ x: at, y: 0.9111 }] }],
      marks: [{ x: at, label: '', color: '#2e7d32' }],
    })
    expect(options.series[1]?.points?.show).toBe(true)
    const [x] = data[0]
    const [y] = data[1] ?? []
    expect(x).toBe(at / 1000)
    expect(wellInside(x!, rangeOf(options, 'x', x!, x!))).toBe(true)
    expect(wellInside(y!, rangeOf(options, 'y', y!, y!))).toBe(true)
  })

  it('puts a constant series, zero included, in the middle of the y axis', () => {
    for (const value of [0, 0.5, -3, 1e-9, 250]) {
      const { options, data } = build({
        series: [
          {
            label: 'loss',
            points: [0, 1, 2].map((step) => ({ x: step, y: value })),
          },
        ],
      })
      const [low, high] = extent(data[1] ?? [])
      const range = rangeOf(options, 'y', low, high)
      expect(wellInside(value, range), `${value} in ${range}`).toBe(true)
    }
  })

  it('keeps the first and last points off the edges of the x axis', () => {
    const points = [0, 1, 2, 3, 4].map((step) => ({ x: step, y: step / 4 }))
    const { options, data } = build({
      series: [{ label: 'accuracy', points }],
    })
    const [first, last] = extent(data[0])
    const [low, high] = rangeOf(options, 'x', first, last)
    expect(low).toBeLessThan(first)
    expect(high).toBeGreaterThan(last)
  })

  it("shows a series' dots when it has too few points to be seen as a line", () => {
    const { options } = build({
      series: [
        { label: 'run a', points: [{ x: 3, y: 0.5 }] },
        { label: 'run b', points: [0, 1, 2, 3].map((x) => ({ x, y: x })) },
      ],
    })
    expect(options.series[1]?.points?.show).toBe(true)
  })

  it('labels a time axis with local clock times, not uPlot’s :ss.fff', () => {
    const { options } = build({
      time: true,
      series: [
        {
          label: 'v1',
          points: [0, 1, 2].map((second) => ({
            x: new Date(2026, 11, 4, 18, 30, second).getTime(),
            y: second,
          })),
        },
      ],
    })
    const values = options.axes?.[0]?.values
    if (typeof values !== 'function')
      throw new Error('the time axis has no values function')
    const ticks = [0, 1, 2].map(
      (second) => new Date(2026, 11, 4, 18, 30, second).getTime() / 1000,
    )
    const labels = values(chart, ticks, 0, 90, 1).map(String)
    expect(labels.map((label) => label.split('\n')[0])).toEqual([
      '18:30:00',
      '18:30:01',
      '18:30:02',
    ])
  })
})
