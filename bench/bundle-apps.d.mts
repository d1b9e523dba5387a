// Types of bundle-apps.mjs, for packages/core/test/bundle.test.ts.
export interface BundleCase {
  id: string;
  name: string;
  subpath?: string;
  aim?: number;
  specifier?: string;
  source: string;
}
export const cases: BundleCase[];
export const comparisons: BundleCase[];
export interface BundleMeasure {
  minified: number;
  gzip: number;
  text: string;
  byInput: Record<string, number>;
}
export function measure(source: string): Promise<BundleMeasure>;
