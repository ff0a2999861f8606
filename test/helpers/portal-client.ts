/** A browser for the portal through `app.inject`: a cookie jar and the sign-in form. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

export class PortalBrowser {
  cookies = new Map<string, string>();
  /**
   * @param address the address the requests come from (the app trusts no proxy, so this
   *   is the client address the portal sees)
   */
  constructor(
    protected t: TestApp,
    private address = '127.0.0.1',
  ) {}
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const response = await this.t.app.inject({
      method,
      url,
      remoteAddress: this.address,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'accept-language': 'de-DE,de;q=0.9',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    for (const set of [response.headers['set-cookie'] ?? []].flat()) {
      const [pair] = set.split(';');
      const [name, value] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/.test(set) || value === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return response;
  }
  /** Loads the sign-in page and posts the form as a person would. */
  async signIn(fields: { username: string; otp: string; password: string }, from = '/login') {
    const page = await this.request('GET', from);
    return this.request('POST', '/login', { ...hiddenFields(page), ...fields });
  }
  /**
   * The same browser on another day at another address (a laptop that moved): its
   * session has ended, its other cookies are kept.
   */
  laterAt(address: string): PortalBrowser {
    const later = new PortalBrowser(this.t, address);
    later.cookies = new Map([...this.cookies].filter(([name]) => !name.endsWith('session')));
    return later;
  }
}

export function hiddenFields(page: LightMyRequestResponse): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of page.body.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
  )) {
    fields[name!] = value!.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/');
  }
  return fields;
}
