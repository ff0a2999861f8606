// Types of ports.js.
export declare function freePort(): Promise<number>;
