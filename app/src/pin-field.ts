/** The PIN field of the PIN and unlock screens. */
import { field } from './dom.js';

/** The attributes of every PIN field: digits on the phone's keyboard, never remembered. */
export function pinField(label: string, policy: { maxLength: number }, hint?: string) {
  return field(
    label,
    {
      type: 'password',
      inputmode: 'numeric',
      pattern: '[0-9]*',
      autocomplete: 'off',
      maxlength: policy.maxLength,
      required: true,
    },
    hint,
  );
}
