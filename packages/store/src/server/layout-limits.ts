/**
 * The most nodes and edges one `layoutGraph` call may lay out (a lineage page's graph). A file
 * of its own, with no imports, so the web UI's page can read the same numbers.
 */
export const maxLayoutNodes = 5000
export const maxLayoutEdges = 20_000
