// A region that names no hub has no hub's figures (docs/metrics.md, the hub's front door): its regional
// reader's GET /metrics/hub is a 404, while the same token reads the region's other figures.
import { regionWithoutHub } from '../support/region-without-hub';
import { signLocalToken } from '../../local/tokens';
import { apiRoutes, type ApiRouteName } from '../../shared/wiring/http-routes';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack();
});
afterAll(() => stack?.stop());

const route = (name: ApiRouteName) => apiRoutes.find((r) => r.name === name)!;
const march = { from: '2025-03-01', to: '2025-03-31' };

it("answers a regional reader of a region without a hub 404 on the hub's figures, naming the region", async () => {
  const token = await signLocalToken({ groups: ['regional'], regionId: regionWithoutHub, secret: stack.jwtSecret });
  const hub = await stack.call(route('HubFigures'), { query: march }, token);
  expect([hub.status, hub.body.error.code, hub.body.error.message]).toEqual([404, 'not_found', `region ${regionWithoutHub} names no hub`]);
  // The token is good: the region's pooled figures answer it.
  const timeliness = await stack.call(route('Timeliness'), { query: march }, token);
  expect(timeliness.status).toBe(200);
});
