import { useEffect, useRef } from 'react'
import uPlot from 'uplot'

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

/** The x range of a chart in its own units: the points and marks, padded when it is one x. */
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
  if (high > low) return [low, high]
  const pad = time ? 60 : 1
  return [low - pad, high + pad]
}

/**
 * A metric chart drawn with uPlot: one or more series over a shared x (a step number, or a
 * time when `time` is set), with optional vertical marks.
 *
 * @example
 * <MetricChart title="accuracy" series={[{ label: 'run a', points }]} />
 */
export function MetricChart({
  title,
  series,
  marks = [],
  time = false,
  width = 460,
  height = 220,
}: {
  title: string
  series: ChartSeries[]
  marks?: ChartMark[]
  time?: boolean
  width?: number
  height?: number
}) {
  const target = useRef<HTMLDivElement>(null)
  // A metric logged once per series is a number, not a curve: show the numbers.
  const single =
    marks.length === 0 && series.every((line) => line.points.length <= 1)
  useEffect(() => {
    const element = target.current
    if (element === null || single) return
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
    const plot = new uPlot(
      {
        title,
        width,
        height,
        // The x span covers the points and the marks; one x alone gives uPlot no span to
        // draw (it falls back to 0..100, or years of time), so widen it around that point.
        scales: { x: { time, range: () => xRange(xs, marks, scale, time) } },
        series: [
          { label: time ? 'time' : 'step' },
          ...series.map((line, index) => ({
            label: line.label,
            stroke: palette[index % palette.length] ?? '#1f77b4',
            width: 2,
            spanGaps: true,
            points: { show: true, size: 5 },
          })),
        ],
        hooks: {
          draw: [
            (chart: uPlot) => {
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
            },
          ],
        },
      },
      data,
      element,
    )
    return () => plot.destroy()
  }, [title, series, marks, time, width, height, single])
  if (single)
    return (
      <div className="chart single" data-testid={`chart-${title}`}>
        <div className="chart-title">{title}</div>
        {series.map((line, index) => (
          <div key={line.label} className="single-value">
            <span
              className="swatch"
              style={{ background: palette[index % palette.length] }}
            />
            <span className="muted">{line.label}</span>{' '}
            <strong className="mono">
              {line.points[0] === undefined
                ? '—'
                : Number(line.points[0].y.toPrecision(6)).toString()}
            </strong>
          </div>
        ))}
      </div>
    )
  return <div ref={target} className="chart" data-testid={`chart-${title}`} />
}
