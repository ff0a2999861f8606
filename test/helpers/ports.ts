/** Free loopback ports (scripts/lib/ports.js, shared with the benchmark). */
export { freePort } from '../../scripts/lib/ports.js';
