/** The throwaway OpenLDAP of scripts/lib/slapd.js, shared with the benchmark. */
export * from '../../scripts/lib/slapd.js';
