/**
 * The pages of an enrollment link that no longer shows the steps, each saying what the
 * visitor can do now: an expired link offers a new one (where policy allows), a used link
 * leads to the portal, a replaced one to the newer mail. An unknown code keeps the
 * invalid-link page (page.ts), which says nothing about whether it ever existed.
 */
import { checkURL, html } from '../../text/html.js';
import { formatDateTime, messagesFor } from '../../text/i18n.js';
import { contactLine, page, type MessagePageView } from './page.js';

export interface ExpiredLinkPageView extends MessagePageView {
  expiredAt: Date;
  /** POST target of "Send me a new link"; absent when policy or a missing address forbids it. */
  renewAction?: string;
}

export function renderExpiredLinkPage(v: ExpiredLinkPageView): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  const who = v.contact || t.common.itDepartment;
  const offer =
    v.renewAction === undefined
      ? html`<p>${l.askForNew(who)}</p>`
      : html`<p>${l.renewText}</p>
          <form method="post" action="${checkURL(v.renewAction)}">
            <button type="submit" class="button button-primary">${l.renewButton}</button>
          </form>
          ${contactLine(v.contact, t)}`;
  const body = html`<h1>${l.expiredTitle}</h1>
    <p>${l.expiredText(formatDateTime(v.expiredAt, v.lang))}</p>
    ${offer}`;
  return page(v, l.expiredTitle, body);
}

/** After "Send me a new link": where it went (masked), and that the old link is over. */
export function renderNewLinkSentPage(v: MessagePageView & { maskedAddress: string }): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  const body = html`<h1>${l.sentTitle}</h1>
    <p role="status">${l.sentText(v.maskedAddress)}</p>
    <p>${l.sentOldLink}</p>
    <p>${l.sentNoMail(v.contact || t.common.itDepartment)}</p>`;
  return page(v, l.sentTitle, body);
}

/** The user's allowance of new links is spent: how long to wait, and whom to ask. */
export function renderNewLinkLimitPage(v: MessagePageView & { seconds: number }): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  const body = html`<h1>${l.limitTitle}</h1>
    <p role="alert">${l.limitText(v.seconds)}</p>
    <p>${l.limitAsk(v.contact || t.common.itDepartment)}</p>`;
  return page(v, l.limitTitle, body);
}

/**
 * A used link. Completed: the user is set up, so the way on is the portal, not the IT
 * department. Its activations spent without completing: perhaps set up, perhaps not.
 */
export function renderUsedLinkPage(
  v: MessagePageView & { completed: boolean; portalUrl: string },
): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  // The address itself is shown too: where to sign in next time, without this link.
  const signIn = html`<p>
      <a class="button button-primary" href="${checkURL(v.portalUrl)}">${l.signIn}</a>
    </p>
    <p class="portal-address">${v.portalUrl}</p>`;
  const body = v.completed
    ? html`<h1>${l.usedTitle}</h1>
        <p>${l.usedText}</p>
        ${signIn}`
    : html`<h1>${l.spentTitle}</h1>
        <p>${l.spentText}</p>
        ${signIn}
        <p>${l.spentAsk(v.contact || t.common.itDepartment)}</p>`;
  return page(v, v.completed ? l.usedTitle : l.spentTitle, body);
}

/** A link whose enrollment a newer one replaced: the newer mail has the link that works. */
export function renderReplacedLinkPage(v: MessagePageView): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  const body = html`<h1>${l.replacedTitle}</h1>
    <p>${l.replacedText}</p>
    <p>${t.invalid.newerMail}</p>
    ${contactLine(v.contact, t)}`;
  return page(v, l.replacedTitle, body);
}

/** A request these pages cannot read (too large, not a form): nothing was done. */
export function renderUnreadableRequestPage(v: MessagePageView): string {
  const t = messagesFor(v.lang);
  const l = t.link;
  const body = html`<h1>${l.unreadableTitle}</h1>
    <p>${l.unreadableText}</p>
    ${contactLine(v.contact, t)}`;
  return page(v, l.unreadableTitle, body);
}
