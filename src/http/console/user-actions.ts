/**
 * What an operator does on a user's page: each action a POST with the page's CSRF token
 * (kit.form), allowed by its own permission, done by the same core function as the CLI
 * and REST with the operator as caller (so the core audits it, face `console`), then a
 * 303 back to the user's page saying what was done. A refusal of the core is the console's
 * error page, with nothing changed. The dangerous ones (revoke, remove, a role) answer GET
 * with a page of their own asking to confirm, and act only on its POST.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  cancelEnrollment,
  getEnrollment,
  resendEnrollment,
  startEnrollment,
} from '../../enrollment/enrollments.js';
import { notFound, PforteError } from '../../errors.js';
import { resyncToken } from '../../tokens/resync.js';
import { changeTokenState } from '../../tokens/state.js';
import { getToken } from '../../tokens/tokens.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { userActionsTexts, type Done } from '../../text/console/user-actions.js';
import { usersTexts } from '../../text/console/users.js';
import { html } from '../../text/html.js';
import { PASSWORD_MAX } from '../../users/fields.js';
import { parseRole, setUserRole, type Permission } from '../../users/roles.js';
import { getUser, removeUser, setUserPassword, updateUser, type User } from '../../users/users.js';
import type { ConsoleKit, Operator } from './kit.js';
import { userPath } from './user-page-actions.js';

type Params = { username: string; serial?: string; id?: string };
type Request = FastifyRequest<{ Params: Params }>;

/** What an action works with: who asks, on whom, the form as posted, and the answer to send. */
interface Act<F extends string> {
  operator: Operator;
  user: User;
  form: Record<F, string>;
  params: Params;
  reply: FastifyReply;
}

/** The longest code a token shows (8 digits); anything longer is not a code. */
const CODE_MAX = 8;

/**
 * No operator removes themselves or changes their own role in the console: the last
 * administrator could lock everyone out. Another administrator (or the CLI) can.
 */
function refuseOwnAccount(operator: Operator, user: User): void {
  if (operator.user.username === user.username) {
    throw new PforteError('ERR_CONFLICT', userActionsTexts[operator.lang].notYourself);
  }
}

export function userActionRoutes(kit: ConsoleKit) {
  const { core } = kit;

  /** The token named in the address, if it is this user's; another's is not found here. */
  const tokenOf = async (user: User, serial: string | undefined) => {
    const token = await getToken(core, serial ?? '');
    if (token.username !== user.username) throw notFound('token');
    return token;
  };
  const enrollmentOf = async (user: User, id: string | undefined) => {
    const enrollment = await getEnrollment(core, id ?? '');
    if (enrollment.username !== user.username) throw notFound('enrollment');
    return enrollment;
  };

  /** Registers `POST path`: permission, the form, the action, the way back. */
  const action =
    (app: FastifyInstance) =>
    <F extends string>(
      path: string,
      needs: Permission,
      fields: Record<F, number>,
      run: (act: Act<F>) => Promise<Done | FastifyReply>,
    ) =>
      app.post<{ Params: Params }>(path, { schema: { hide: true } }, async (request, reply) => {
        const operator = await kit.operator(request, reply, needs);
        if (!operator) return reply;
        const form = kit.form(request, reply, fields);
        if (!form) return reply;
        const user = await getUser(core, request.params.username);
        const done = await run({ operator, user, form, params: request.params, reply });
        if (typeof done !== 'string') return done;
        return reply.redirect(`${userPath(user.username)}?done=${done}`, 303);
      });

  /** `GET path`: the page that says what will happen, with the form that does it. */
  const confirmation = (
    app: FastifyInstance,
    path: string,
    needs: Permission,
    describe: (
      operator: Operator,
      user: User,
      request: Request,
      reply: FastifyReply,
    ) => Promise<{ message: string; fields?: Record<string, string> } | undefined>,
  ) =>
    app.get<{ Params: Params }>(path, { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, needs);
      if (!operator) return reply;
      const user = await getUser(core, request.params.username);
      const what = await describe(operator, user, request, reply);
      if (!what) return reply;
      const chrome = chromeTexts[operator.lang];
      const action = request.url.split('?')[0]!;
      const body = html`<h1>${chrome.confirmTitle}</h1>
        <p class="alert" role="alert">${what.message}</p>
        <form method="post" action="${action}" class="actions-bar">
          <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
          ${Object.entries(what.fields ?? {}).map(
            ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
          )}
          <button type="submit" class="button button-danger">${chrome.confirm}</button>
          <a class="button" href="${userPath(user.username)}">${chrome.cancel}</a>
        </form>`;
      return kit.page(reply, operator, 200, { title: chrome.confirmTitle, section: 'users', body });
    });

  return (app: FastifyInstance) => {
    const post = action(app);

    post('/users/:username/enrollments', 'enrollments.start', {}, async ({ operator, user }) => {
      await startEnrollment(core, operator.caller, { username: user.username });
      return 'enrollment-started';
    });
    post(
      '/users/:username/enrollments/:id/resend',
      'enrollments.resend',
      {},
      async ({ operator, user, params }) => {
        const enrollment = await enrollmentOf(user, params.id);
        await resendEnrollment(core, operator.caller, enrollment.id);
        return 'enrollment-resent';
      },
    );
    post(
      '/users/:username/enrollments/:id/cancel',
      'enrollments.cancel',
      {},
      async ({ operator, user, params }) => {
        const enrollment = await enrollmentOf(user, params.id);
        await cancelEnrollment(core, operator.caller, enrollment.id);
        return 'enrollment-cancelled';
      },
    );

    post(
      '/users/:username/tokens/:serial/unlock',
      'tokens.unlock',
      {},
      async ({ operator, user, params }) => {
        const token = await tokenOf(user, params.serial);
        await changeTokenState(core, operator.caller, token.serial, 'unlock');
        return 'token-unlocked';
      },
    );
    post(
      '/users/:username/tokens/:serial/resync',
      'tokens.resync',
      { code1: CODE_MAX, code2: CODE_MAX },
      async ({ operator, user, form, params }) => {
        const token = await tokenOf(user, params.serial);
        await resyncToken(
          core,
          operator.caller,
          token.serial,
          form.code1.trim(),
          form.code2.trim(),
        );
        return 'token-resynced';
      },
    );
    confirmation(
      app,
      '/users/:username/tokens/:serial/revoke',
      'tokens.revoke',
      async (operator, user, request) => {
        const token = await tokenOf(user, request.params.serial);
        return {
          message: userActionsTexts[operator.lang].confirmRevoke(token.serial, user.username),
        };
      },
    );
    post(
      '/users/:username/tokens/:serial/revoke',
      'tokens.revoke',
      {},
      async ({ operator, user, params }) => {
        const token = await tokenOf(user, params.serial);
        await changeTokenState(core, operator.caller, token.serial, 'revoke');
        return 'token-revoked';
      },
    );

    for (const change of ['disable', 'enable'] as const) {
      post(`/users/:username/${change}`, 'users.write', {}, async ({ operator, user }) => {
        await updateUser(core, operator.caller, user.username, { disabled: change === 'disable' });
        return change === 'disable' ? 'user-disabled' : 'user-enabled';
      });
    }
    post(
      '/users/:username/password',
      'users.write',
      { password: PASSWORD_MAX, repeat: PASSWORD_MAX },
      async ({ operator, user, form, reply }) => {
        if (form.password !== form.repeat) {
          return kit.refusal(reply.request, reply, 400, {
            title: chromeTexts[operator.lang].errorTitle,
            message: userActionsTexts[operator.lang].passwordsDiffer,
          });
        }
        await setUserPassword(core, operator.caller, user.username, form.password);
        return 'password-set';
      },
    );

    confirmation(app, '/users/:username/remove', 'users.remove', async (operator, user) => {
      refuseOwnAccount(operator, user);
      return { message: userActionsTexts[operator.lang].confirmRemove(user.username) };
    });
    post('/users/:username/remove', 'users.remove', {}, async ({ operator, user, reply }) => {
      refuseOwnAccount(operator, user);
      await removeUser(core, operator.caller, user.username);
      return reply.redirect(`/admin/users?removed=${encodeURIComponent(user.username)}`, 303);
    });

    confirmation(
      app,
      '/users/:username/role',
      'roles.write',
      async (operator, user, request, reply) => {
        refuseOwnAccount(operator, user);
        const asked = (request.query as Record<string, unknown>).role;
        const role = parseRole(typeof asked === 'string' ? asked : '');
        const t = usersTexts[operator.lang];
        const a = userActionsTexts[operator.lang];
        if (role === user.role) {
          kit.refusal(request, reply, 409, {
            title: chromeTexts[operator.lang].errorTitle,
            message: a.roleUnchanged,
          });
          return undefined;
        }
        return {
          message: a.confirmRole(
            user.username,
            t.roles[user.role ?? 'none'],
            t.roles[role ?? 'none'],
          ),
          fields: { role: role ?? 'none' },
        };
      },
    );
    post('/users/:username/role', 'roles.write', { role: 16 }, async ({ operator, user, form }) => {
      refuseOwnAccount(operator, user);
      await setUserRole(core, operator.caller, user.username, parseRole(form.role));
      return 'role-set';
    });
  };
}
