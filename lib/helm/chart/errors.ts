/** A chart could not be loaded: a missing or malformed file, or metadata Helm would refuse. */
export class ChartLoadError extends Error {
  override readonly name = "ChartLoadError";
  constructor(
    /** Where the chart came from (a directory, an archive, or a chart path inside one). */
    readonly source: string,
    readonly reason: string,
  ) {
    super(source ? `${source}: ${reason}` : reason);
  }
}

/**
 * Chart.yaml breaks one of Helm's rules. The message is Helm's own ("validation: ..."), since
 * `helm template` users search for it.
 */
export class ChartValidationError extends Error {
  override readonly name = "ChartValidationError";
  constructor(readonly reason: string) {
    super(`validation: ${reason}`);
  }
}
