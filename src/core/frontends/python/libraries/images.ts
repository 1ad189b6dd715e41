/**
 * Images read one by one from files, as programs that train on their own pictures do:
 * `cv2.imread`, `cv2.resize`, `cv2.cvtColor`, `skimage.io.imread`, `imageio.imread`, and Keras's
 * `load_img` / `img_to_array`. The pixels are not known before the code runs, but their range is:
 * 0 to 255, which is what tells an unscaled image input (a classic NaN) from a scaled one.
 */
import type { SourceLocation } from '../../../ir';
import { divide, MAX_IDENTICAL_FEATURES } from '../data';
import { UNKNOWN, type ArrayObj, type Value } from '../values';
import type { CallHandler, CallPattern, Library } from './library';

/**
 * A picture's pixels: each in [0, 255], its mean and spread the picture's own. One entry stands for
 * every value, or one per value of a row (the picture's first axis) when a row holds few enough.
 */
function pictureStats(shape: (number | null)[], low: number, high: number): ArrayObj['stats'] {
  const width = shape.slice(1).reduce<number | null>((n, d) => (n === null || d === null ? null : n * d), 1);
  const one = { count: NaN, min: low, max: high, mean: NaN, std: NaN, nanCount: 0, infCount: 0 };
  return Array.from({ length: width !== null && width <= MAX_IDENTICAL_FEATURES ? width : 1 }, () => ({ ...one }));
}

/** The same picture of another shape (resized, converted): its pixels keep their range. */
function reshapedPicture(a: ArrayObj, shape: (number | null)[]): Value {
  const range = a.stats && a.stats.length > 0 ? [Math.min(...a.stats.map((s) => s.min)), Math.max(...a.stats.map((s) => s.max))] : undefined;
  return { k: 'array', array: { ...a, shape, rows: undefined, stats: range ? pictureStats(shape, range[0], range[1]) : undefined, statsKind: range ? 'bounds' : undefined } };
}

/** One image of pixels 0-255 of this shape (null where the file decides), values unknown. */
function pictureArray(shape: (number | null)[], dtype: 'float32' | undefined, note: string, location: SourceLocation): Value {
  const array: ArrayObj = {
    source: { kind: 'unknown', note, location },
    transforms: [],
    shape,
    stats: pictureStats(shape, 0, 255),
    statsKind: 'bounds',
    ...(dtype === 'float32' ? { dtype: 'float32' as const } : {}),
  };
  return { k: 'array', array };
}

/** A size given as (width, height), as OpenCV and PIL take it: [height, width]; undefined when not two numbers. */
function heightWidth(v: Value | undefined): [number, number] | undefined {
  if (v?.k !== 'seq' || v.items.length !== 2 || v.items.some((d) => d.k !== 'num')) return undefined;
  const [w, h] = v.items.map((d) => (d as { v: number }).v);
  return Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0 ? [h, w] : undefined;
}

/** Whether a read flag or colour mode asks for one channel (`cv2.IMREAD_GRAYSCALE`, `0`, `'grayscale'`, `as_gray=True`). */
function grayscale(v: Value | undefined): boolean {
  if (!v) return false;
  if (v.k === 'num') return v.v === 0;
  if (v.k === 'bool') return v.v;
  if (v.k === 'str') return v.v === 'grayscale' || v.v === 'L';
  return v.k === 'ref' && /GRAYSCALE$/.test(v.path);
}

const imread: CallHandler = ({ args, node, path }, ctx) => {
  const flag = args.positional[1] ?? args.keywords.get('flags') ?? args.keywords.get('as_gray') ?? args.keywords.get('mode');
  // uint8 in numpy, but not typed so here: arithmetic with a float (`img - 127.5`) gives floats, not wrapped integers.
  return pictureArray(grayscale(flag) ? [null, null] : [null, null, 3], undefined, `${path}: uint8 pixels 0-255 read from an image file`, ctx.loc(node));
};

/** `cv2.resize(img, (w, h))`: the picture at that size, its pixels still in [0, 255] (interpolation stays within them). */
const resize: CallHandler = ({ args }) => {
  const image = args.positional[0] ?? args.keywords.get('src');
  const size = heightWidth(args.positional[1] ?? args.keywords.get('dsize'));
  if (image?.k !== 'array' || !size) return UNKNOWN;
  const shape = image.array.shape;
  if (!shape || shape.length < 2 || shape.length > 3) return UNKNOWN;
  return reshapedPicture(image.array, [...size, ...shape.slice(2)]);
};

/** `cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)`: one channel; another conversion keeps three. Pixels stay in [0, 255]. */
const cvtColor: CallHandler = ({ args }) => {
  const image = args.positional[0] ?? args.keywords.get('src');
  const code = args.positional[1] ?? args.keywords.get('code');
  if (image?.k !== 'array' || code?.k !== 'ref') return UNKNOWN;
  const shape = image.array.shape;
  if (!shape || shape.length < 2) return UNKNOWN;
  const gray = /2GRAY$/.test(code.path);
  return reshapedPicture(image.array, gray ? shape.slice(0, 2) : [...shape.slice(0, 2), 3]);
};

/** Keras's `load_img(path, target_size=(h, w), color_mode=...)`: the picture (a PIL image; read here as its pixels). */
const loadImg: CallHandler = ({ args, node, path }, ctx) => {
  const size = args.keywords.get('target_size');
  const hw = size?.k === 'seq' && size.items.length === 2 && size.items.every((d) => d.k === 'num') ? size.items.map((d) => (d as { v: number }).v) : [null, null];
  const mode = args.keywords.get('color_mode');
  const gray = args.keywords.get('grayscale');
  const channels = grayscale(mode) || (gray?.k === 'bool' && gray.v) ? 1 : mode?.k === 'str' && mode.v === 'rgba' ? 4 : 3;
  return pictureArray([...hw, channels], undefined, `${path}: pixels 0-255 read from an image file`, ctx.loc(node));
};

/** `img_to_array(img)`: the pixels as float32, of (height, width, channels). */
const imgToArray: CallHandler = ({ args }) => {
  const image = args.positional[0] ?? args.keywords.get('img');
  if (image?.k !== 'array') return UNKNOWN;
  const shape = image.array.shape;
  if (!shape) return UNKNOWN;
  const picture = reshapedPicture(image.array, shape.length === 2 ? [...shape, 1] : shape);
  return picture.k === 'array' ? { k: 'array', array: { ...picture.array, dtype: 'float32' } } : UNKNOWN;
};

/**
 * `tf.image.convert_image_dtype(image, tf.float32)`: an integer picture is divided by its type's
 * largest value (255), a float one kept. Values of up to 255 are an integer picture's (a float
 * picture this function is given lies in [0, 1]).
 */
const convertImageDtype: CallHandler = ({ args, node }, ctx) => {
  const image = args.positional[0] ?? args.keywords.get('image');
  if (image?.k !== 'array' || !image.array.stats || image.array.stats.length === 0) return undefined;
  const max = Math.max(...image.array.stats.map((s) => s.max));
  if (!(max > 1)) return image;
  return { k: 'array', array: divide(image.array, { kind: 'divide', by: 255, epsilon: false, location: ctx.loc(node) }, 255) };
};

const KERAS_IMAGE = /^(keras|tensorflow\.keras)\.(preprocessing\.image|utils)\.|^keras\.preprocessing\.image\./;

const PATTERNS: CallPattern[] = [
  { matches: (path) => path === 'cv2.imread' || path === 'skimage.io.imread' || path === 'imageio.imread' || path === 'imageio.v2.imread' || path === 'imageio.v3.imread', call: imread },
  { matches: (path) => path === 'cv2.resize', call: resize },
  { matches: (path) => path === 'tensorflow.image.convert_image_dtype', call: convertImageDtype },
  { matches: (path) => path === 'cv2.cvtColor', call: cvtColor },
  { matches: (path, last) => last === 'load_img' && (KERAS_IMAGE.test(path) || path === last), call: loadImg },
  { matches: (path, last) => last === 'img_to_array' && (KERAS_IMAGE.test(path) || path === last), call: imgToArray },
];

export const images: Library = { patterns: PATTERNS };
