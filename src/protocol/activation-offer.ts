/**
 * The server's answer to `POST /api/v1/activations` (step 2 of DESIGN.md section 4), as
 * a TypeBox schema, and its type derived from it: the REST API validates and documents
 * the answer with the schema, the server and the app type it with the type, so the
 * shape is written once. The app imports the type only, so TypeBox stays out of its bundle.
 */
import { Type, type Static } from '@sinclair/typebox';

export const ActivationOffer = Type.Object(
  {
    activationId: Type.String(),
    publicKey: Type.String(),
    salt: Type.String(),
    token: Type.Object({
      serial: Type.String(),
      type: Type.Union([Type.Literal('totp'), Type.Literal('hotp')]),
      algorithm: Type.String(),
      digits: Type.Integer(),
      period: Type.Optional(Type.Integer({ description: 'TOTP: seconds per passcode' })),
      counter: Type.Optional(
        Type.Integer({ description: 'HOTP: the counter of the first passcode' }),
      ),
      issuer: Type.String(),
      label: Type.String(),
    }),
    pin: Type.Object({
      minLength: Type.Integer(),
      maxLength: Type.Integer(),
      maxAttempts: Type.Integer(),
    }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ActivationOffer' },
);
export type ActivationOffer = Static<typeof ActivationOffer>;
