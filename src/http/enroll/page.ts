/**
 * The self-enrollment pages the e-mailed link leads to (DESIGN §4): the instructions for the
 * visitor's device, the invalid-link page, the page for standard authenticator apps and the
 * page after it. Each returns a complete document; the routes add status and headers.
 */
import QRCode from 'qrcode';
import type { Device } from './device.js';
import { languageSwitch } from '../shared/language.js';
import { passcodeInput } from '../shared/passcode-input.js';
import { checkURL, escapeHTML, html, layout, unsafeRaw, type SafeHtml } from '../../text/html.js';
import { formatDateTime, messagesFor, type Lang, type Messages } from '../../text/i18n.js';

export interface EnrollmentPageView extends FrameView {
  /** Whom to ask; '' for "your IT department". */
  contact: string;
  displayName: string;
  /** The enrollment string in groups of 5, e.g. `ABCDE-FGHJK-…`. */
  codeGroups: string;
  /** `<public-url>/enroll/<code>`: this page, for the QR code on a computer. */
  pageUrl: string;
  /** `<public-url>/app/#enroll=<code>`: opens the authenticator with the code. */
  appUrl: string;
  expiresAt: Date;
  device: Device;
  /** POST target for "use another authenticator app"; absent when policy does not allow it. */
  standardAppAction?: string;
  helpUrls: { android: string; iphone: string };
}

/** What every enrollment page shows around its body. */
export interface FrameView {
  lang: Lang;
  organisation: string;
  /** This page's GET address, for the language switch; none when there is no such page. */
  here?: string;
}

export interface MessagePageView extends FrameView {
  contact: string;
}

export interface StandardAppPageView extends FrameView {
  /** `otpauth://totp/…`, shown as a QR code and a link. */
  otpauthUri: string;
  /** The base32 secret in groups, for typing it in by hand. */
  secretGroups: string;
  confirmAction: string;
  error?: 'wrong_code';
}

/** The enrollment page behind the e-mailed link, with the steps for the visitor's device. */
export async function renderEnrollmentPage(v: EnrollmentPageView): Promise<string> {
  const t = messagesFor(v.lang);
  const e = t.enrollment;
  const steps =
    v.device === 'android'
      ? androidSteps(v, t)
      : v.device === 'iphone'
        ? iphoneSteps(v, t)
        : await computerSteps(v, t);
  const body = html`<h1>${e.title}</h1>
    <p>${e.greeting(v.displayName)}</p>
    <p>${e.intro(v.organisation)}</p>
    <p class="expires">${e.expires(formatDateTime(v.expiresAt, v.lang))}</p>
    ${steps} ${v.standardAppAction === undefined ? '' : standardAppOffer(v.standardAppAction, t)}
    ${contactLine(v.contact, t)}`;
  return page(v, e.title, body);
}

function androidSteps(v: EnrollmentPageView, t: Messages): SafeHtml {
  const e = t.enrollment;
  return html`<ol class="steps">
    <li>
      <h2>${e.installHeading}</h2>
      <p>${e.installText}</p>
      <p><a class="button" href="${installURL(v.appUrl)}">${e.installLink}</a></p>
      <p><a href="${checkURL(v.helpUrls.android)}">${e.androidHelp}</a></p>
    </li>
    <li>
      <h2>${e.importHeading}</h2>
      <p><a class="button button-primary" href="${checkURL(v.appUrl)}">${e.importButton}</a></p>
      <p>${e.importText}</p>
    </li>
    <li>
      <h2>${e.copyHeading}</h2>
      <p>${e.copyText}</p>
      ${copyField('enrollment-string', t.common.enrollmentStringLabel, v.codeGroups, t)}
    </li>
  </ol>`;
}

// On iPhone a link from Mail opens Safari, whose storage is not the Home Screen app's,
// so the code travels by the clipboard (DESIGN §4, "Phones").
function iphoneSteps(v: EnrollmentPageView, t: Messages): SafeHtml {
  const e = t.enrollment;
  return html`<p>${e.iphoneIntro}</p>
    <p>${e.iphoneWhy}</p>
    <ol class="steps">
      <li>
        <h2>${e.iphoneInstallHeading}</h2>
        <p>${e.iphoneInstallText}</p>
        <p><a class="button" href="${installURL(v.appUrl)}">${e.iphoneInstallLink}</a></p>
        <p><a href="${checkURL(v.helpUrls.iphone)}">${e.iphoneHelp}</a></p>
      </li>
      <li>
        <h2>${e.iphoneCopyHeading}</h2>
        <p>${e.iphoneCopyText}</p>
        ${copyField('enrollment-string', t.common.enrollmentStringLabel, v.codeGroups, t)}
      </li>
      <li>
        <h2>${e.iphonePasteHeading}</h2>
        <p>${e.iphonePasteText}</p>
      </li>
    </ol>
    <h2>${e.iphoneImportHeading}</h2>
    <p>${e.iphoneImportText}</p>
    <p><a class="button" href="${checkURL(v.appUrl)}">${e.importButton}</a></p>`;
}

async function computerSteps(v: EnrollmentPageView, t: Messages): Promise<SafeHtml> {
  const e = t.enrollment;
  return html`<h2>${e.computerHeading}</h2>
    <p>${e.computerText}</p>
    ${await renderQRCode(checkURL(v.pageUrl), e.qrLabel)}
    <p>${e.computerString}</p>
    <p><code id="enrollment-string" class="copy-value">${v.codeGroups}</code></p>
    <ul class="links">
      <li><a href="${checkURL(v.helpUrls.android)}">${e.androidHelp}</a></li>
      <li><a href="${checkURL(v.helpUrls.iphone)}">${e.iphoneHelp}</a></li>
    </ul>`;
}

function standardAppOffer(action: string, t: Messages): SafeHtml {
  const e = t.enrollment;
  return html`<section class="alternative" aria-labelledby="standard-app-heading">
    <h2 id="standard-app-heading">${e.standardHeading}</h2>
    <p>${e.standardText}</p>
    <form method="post" action="${checkURL(action)}">
      <button type="submit" class="button">${e.standardButton}</button>
    </form>
  </section>`;
}

/** The page for a code that cannot be used; it never says whether the code ever existed. */
export function renderInvalidCodePage(v: MessagePageView): string {
  const t = messagesFor(v.lang);
  const i = t.invalid;
  const body = html`<h1>${i.title}</h1>
    <p>${i.text}</p>
    <p>${i.action(v.contact || t.common.itDepartment)}</p>
    <p>${i.newerMail}</p>`;
  return page(v, i.title, body);
}

/** Too many requests from this address: how long to wait, then what to do. */
export function renderTooManyRequestsPage(v: MessagePageView & { seconds: number }): string {
  const w = messagesFor(v.lang).tooManyRequests;
  const body = html`<h1>${w.title}</h1>
    <p role="alert">${w.text(v.seconds)}</p>
    <p>${w.again}</p>`;
  return page(v, w.title, body);
}

/** The QR code and key for apps such as Google Authenticator, and the form for the first code. */
export async function renderStandardAppPage(v: StandardAppPageView): Promise<string> {
  const t = messagesFor(v.lang);
  const s = t.standardApp;
  const wrong = v.error === 'wrong_code';
  const body = html`<h1>${s.title}</h1>
    <p>${s.intro}</p>
    <ol class="steps">
      <li>
        <h2>${s.scanHeading}</h2>
        <p>${s.scanText}</p>
        ${await renderQRCode(v.otpauthUri, s.qrLabel)}
        <p><a href="${checkURL(v.otpauthUri, ['otpauth:'])}">${s.openHere}</a></p>
      </li>
      <li>
        <h2>${s.manualHeading}</h2>
        <p>${s.manualText}</p>
        ${copyField('secret', s.secretLabel, v.secretGroups, t)}
        <h3>${s.settingsLabel}</h3>
        <dl class="settings">
          <div>
            <dt>${s.settingType}</dt>
            <dd>${s.settingTypeValue}</dd>
          </div>
          <div>
            <dt>${s.settingAlgorithm}</dt>
            <dd>SHA-1</dd>
          </div>
          <div>
            <dt>${s.settingDigits}</dt>
            <dd>6</dd>
          </div>
          <div>
            <dt>${s.settingPeriod}</dt>
            <dd>${s.settingPeriodValue}</dd>
          </div>
        </dl>
      </li>
      <li>
        <h2>${s.confirmHeading}</h2>
        <p>${s.confirmText}</p>
        <form method="post" action="${checkURL(v.confirmAction)}" class="otp-form">
          ${wrong ? html`<p class="alert" id="otp-error" role="alert">${s.wrongCode}</p>` : ''}
          <label for="otp">${s.otpLabel}</label>
          ${passcodeInput({
            maxDigits: 6,
            attributes: html`aria-describedby="${wrong ? 'otp-hint otp-error' : 'otp-hint'}"
            ${wrong ? html` aria-invalid="true" autofocus` : ''}`,
          })}
          <p class="hint" id="otp-hint">${s.otpHint}</p>
          <button type="submit" class="button button-primary">${s.activate}</button>
        </form>
      </li>
    </ol>`;
  return page(v, s.title, body);
}

/** The confirmation after the first code was right. */
export function renderEnrollmentDonePage(v: MessagePageView): string {
  const t = messagesFor(v.lang);
  const d = t.done;
  const body = html`<h1>${d.title}</h1>
    <p>${d.text}</p>
    <p>${d.signIn}</p>
    ${contactLine(v.contact, t)}`;
  return page(v, d.title, body);
}

/** A complete enrollment page: the body, then the language switch when the page has an address. */
export function page(v: FrameView, title: string, body: SafeHtml): string {
  const { lang, organisation, here } = v;
  const full = here === undefined ? body : html`${body} ${languageSwitch(lang, here)}`;
  return layout({ lang, title, organisation, body: full }).toString();
}

export function contactLine(contact: string, t: Messages): SafeHtml {
  return html`<p class="contact">${t.common.askFor(contact || t.common.itDepartment)}</p>`;
}

/**
 * A value to copy: the copy button is wired up by /assets/pforte.js, which announces
 * success in the `<id>-status` live region; without script the text can still be selected.
 */
function copyField(id: string, label: string, value: string, t: Messages): SafeHtml {
  return html`<div class="copy-field">
    <p class="copy-label" id="${id}-label">${label}</p>
    <p><code id="${id}" class="copy-value">${value}</code></p>
    <button
      type="button"
      class="button"
      data-copy="${id}"
      data-copied-label="${t.common.copied}"
      aria-describedby="${id}-label"
    >
      ${t.common.copy}
    </button>
    <span class="copy-status" id="${id}-status" role="status"></span>
  </div>`;
}

/** The authenticator's own address: the app URL without the code in its fragment. */
function installURL(appUrl: string): string {
  const url = new URL(checkURL(appUrl));
  url.hash = '';
  url.search = '';
  return url.href;
}

/** An inline SVG QR code (error correction M), labelled as an image for screen readers. */
async function renderQRCode(text: string, label: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const start = svg.indexOf('<svg ');
  if (start < 0) throw new Error('the QR code library returned no SVG');
  const labelled =
    `<svg role="img" aria-label="${escapeHTML(label)}" focusable="false" ` +
    svg.slice(start + '<svg '.length).trim();
  return html`<figure class="qr">${unsafeRaw(labelled)}</figure>`;
}
