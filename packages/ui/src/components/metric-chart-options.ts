import uPlot from 'uplot'
import { timeAxisLabels } from './time-axis-labels.js'

/** One line of a chart: its label and its points. */
export interface ChartSeries {
  label: string
  points: { x: number; y: number }[]
}

/** A vertical mark on a chart (a drift verdict, a promotion). */
export interface ChartMark {
  x: number
  label: string
  color: string
}

/** What a metric chart shows; `time` means x is a time in ms since the epoch. */
export interface MetricChartInput {
  title: string
  series: ChartSeries[]
  marks: ChartMark[]
  time: boolean
  width: number
  height: number
}

const palette = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
]

/** The colour of a chart's `index`th series (the palette repeats after eight). */
export function seriesColor(index: number): string {
  return palette[index % palette.length] ?? '#1f77b4'
}

/**
 * The x range of a chart in its own units: the points and marks with a margin, so that the
 * first and last points are not cut in half by the plot's edge; one x alone is widened by a
 * step (or a minute of time) on each side.
 */
function xRange(
  xs: number[],
  marks: ChartMark[],
  scale: number,
  time: boolean,
): uPlot.Range.MinMax {
  const all = [...xs, ...marks.map((mark) => mark.x)].map((x) => x / scale)
  if (all.length === 0) return [0, 1]
  const low = Math.min(...all)
  const high = Math.max(...all)
  const pad = high > low ? (high - low) * 0.05 : time ? 60 : 1
  return [low - pad, high + pad]
}

/**
 * The y range: uPlot's own for values that vary; one value (a single point, a constant series)
 * is put in the middle, where uPlot would range 0 as 0..100 and draw it on the bottom edge.
 */
function yRange(_chart: uPlot, min: number, max: number): uPlot.Range.MinMax {
  if (max > min) return uPlot.rangeNum(min, max, 0.1, true)
  const pad = Math.abs(min) / 2 || 1
  return [min - pad, max + pad]
}

/** A uPlot draw hook: the marks as dashed vertical lines with their labels. */
function drawMarks(marks: ChartMark[], scale: number) {
  return (chart: uPlot) => {
    const context = chart.ctx
    for (const mark of marks) {
      const left = chart.valToPos(mark.x / scale, 'x', true)
      context.save()
      context.strokeStyle = mark.color
      context.setLineDash([4, 3])
      context.lineWidth = 1.5
      context.beginPath()
      context.moveTo(left, chart.bbox.top)
      context.lineTo(left, chart.bbox.top + chart.bbox.height)
      context.stroke()
      if (mark.label !== '') {
        context.fillStyle = mark.color
        context.font = '11px system-ui'
        context.fillText(mark.label, left + 3, chart.bbox.top + 12)
      }
      context.restore()
    }
  }
}

/**
 * The uPlot options and data of a metric chart: the series aligned on their shared x (seconds
 * when `time` is set, uPlot's time unit), readable local-time tick labels on a time axis, and
 * dots on a series too short to be seen as a line.
 *
 * @example
 * const { options, data } = metricChartOptions({ title: 'accuracy', series, marks: [], time: false, width: 460, height: 220 })
 * new uPlot(options, data, element)
 */
export function metricChartOptions(input: MetricChartInput): {
  options: uPlot.Options
  data: uPlot.AlignedData
} {
  const { title, series, marks, time, width, height } = input
  const xs = [
    ...new Set(series.flatMap((line) => line.points.map((point) => point.x))),
  ].sort((a, b) => a - b)
  const scale = time ? 1000 : 1
  const data: uPlot.AlignedData = [
    xs.map((x) => x / scale),
    ...series.map((line) => {
      const byX = new Map(line.points.map((point) => [point.x, point.y]))
      return xs.map((x) => byX.get(x) ?? null)
    }),
  ]
  const options: uPlot.Options = {
    title,
    width,
    height,
    scales: {
      x: { time, range: () => xRange(xs, marks, scale, time) },
      y: { range: yRange },
    },
    axes: [
      time
        ? {
            // Labels such as `Dec 4 14:00` need more room than uPlot's 50 px between ticks.
            space: 90,
            values: (_chart, ticks, _axis, _space, step) =>
              timeAxisLabels(ticks, step),
          }
        : {},
      {},
    ],
    series: [
      time
        ? { label: 'time', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' }
        : { label: 'step' },
      ...series.map((line, index) => ({
        label: line.label,
        stroke: seriesColor(index),
        width: 2,
        spanGaps: true,
        // A line needs two points: a series of one or two is seen by its dots, so always
        // draw them; longer ones get uPlot's rule (dots while they are far enough apart).
        points: line.points.length <= 2 ? { show: true, size: 7 } : { size: 5 },
      })),
    ],
    hooks: { draw: [drawMarks(marks, scale)] },
  }
  return { options, data }
}
