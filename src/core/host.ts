/**
 * What the analysis needs from its surroundings: reading a file beside the analysed one
 * (a config JSON, a data file). The CLI backs it with the file system, the extension with
 * open documents and the workspace. Paths are resolved by the host; a host refuses paths
 * outside the workspace by returning undefined.
 */
export interface AnalysisHost {
  /** Text of a file named relative to `fromPath`'s folder (or absolute), or undefined if unavailable. */
  readText(relativePath: string, fromPath: string): Promise<{ path: string; text: string } | undefined>;
}

export const NO_FILES: AnalysisHost = {
  readText: async () => undefined,
};
