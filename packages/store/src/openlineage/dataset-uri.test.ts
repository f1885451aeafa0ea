import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { datasetOfUri, uriOfDataset } from './dataset-uri.js'

describe('datasetOfUri and uriOfDataset', () => {
  it.each([
    ['file:///data/iris.csv', 'file', '/data/iris.csv'],
    ['s3://bucket/raw/sales.parquet', 's3://bucket', 'raw/sales.parquet'],
    ['gs://bucket/a b/c.csv', 'gs://bucket', 'a b/c.csv'],
    [
      'postgres://db.internal:5432/shop.public.orders',
      'postgres://db.internal:5432',
      'shop.public.orders',
    ],
    [
      'hdfs://namenode:8020/warehouse/t',
      'hdfs://namenode:8020',
      '/warehouse/t',
    ],
    ['bigquery:project.dataset.table', 'bigquery', 'project.dataset.table'],
    ['lore:artifact:1234', 'lore', 'artifact:1234'],
  ])(
    'maps %s to namespace %s and name %s, and back',
    (uri, namespace, name) => {
      expect(datasetOfUri(uri)).toEqual({ namespace, name })
      expect(uriOfDataset({ namespace, name })).toBe(uri)
    },
  )

  it('adds the leading slash another producer left out of a file path', () => {
    expect(uriOfDataset({ namespace: 'file', name: 'tmp/x.csv' })).toBe(
      'file:///tmp/x.csv',
    )
    expect(
      uriOfDataset({ namespace: 'hdfs://nn:8020', name: 'warehouse/t' }),
    ).toBe('hdfs://nn:8020/warehouse/t')
  })

  it('takes a bare absolute path as a local file, and other text into the lore namespace', () => {
    expect(datasetOfUri('/data/x.csv')).toEqual({
      namespace: 'file',
      name: '/data/x.csv',
    })
    expect(datasetOfUri('relative/x.csv')).toEqual({
      namespace: 'lore',
      name: 'relative/x.csv',
    })
    expect(uriOfDataset(datasetOfUri('relative/x.csv'))).toBe(
      'lore:relative/x.csv',
    )
  })

  it('gives back every uri it maps, for any scheme, authority and path', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/)
    fc.assert(
      fc.property(
        fc.constantFrom('file', 's3', 'gs', 'hdfs', 'postgres', 'kafka'),
        fc.stringMatching(/^[a-z0-9.-]{1,12}(:[0-9]{1,5})?$/),
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        (scheme, authority, path) => {
          const uri =
            scheme === 'file'
              ? `file:///${path.join('/')}`
              : `${scheme}://${authority}/${path.join('/')}`
          expect(uriOfDataset(datasetOfUri(uri))).toBe(uri)
        },
      ),
    )
  })
})
