/**
 * The notice after "Telefon verloren": the token is revoked, how to sign in until there
 * is a new phone, and whom to call if the user did not report it — mailed to the
 * registered address, so that a stranger holding a session cannot revoke unnoticed.
 * Plain text and simple HTML in the brand's frame, like the enrollment mail.
 */
import type { Brand } from '../config/brand.js';
import { checkURL, html } from '../text/html.js';
import { formatDateTime, messagesFor, type Lang } from '../text/i18n.js';
import { lostPhoneMailTexts } from '../text/lost-phone-mail.js';
import { toOneLine, type RenderedMail } from './enrollment-mail.js';
import { mailButton, mailFrame } from './mail-frame.js';

export interface LostPhoneMailView {
  lang: Lang;
  brand: Pick<Brand, 'name' | 'colour' | 'contact' | 'portalUrl'>;
  displayName: string;
  revokedAt: Date;
  /** The help desk may issue temporary codes (`temporaryAccess.enabled`). */
  temporaryAccess: boolean;
  /** Employees set up a new phone themselves (`enrollment.selfService`). */
  selfService: boolean;
}

export function renderLostPhoneMail(v: LostPhoneMailView): RenderedMail {
  const m = lostPhoneMailTexts[v.lang];
  const organisation = toOneLine(v.brand.name);
  const who = toOneLine(v.brand.contact) || messagesFor(v.lang).common.itDepartment;
  const portal = checkURL(toOneLine(v.brand.portalUrl));
  const lines = {
    greeting: m.greeting(toOneLine(v.displayName)),
    revoked: m.revoked(formatDateTime(v.revokedAt, v.lang)),
    meanwhile: v.temporaryAccess ? m.temporary(who) : m.noTemporary(who),
    next: v.selfService ? m.newPhoneSteps : m.newPhoneByIT(who),
    notYou: m.notYou(who),
  };
  const text = [
    lines.greeting,
    '',
    lines.revoked,
    '',
    lines.meanwhile,
    '',
    lines.next,
    ...(v.selfService ? ['', `   ${portal}`] : []),
    '',
    lines.notYou,
    '',
  ].join('\n');
  const brand = { name: organisation, colour: v.brand.colour };
  const body = mailFrame({
    lang: v.lang,
    title: m.subject(organisation),
    brand,
    body: html`<p style="margin:0 0 16px;">${lines.greeting}</p>
      <p style="margin:0 0 16px;">${lines.revoked}</p>
      <p style="margin:0 0 16px;font-weight:bold;">${lines.meanwhile}</p>
      <p style="margin:0 0 16px;">${lines.next}</p>
      ${
        v.selfService
          ? html`<p style="margin:24px 0;">${mailButton(brand, portal, m.toPortal)}</p>`
          : ''
      }
      <p style="margin:0;">${lines.notYou}</p>`,
  });
  return { subject: m.subject(organisation), text, html: body.toString() };
}
