/** The states of a message, apart from the outbox's queries so the CLI's help names them lightly. */
import type { MailState } from '../store/tables.js';

/** Every state a message can be in, for filters. */
export const MAIL_STATES: readonly MailState[] = [
  'stored',
  'queued',
  'sending',
  'sent',
  'failed',
  'cancelled',
];
