/** Workspace data files: chunked, capped reading and per-column statistics, and the IR enrichment that uses them. */
export { ColumnAccumulator, scaleDisparity, type ColumnSummary } from './columns';
export { cellNumber, classifyCell, CsvStatsReader, CsvTokenizer } from './csv';
export { jsonStats } from './json';
export { NpyStatsReader, npyRows, parseNpyHeader, MAX_NPY_COLUMNS } from './npy';
export { DATA_READ_CAP, dataFormatOf, readDataFileStats, type DataFileStats, type DataFormat, type ReadOptions } from './read';
export { statsAfterTransforms } from './transforms';
export { enrichDataFiles, fileOriginOf, modelDataSpecs, type FileOrigin } from './enrich';
