// The reads a `regional` token may make for its region: the metrics, which are also the
// figures served as CSV (docs/api.md, CSV). Apart from http.ts so that the commands' bundles leave the CSV
// library out.
import { figuresCsv, wantsCsv } from './csv';
import { routeHandler, type Caller, type RouteLogic } from './http';
import type { ApiRouteName } from '../wiring/http-routes';

/** A read a `regional` token may make for its region (the route is marked `regional`). */
export function scopedRoute(name: ApiRouteName, logic: RouteLogic<Caller>) {
  return routeHandler(name, logic, { wantsCsv, figuresCsv });
}
