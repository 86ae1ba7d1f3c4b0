import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
