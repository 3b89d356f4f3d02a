import { describe, expect, it } from 'vitest';
import { BridgeError, errorCode, errorText } from './errors';

describe('errorText', () => {
  it('shows the message in words, never the code', () => {
    const refused = new BridgeError({ code: 'invalid_input', message: 'Give the full path of the repository.' });
    expect(errorText(refused)).toBe('Give the full path of the repository.');
    expect(errorCode(refused)).toBe('invalid_input');
    expect(errorText(new Error('socket closed'))).toBe('socket closed');
    expect(errorCode(new Error('socket closed'))).toBe('internal');
  });
});
