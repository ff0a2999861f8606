/** Reading the Prometheus text format as a scraper would: sample name with labels → value. */
import type { TestApp } from './app.js';

export const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';

export type Samples = Map<string, number>;

/**
 * Every sample line, keyed as `name{label="value",…}` with the labels in the order the
 * text has them (prom-client writes them in the order they were declared).
 */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)(?: \d+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

/** The public app's /metrics, with the tests' token. */
export async function scrape(t: TestApp): Promise<Samples> {
  const response = await t.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  if (response.statusCode !== 200) throw new Error(`/metrics: ${response.statusCode}`);
  return parseMetrics(response.body);
}

/** How much each sample moved between two scrapes (absent before: from 0), the unmoved left out. */
export function moved(before: Samples, after: Samples, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!key.startsWith(prefix)) continue;
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}
