// @ts-check
// A POST with no time limit (fetch gives up on headers after 300 s; a bulk enrollment
// of 10 000 users may take longer on a slow machine).
import { Buffer } from 'node:buffer';
import http from 'node:http';

/**
 * @param {string} url
 * @param {string} key
 * @param {unknown} body
 * @returns {Promise<any>}
 */
export function postJson(url, key, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const request = http.request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': payload.length,
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) {
          reject(new Error(`POST ${url}: ${response.statusCode} ${text.slice(0, 500)}`));
        } else {
          resolve(JSON.parse(text));
        }
      });
    });
    request.end(payload);
  });
}
