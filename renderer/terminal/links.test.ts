import { describe, expect, it } from 'vitest';
import { webLink } from './links';

describe('webLink', () => {
  it('offers http and https URLs in full', () => {
    expect(webLink('https://evil.example/path?q=1#x')).toBe('https://evil.example/path?q=1#x');
    expect(webLink('http://localhost:8080')).toBe('http://localhost:8080/');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'vscode://open?x', 'data:text/html,hi', 'not a url', ''])(
    'never offers %s',
    (uri) => {
      expect(webLink(uri)).toBeNull();
    },
  );
});
