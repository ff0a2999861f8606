/**
 * A multipart/form-data body as a browser sends a form with a file input: text fields
 * and files, each part with its headers, split by a boundary.
 */
export interface Part {
  name: string;
  value: string | Buffer;
  /** Makes the part a file, as an `<input type="file">` sends it. */
  filename?: string;
  type?: string;
}

export function multipartBody(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = '----pforte-test-boundary-7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file =
      part.filename === undefined
        ? ''
        : `; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'text/csv'}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n`,
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
