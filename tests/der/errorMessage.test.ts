import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/der/errorMessage';

describe('errorMessage', () => {
  it('reads the message of an Error, a string, an object with a message, and anything else', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage({ message: 'from a worker', code: 3 })).toBe('from a worker');
    expect(errorMessage({ code: 3 })).toBe('{"code":3}');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(42)).toBe('42');
  });
});
