// Whose data a request reads (docs/rules.md, tenancy): one agency, or every agency of a region. The API edge
// decides the scope from the token; the queries read for it.

export type Scope = { kind: 'agency'; agencyId: string } | { kind: 'region'; regionId: string; agencyIds: readonly string[] };

/** The agencies a scope reads. */
export function agenciesIn(scope: Scope): readonly string[] {
  return scope.kind === 'agency' ? [scope.agencyId] : scope.agencyIds;
}
