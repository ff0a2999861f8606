// Types of slapd.js: a throwaway OpenLDAP for the directory tests and the benchmark.
export declare const BASE_DN = 'dc=example,dc=test';
export declare const SERVICE_DN = 'cn=pforte,ou=services,dc=example,dc=test';
export declare const SERVICE_PASSWORD = 'service-secret-pw';
export interface Person {
  uid: string;
  password: string;
  name: string;
  mail: string;
  lang?: string;
  department?: string;
}
export declare const PEOPLE: Person[];
/** The DN of the test directory's group `cn` (under ou=groups). */
export declare function groupDn(cn: string): string;
export interface TestDirectory {
  url: string;
  ldapsUrl: string;
  /** The server certificate is for 127.0.0.1 only: this address does not match it. */
  mismatchedUrl: string;
  caFile: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  removePerson(uid: string): Promise<void>;
  /**
   * Makes the group `cn` anew with these people as members (`member`, or `uniqueMember`
   * of a groupOfUniqueNames); slapd's memberof overlay updates their memberOf.
   */
  setGroup(cn: string, uids: string[], options?: { unique?: boolean }): Promise<void>;
  close(): Promise<void>;
}
export declare function startSlapd(people?: Person[]): Promise<TestDirectory>;
/** A PFORTE_DIRECTORIES value for the test directory, with changes. */
export declare function directoriesEnv(
  directory: TestDirectory,
  changes?: Record<string, unknown>,
): string;
