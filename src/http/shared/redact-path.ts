/**
 * Paths are logged without anything that could be a secret: every segment longer than
 * 16 characters (enrollment codes, activation ids, in any spelling or encoding) and
 * the query string.
 */
export function redactPath(url: string): string {
  const [path = ''] = url.split('?');
  const redacted = path
    .split('/')
    .map((segment) => (segment.length > 16 ? '[redacted]' : segment))
    .join('/');
  return url.includes('?') ? `${redacted}?[query]` : redacted;
}
