import { scopedRoute } from '../../shared/api/figures-route';
import { HttpError, json, parseOr400 } from '../../shared/api/http';
import { hubFiguresFor, HubFiguresQuerySchema } from '../../shared/queries/hub-figures';
import { hubOfRegion, regionHubbedBy } from '../../shared/wiring/regions';

// The hub's managers read their own hub's figures, a regional token its region's hub's; a council's
// managers are refused (their figures are the council's own).
export const handler = scopedRoute('HubFigures', async (caller, event) => {
  const query = parseOr400(HubFiguresQuerySchema, event.queryStringParameters ?? {});
  const { scope } = caller;
  if (scope.kind === 'region') {
    const hubAgencyId = hubOfRegion(scope.regionId);
    if (!hubAgencyId) throw new HttpError(404, 'not_found', `region ${scope.regionId} names no hub`);
    return json(200, await hubFiguresFor(hubAgencyId, query));
  }
  if (!regionHubbedBy(scope.agencyId))
    throw new HttpError(403, 'forbidden', `${scope.agencyId} is no region's hub: the hub's figures are its managers' and its region's`);
  return json(200, await hubFiguresFor(scope.agencyId, query));
});
