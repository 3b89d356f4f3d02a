/** Schemes a terminal link may open: anything else (file:, javascript:, custom app schemes) is never offered. */
const WEB_SCHEMES = new Set(['http:', 'https:']);

/** The full URL a terminal link would open, or null when it is not an http(s) URL. */
export function webLink(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  return WEB_SCHEMES.has(url.protocol) ? url.href : null;
}
