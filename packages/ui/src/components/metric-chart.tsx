import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import {
  metricChartOptions,
  seriesColor,
  type ChartMark,
  type ChartSeries,
} from './metric-chart-options.js'

export type { ChartMark, ChartSeries } from './metric-chart-options.js'

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
    const { options, data } = metricChartOptions({
      title,
      series,
      marks,
      time,
      width,
      height,
    })
    const plot = new uPlot(options, data, element)
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
              style={{ background: seriesColor(index) }}
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
