import { map, type OperatorFunction } from 'rxjs';
import { isEpochEnd, type EpochEnd } from '../core/epoch-end.js';

/** `map` over the values of an epoch-structured stream; markers pass unchanged. */
export function mapItems<T, R>(project: (value: T) => R): OperatorFunction<T | EpochEnd, R | EpochEnd> {
  return map((item) => (isEpochEnd(item) ? item : project(item)));
}
