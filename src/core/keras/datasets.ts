/**
 * The note the Python front-end gives an array of a dataset nanguard does not read
 * (`keras.datasets.mnist train: uint8 pixels 0-255`, `tensorflow_datasets mnist:3.*.* test: ...`),
 * read back in one place: which dataset and which part.
 */

export interface DatasetPart {
  /** As the code names it: `keras.datasets.mnist`, `tensorflow_datasets mnist:3.*.*`. */
  source: string;
  /** The dataset's own name, without a tfds version: `mnist`, `fashion_mnist`, `cifar10`. */
  dataset: string;
  part: 'train' | 'test';
}

const DATASET_PART = /^(keras\.datasets\.(\w+)|tensorflow_datasets (\S+)) (train|test)\b/;

export function datasetPartOf(note: string): DatasetPart | undefined {
  const m = DATASET_PART.exec(note);
  if (!m) return undefined;
  return { source: m[1], dataset: (m[2] ?? m[3]).split(':')[0], part: m[4] as 'train' | 'test' };
}
