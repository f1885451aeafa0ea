import { seriesColor } from '../components/metric-chart-options.js'

/**
 * A parallel-coordinates plot: one vertical axis per parameter (and the metric last), one
 * line per run, each axis scaled to its own range. Small enough to draw as SVG directly.
 */
export function ParallelCoordinates({
  axes,
  lines,
}: {
  axes: string[]
  lines: { label: string; values: (number | undefined)[] }[]
}) {
  // The runs' legend has its own column at the right, so no label lands on an axis.
  const legend = 140
  const width = Math.max(520, axes.length * 200 + legend)
  const height = 260
  const top = 34
  const bottom = height - 24
  const left = 80
  const right = width - legend - 40
  const x = (index: number): number =>
    left + (index * (right - left)) / Math.max(1, axes.length - 1)
  const ranges = axes.map((_, index) => {
    const values = lines
      .map((line) => line.values[index])
      .filter((value): value is number => value !== undefined)
    return { min: Math.min(...values), max: Math.max(...values) }
  })
  const y = (index: number, value: number): number => {
    const range = ranges[index] ?? { min: 0, max: 1 }
    return range.max === range.min
      ? (top + bottom) / 2
      : bottom -
          ((value - range.min) / (range.max - range.min)) * (bottom - top)
  }
  return (
    <svg
      width={width}
      height={height}
      data-testid="parallel-coordinates"
      role="img"
      aria-label="parameters against a metric"
    >
      {axes.map((axis, index) => (
        <g key={axis}>
          <line
            x1={x(index)}
            x2={x(index)}
            y1={top}
            y2={bottom}
            stroke="#999"
          />
          <text x={x(index)} y={18} textAnchor="middle" fontSize={13}>
            {axis}
          </text>
          <text
            x={x(index) - 6}
            y={top + 4}
            textAnchor="end"
            fontSize={12}
            fill="#555"
          >
            {Number.isFinite(ranges[index]?.max)
              ? ranges[index]?.max.toPrecision(3)
              : ''}
          </text>
          <text
            x={x(index) - 6}
            y={bottom}
            textAnchor="end"
            fontSize={12}
            fill="#555"
          >
            {Number.isFinite(ranges[index]?.min)
              ? ranges[index]?.min.toPrecision(3)
              : ''}
          </text>
        </g>
      ))}
      {lines.map((line, lineIndex) => {
        const points = line.values
          .map((value, index) =>
            value === undefined ? undefined : `${x(index)},${y(index, value)}`,
          )
          .filter((point) => point !== undefined)
        return (
          <g key={line.label}>
            <polyline
              points={points.join(' ')}
              fill="none"
              stroke={seriesColor(lineIndex)}
              strokeWidth={2}
            />
            <text
              x={width - legend + 10}
              y={top + 4 + 18 * lineIndex}
              fontSize={13}
              fill={seriesColor(lineIndex)}
            >
              {line.label}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
