// The EventBridge envelope, field for field as Powertools' EventBridgeSchema
// (@aws-lambda-powertools/parser/schemas/eventbridge), restated here on purpose: that module imports
// zod as `{ z }`, which makes esbuild keep zod's whole namespace, its ~260 KB of error messages in
// every language included, in each projector's bundle (bench/results.md, cold start). Imported as
// `* as z`, zod is tree-shaken. test/unit/event-envelope.test.ts holds the two schemas equal.
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
