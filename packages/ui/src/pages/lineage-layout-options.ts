/**
 * elk's options for a lineage graph, the same wherever it is laid out (the store server's warm
 * engine, or the page's own worker when the server has none).
 */
export const lineageLayoutOptions = {
  'elk.algorithm': 'layered',
  // Top to bottom: a lineage is mostly a long chain, and a chain drawn across the (wide)
  // canvas is fitted so small that its names cannot be read; down it, they can.
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '24',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // React Flow draws the edges itself, so elk's orthogonal routing would be wasted work;
  // one crossing-minimisation sweep and no greedy switch lay 500 nodes out in a fraction
  // of the default's time (pnpm bench), with the same layers.
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
}
