import { describe, expect, it } from 'vitest';
import { nearName } from '../src/near-name.ts';

describe('nearName', () => {
  it('finds a name a typo away: one edit per three characters, at most two', () => {
    expect(nearName('dmeo', ['demo', 'prod'])).toBe('demo');
    expect(nearName('notoin', ['notion'])).toBe('notion');
    expect(nearName('dve', ['dev'])).toBe('dev'); // two neighbours swapped: one edit
    expect(nearName('ntoino', ['notion'])).toBe('notion'); // two swaps
    expect(nearName('nxtxxn', ['notion'])).toBeUndefined(); // three edits
  });

  it('offers nothing far off for a short name', () => {
    expect(nearName('x', ['gh'])).toBeUndefined();
    expect(nearName('ab', ['cd', 'xy'])).toBeUndefined();
    expect(nearName('gj', ['gh'])).toBe('gh');
  });
});
