import { describe, expect, it } from 'vitest';
import { fateOfChoice, quitDialogOptions } from './quit-choice';

describe('the quit dialog with workers running', () => {
  it('offers keep, stop and cancel; Enter keeps the workers and Escape cancels the quit', () => {
    const options = quitDialogOptions(3);
    expect(options.buttons).toEqual(['Keep them running', 'Stop all workers', 'Cancel']);
    expect(options.message).toBe('3 workers are still running.');
    expect(fateOfChoice(options.defaultId)).toBe('keep');
    expect(fateOfChoice(options.cancelId)).toBe('cancel');
    expect(fateOfChoice(1)).toBe('stop');
    expect(quitDialogOptions(1).message).toBe('1 worker is still running.');
  });
});
