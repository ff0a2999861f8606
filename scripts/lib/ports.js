/** A port the system hands out for a moment, for servers that cannot report one they chose. */
import { createServer } from 'node:http';
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(() => resolve()));
  return port;
}
