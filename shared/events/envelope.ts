// The EventBridge envelope, as Powertools' EventBridgeSchema, restated so that zod is imported as
// `* as z` and tree-shaken (theirs keeps zod's whole namespace in every projector's bundle).
// test/unit/event-envelope.test.ts holds the two schemas equal.
import * as z from 'zod';

export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  'detail-type': z.string(),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});
