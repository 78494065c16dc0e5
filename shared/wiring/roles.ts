// The token groups (docs/rules.md, roles), declared once. Apart from the route table so that the web client
// can name them without type-checking the server's wiring (which uses Node's modules).
export const roles = ['recruitment', 'marketing', 'manager', 'regional'] as const;
export type Role = (typeof roles)[number];
