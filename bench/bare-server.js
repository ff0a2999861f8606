// @ts-check
// The yardstick for `npm run bench`: a bare Fastify JSON route on the same path as
// the validate endpoint, answering what an accepted sign-in answers. No schema, no
// API key, no database: what Node and Fastify cost per request, and nothing more.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/api/v1/validate', async () => ({ result: 'accept' }));

const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`bare Fastify listening on ${url}`);

const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
