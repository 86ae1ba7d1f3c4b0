import { defer, map, type OperatorFunction } from 'rxjs';
import { checkPositiveInteger, checkSeed } from '../core/checks.js';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';
import { InputError, SettingError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import type { IdxData } from '../sources/idx-format.js';
import type { Sample } from '../sources/samples.js';

/** How far augmentation may move an image; every field's neutral value leaves images as they are. */
export interface AugmentRanges {
  /** Largest translation in pixels along each axis (a whole number, drawn uniformly in [-shift, shift]); 0: none. */
  readonly shift: number;
  /** Largest rotation in degrees, either way (drawn uniformly in [-rotate, rotate]); 0: none. */
  readonly rotate: number;
  /** Largest zoom factor: images are scaled by a factor drawn log-uniformly in [1/scale, scale]; 1: none. */
  readonly scale: number;
}

export interface AugmentOptions extends Partial<AugmentRanges> {
  readonly seed: number;
  /** The number of the first epoch this subscription sees (its random stream); default 1. */
  readonly firstEpoch?: number;
}

/** The ranges that change nothing. */
export const NO_AUGMENT: AugmentRanges = { shift: 0, rotate: 0, scale: 1 };

/** The largest rotation accepted, in degrees. */
export const MAX_ROTATE = 180;

/** Throws a SettingError naming the first range out of bounds (`shift`, `rotate`, `scale`). */
export function checkAugmentRanges(ranges: AugmentRanges): void {
  const { shift, rotate, scale } = ranges;
  if (!(Number.isSafeInteger(shift) && shift >= 0)) throw new SettingError('shift', `must be a whole number of pixels, 0 or more, got ${shift}`);
  if (!(rotate >= 0 && rotate <= MAX_ROTATE)) throw new SettingError('rotate', `must be in [0, ${MAX_ROTATE}] degrees, got ${rotate}`);
  if (!(scale >= 1 && Number.isFinite(scale))) throw new SettingError('scale', `must be a zoom factor of 1 (none) or more, got ${scale}`);
}

/** One image's transform: a translation (dx right, dy down) after a rotation (degrees, counterclockwise) and zoom about its centre. */
export interface ImageTransform {
  readonly dx: number;
  readonly dy: number;
  readonly angle: number;
  readonly zoom: number;
}

/**
 * Random translations, rotations and zooms of the training images, as a
 * stage of an epoch-structured sample stream (before minibatch). The
 * transform of the i-th sample of epoch k is drawn from its own generator
 * of (seed, k, i), so it is a pure function of them: a run resumed with
 * `skip` after minibatch sees the same images as the run never stopped.
 * Translations by whole pixels fill with zeros and move values exactly;
 * rotations and zooms sample bilinearly (zeros outside the image), rounding
 * back to the image's integer type. Epoch markers pass unchanged. Samples
 * need a height and width (`shape` [h, w] or [c, ..., h, w]).
 */
export function augment(options: AugmentOptions): OperatorFunction<Sample | EpochEnd, Sample | EpochEnd> {
  const ranges: AugmentRanges = { shift: options.shift ?? 0, rotate: options.rotate ?? 0, scale: options.scale ?? 1 };
  const { seed, firstEpoch = 1 } = options;
  checkAugmentRanges(ranges);
  checkSeed('seed', seed);
  checkPositiveInteger('firstEpoch', firstEpoch);
  return (source) =>
    defer(() => {
      let epoch = firstEpoch;
      let position = 0;
      return source.pipe(
        map((item) => {
          if (isEpochEnd(item)) {
            epoch = item.epoch + 1;
            position = 0;
            return item;
          }
          const transform = drawTransform(ranges, Random.derive(seed, RandomStream.augment, epoch, position++));
          return augmentSample(item, transform);
        }),
      );
    });
}

/** The transform drawn for one sample; draws only for the ranges that are not neutral, in the order dx, dy, angle, zoom. */
export function drawTransform(ranges: AugmentRanges, random: Random): ImageTransform {
  const { shift, rotate, scale } = ranges;
  const dx = shift > 0 ? random.int(2 * shift + 1) - shift : 0;
  const dy = shift > 0 ? random.int(2 * shift + 1) - shift : 0;
  const angle = rotate > 0 ? (2 * random.float() - 1) * rotate : 0;
  const zoom = scale > 1 ? Math.exp((2 * random.float() - 1) * Math.log(scale)) : 1;
  return { dx, dy, angle, zoom };
}

function augmentSample(sample: Sample, transform: ImageTransform): Sample {
  if (transform.dx === 0 && transform.dy === 0 && transform.angle === 0 && transform.zoom === 1) return sample;
  const shape = sample.shape;
  if (shape === undefined || shape.length < 2) {
    throw new InputError(`augment: needs images with a height and width, got samples of shape [${(shape ?? [sample.image.length]).join(', ')}]`);
  }
  const image = transformImage(sample.image, shape, transform);
  return { index: sample.index, image, label: sample.label, shape };
}

/**
 * A new image: `image` (of shape [..., height, width], every leading
 * dimension transformed alike) moved by `transform`. Pixels brought in from
 * outside the image are 0.
 */
export function transformImage(image: IdxData, shape: readonly number[], transform: ImageTransform): IdxData {
  const height = shape.at(-2)!;
  const width = shape.at(-1)!;
  const planes = image.length / (height * width);
  const out = new (image.constructor as new (length: number) => IdxData)(image.length);
  const { dx, dy, angle, zoom } = transform;
  for (let p = 0; p < planes; p++) {
    const offset = p * height * width;
    if (angle === 0 && zoom === 1 && Number.isInteger(dx) && Number.isInteger(dy)) translatePlane(image, out, offset, height, width, dx, dy);
    else samplePlane(image, out, offset, height, width, transform);
  }
  return out;
}

function translatePlane(image: IdxData, out: IdxData, offset: number, height: number, width: number, dx: number, dy: number): void {
  for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
    const from = offset + (y - dy) * width;
    const to = offset + y * width;
    for (let x = Math.max(0, dx); x < Math.min(width, width + dx); x++) out[to + x] = image[from + x - dx]!;
  }
}

/** Each output pixel is the input sampled bilinearly where the inverse transform takes it. */
function samplePlane(image: IdxData, out: IdxData, offset: number, height: number, width: number, t: ImageTransform): void {
  const radians = (t.angle * Math.PI) / 180;
  const cos = Math.cos(radians) / t.zoom;
  const sin = Math.sin(radians) / t.zoom;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const round = !(image instanceof Float32Array || image instanceof Float64Array);
  const at = (x: number, y: number): number => (x >= 0 && x < width && y >= 0 && y < height ? image[offset + y * width + x]! : 0);
  for (let y = 0; y < height; y++) {
    // rows grow downwards, so a counterclockwise turn on screen is clockwise in (x, y)
    const v = y - cy - t.dy;
    for (let x = 0; x < width; x++) {
      const u = x - cx - t.dx;
      const sx = cos * u - sin * v + cx;
      const sy = sin * u + cos * v + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      let top: number;
      let bottom: number;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        const i = offset + y0 * width + x0;
        top = image[i]! * (1 - fx) + image[i + 1]! * fx;
        bottom = image[i + width]! * (1 - fx) + image[i + width + 1]! * fx;
      } else if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
        continue; // all four neighbours outside: stays 0
      } else {
        top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
        bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      }
      const value = top * (1 - fy) + bottom * fy;
      out[offset + y * width + x] = round ? Math.round(value) : value;
    }
  }
}
