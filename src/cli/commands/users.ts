/** `pforte user …`: the users Pforte keeps. */
import type { UserSearch } from '../../users/search.js';
import { usageError, type Command } from '../command.js';
import { print, printJSON, printTable, readSecret } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';

const USER_COLUMNS = [
  'username',
  'name',
  'email',
  'lang',
  'disabled',
  'hasPassword',
  'directory',
  'role',
];

/** `--search` is the search's `q`; the others are named as the filters are. */
const SEARCH_OPTIONS = ['search', 'source', 'role', 'state', 'token', 'sort'] as const;

export const userCommands: Command[] = [
  {
    name: 'user add',
    summary: 'Create a user',
    usage: '<username> --email <address> [--name <display name>] [--lang de|en] [--password-stdin]',
    args: ['username'],
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      lang: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    async run(ctx, options, [username]) {
      if (typeof options.email !== 'string') throw usageError('--email <address> is required');
      const { checkLanguage } = await import('../../users/fields.js');
      const { createUser } = await import('../../users/users.js');
      const lang = typeof options.lang === 'string' ? checkLanguage(options.lang) : undefined;
      const password = options['password-stdin'] ? await readSecret(ctx.io, 'password') : undefined;
      const user = await createUser(await ctx.core(), ctx.caller, {
        username: username!,
        email: options.email,
        ...(typeof options.name === 'string' ? { name: options.name } : {}),
        ...(lang ? { lang } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      if (ctx.json) printJSON(ctx.io, user);
      else print(ctx.io, `created user ${user.username}`);
      return 0;
    },
  },
  {
    name: 'user list',
    summary: 'List users, or find them by a prefix of username, name or e-mail',
    usage: `[--search <prefix>] [--source pforte|directory] [--role admin|helpdesk|none] [--state enabled|disabled] [--token active|locked|disabled|revoked|pending|none] [--sort username|name|lastSignIn] ${PAGING_USAGE} [--json]`,
    options: {
      ...PAGING_OPTIONS,
      ...Object.fromEntries(SEARCH_OPTIONS.map((name) => [name, { type: 'string' } as const])),
    },
    async run(ctx, options) {
      const { searchUsers } = await import('../../users/search.js');
      const core = await ctx.core();
      const search: UserSearch = {};
      for (const name of SEARCH_OPTIONS) {
        const value = options[name];
        if (typeof value === 'string') search[name === 'search' ? 'q' : name] = value;
      }
      const page = await readPages(
        (request) => searchUsers(core, { ...search, ...request }),
        readLimit(options),
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else
        printTable(
          ctx.io,
          page.items as unknown as Record<string, unknown>[],
          USER_COLUMNS,
          '(no users)',
        );
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'user show',
    summary: 'Show a user',
    usage: '<username> [--json]',
    args: ['username'],
    async run(ctx, _options, [username]) {
      const { getUser } = await import('../../users/users.js');
      const user = await getUser(await ctx.core(), username!);
      if (ctx.json) printJSON(ctx.io, user);
      else
        printTable(
          ctx.io,
          [user as unknown as Record<string, unknown>],
          [...USER_COLUMNS, 'createdAt'],
        );
      return 0;
    },
  },
  {
    name: 'user remove',
    summary: 'Remove a user and their tokens',
    usage: '<username>',
    args: ['username'],
    async run(ctx, _options, [username]) {
      const { removeUser } = await import('../../users/users.js');
      await removeUser(await ctx.core(), ctx.caller, username!);
      print(ctx.io, `removed user ${username!.toLowerCase()}`);
      return 0;
    },
  },
  {
    name: 'user set-password',
    summary: "Set a user's password, read from standard input",
    usage: '<username> --password-stdin',
    args: ['username'],
    options: { 'password-stdin': { type: 'boolean' } },
    async run(ctx, options, [username]) {
      if (!options['password-stdin']) throw usageError('--password-stdin is required');
      const password = await readSecret(ctx.io, 'password');
      const { setUserPassword } = await import('../../users/users.js');
      await setUserPassword(await ctx.core(), ctx.caller, username!, password);
      print(ctx.io, `password set for ${username!.toLowerCase()}`);
      return 0;
    },
  },
  {
    name: 'user set-role',
    summary: 'Give a user a console role (admin, helpdesk) or take it (none)',
    usage: '<username> admin|helpdesk|none',
    args: ['username', 'role'],
    async run(ctx, _options, [username, role]) {
      const { parseRole, setUserRole } = await import('../../users/roles.js');
      const { getUser } = await import('../../users/users.js');
      const core = await ctx.core();
      await setUserRole(core, ctx.caller, username!, parseRole(role!));
      const user = await getUser(core, username!);
      if (ctx.json) printJSON(ctx.io, user);
      else print(ctx.io, `${user.username} has role ${user.role ?? 'none'}`);
      return 0;
    },
  },
  ...(['disable', 'enable'] as const).map((action): Command => ({
    name: `user ${action}`,
    summary: `${action === 'disable' ? 'Disable' : 'Enable'} a user's sign-in`,
    usage: '<username>',
    args: ['username'],
    async run(ctx, _options, [username]) {
      const { updateUser } = await import('../../users/users.js');
      const user = await updateUser(await ctx.core(), ctx.caller, username!, {
        disabled: action === 'disable',
      });
      if (ctx.json) printJSON(ctx.io, user);
      else print(ctx.io, `${action}d user ${user.username}`);
      return 0;
    },
  })),
];
