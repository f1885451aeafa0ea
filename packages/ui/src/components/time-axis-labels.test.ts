import { describe, expect, it } from 'vitest'
import { timeAxisLabels } from './time-axis-labels.js'

/** A local time (the user's time zone, as the chart shows it) in seconds since the epoch. */
function local(...parts: [number, number, number, number, number, number]) {
  return new Date(...parts).getTime() / 1000
}

describe('timeAxisLabels', () => {
  it('labels ticks seconds apart as HH:MM:SS, with the day under the first tick', () => {
    const ticks = [5, 10, 15].map((second) =>
      local(2026, 11, 4, 18, 30, second),
    )
    expect(timeAxisLabels(ticks, 5)).toEqual([
      '18:30:05\nDec 4 2026',
      '18:30:10',
      '18:30:15',
    ])
  })

  it('keeps the seconds in ticks under a second apart, never a bare :12.000', () => {
    const start = local(2026, 11, 4, 9, 2, 12)
    const labels = timeAxisLabels([start, start + 0.2, start + 0.4], 0.2)
    expect(labels).toEqual([
      '09:02:12.000\nDec 4 2026',
      '09:02:12.200',
      '09:02:12.400',
    ])
  })

  it('labels ticks minutes apart as HH:MM, in 24-hour time', () => {
    const ticks = [0, 15, 30].map((minute) => local(2026, 5, 1, 21, minute, 0))
    expect(timeAxisLabels(ticks, 15 * 60)).toEqual([
      '21:00\nJun 1 2026',
      '21:15',
      '21:30',
    ])
  })

  it('writes the new day under the first tick after midnight', () => {
    const ticks = [
      local(2026, 0, 31, 23, 58, 0),
      local(2026, 0, 31, 23, 59, 0),
      local(2026, 1, 1, 0, 0, 0),
    ]
    expect(timeAxisLabels(ticks, 60)).toEqual([
      '23:58\nJan 31 2026',
      '23:59',
      '00:00\nFeb 1 2026',
    ])
  })

  it('labels ticks hours apart with their day, ticks days apart as dates', () => {
    const hours = [0, 6, 12].map((hour) => local(2026, 2, 9, hour, 0, 0))
    expect(timeAxisLabels(hours, 6 * 3600)).toEqual([
      'Mar 9 00:00\n2026',
      'Mar 9 06:00',
      'Mar 9 12:00',
    ])
    const days = [9, 10, 11].map((date) => local(2026, 2, date, 0, 0, 0))
    expect(timeAxisLabels(days, 86_400)).toEqual([
      'Mar 9\n2026',
      'Mar 10',
      'Mar 11',
    ])
  })

  it('labels ticks months apart by month and ticks years apart by year', () => {
    const months = [10, 11, 12].map((month) => local(2026, month, 1, 0, 0, 0))
    expect(timeAxisLabels(months, 30 * 86_400)).toEqual([
      'Nov\n2026',
      'Dec',
      'Jan\n2027',
    ])
    const years = [2025, 2026].map((year) => local(year, 0, 1, 0, 0, 0))
    expect(timeAxisLabels(years, 365 * 86_400)).toEqual(['2025', '2026'])
  })
})
