/**
 * What the analysis needs from its surroundings: reading a file beside the analysed one
 * (a config JSON, a data file). The CLI backs it with the file system, the extension with
 * open documents and the workspace. Paths are resolved by the host; a host refuses paths
 * outside the workspace by returning undefined.
 */
export interface AnalysisHost {
  /** Text of a file named relative to `fromPath`'s folder (or absolute), or undefined if unavailable. */
  readText(relativePath: string, fromPath: string): Promise<{ path: string; text: string } | undefined>;
  /**
   * Optional: `range.length` bytes from `range.offset` of a file named as for `readText` (fewer
   * at the end of the file), with the file's total size; undefined if unavailable. Data files
   * (`.csv`, `.npy`, `.json`) are read through it in chunks, so a large file is never loaded whole
   * and never refused outright for its size. A host without it gets statistics from `readText`.
   */
  readBytes?(relativePath: string, fromPath: string, range: ByteRange): Promise<BytesRead | undefined>;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface BytesRead {
  /** The file as the host names it (as `readText` would). */
  path: string;
  bytes: Uint8Array;
  /** The whole file's size in bytes. */
  size: number;
}

export const NO_FILES: AnalysisHost = {
  readText: async () => undefined,
};
