/** `pforte apikey …`: keys for services (scope validate) and administration (scope admin). */
import type { Command } from '../command.js';
import { print, printJSON, printTable } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';

export const apikeyCommands: Command[] = [
  {
    name: 'apikey create',
    summary: 'Create an API key; the key is printed once and cannot be shown again',
    usage: '<name> [--scope validate|admin] [--json]',
    args: ['name'],
    options: { scope: { type: 'string' } },
    async run(ctx, options, [name]) {
      const { createApiKey } = await import('../../apikeys/keys.js');
      const created = await createApiKey(await ctx.core(), ctx.caller, {
        name: name!,
        ...(typeof options.scope === 'string' ? { scope: options.scope } : {}),
      });
      if (ctx.json) printJSON(ctx.io, created);
      else print(ctx.io, created.key);
      return 0;
    },
  },
  {
    name: 'apikey list',
    summary: 'List API keys (never the keys themselves)',
    usage: `${PAGING_USAGE} [--json]`,
    options: { ...PAGING_OPTIONS },
    async run(ctx, options) {
      const { listApiKeys } = await import('../../apikeys/keys.js');
      const limit = readLimit(options);
      const core = await ctx.core();
      const page = await readPages(
        (request) => listApiKeys(core, request),
        limit,
        cursorOf(options),
      );
      const keys = page.items;
      if (ctx.json) printJSON(ctx.io, keys);
      else {
        printTable(
          ctx.io,
          keys as unknown as Record<string, unknown>[],
          ['id', 'name', 'scope', 'createdAt', 'lastUsedAt', 'revokedAt'],
          '(no API keys)',
        );
      }
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'apikey revoke',
    summary: 'Revoke an API key by name or id',
    usage: '<name-or-id>',
    args: ['name'],
    async run(ctx, _options, [name]) {
      const { revokeApiKey } = await import('../../apikeys/keys.js');
      const key = await revokeApiKey(await ctx.core(), ctx.caller, name!);
      if (ctx.json) printJSON(ctx.io, key);
      else print(ctx.io, `revoked API key ${key.name}`);
      return 0;
    },
  },
];
