/**
 * The one brand an employee meets on every screen (the help-desk article's "Smart
 * Workplace"): the organisation's name, logo and colour, whom to ask, and where to sign
 * in. Pages, mails, the portal and the authenticator app all take it from here, so no
 * face can show a name of its own.
 */
import type { Config } from './schema.js';

export interface Brand {
  name: string;
  /** A path on this server or an https:// address; '' for none. */
  logoUrl: string;
  /** `#rrggbb`. */
  colour: string;
  /** Whom to ask; '' for "your IT department". */
  contact: string;
  /** Where employees sign in: `PFORTE_PORTAL_URL`, or this server's portal. */
  portalUrl: string;
}

export function brandOf(config: Readonly<Config>): Brand {
  return {
    name: config.portal.name || config.organisation.name,
    logoUrl: config.portal.logoUrl,
    colour: config.organisation.colour,
    contact: config.organisation.contact,
    portalUrl: config.portal.url || `${config.publicUrl.replace(/\/$/, '')}/`,
  };
}
