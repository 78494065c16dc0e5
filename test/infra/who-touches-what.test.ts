// docs/security.md's table of who may touch what, held true to the synthesized template: each
// function's IAM grants on each table and on the bus, read from its role's policies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FosteringStack } from '../../infra/fostering-stack';
import { tableAccessKeys } from '../../infra/tables';

const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FosteringStack(app, 'FosteringStack');
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: any }> };
const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The statements of the policies attached to a role. */
function statementsOf(roleId: string): Statement[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

const STREAM = new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
/** How the docs name a set of table actions. */
function accessWords(actions: Set<string>): string {
  if (actions.size === 0) return '';
  const words = [actions.has('dynamodb:PutItem') ? 'read, write' : 'read'];
  if (actions.has('dynamodb:Scan')) words.push('scan');
  return words.join(', ');
}

/** Each function of the template, by its construct id, with what its grants allow. */
const functions = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Role?.['Fn::GetAtt'])
  .map(([id, r]) => {
    const statements = statementsOf(r.Properties.Role['Fn::GetAtt'][0] as string);
    const on = (resourceId: string) =>
      new Set(statements.filter((s) => JSON.stringify(s.Resource).includes(`"${resourceId}"`)).flatMap((s) => [s.Action].flat()));
    const tables = tableAccessKeys.map((key) =>
      accessWords(new Set([...on(idOf(stack.tables.byAccess[key]))].filter((a) => a.startsWith('dynamodb:') && !STREAM.has(a)))),
    );
    const publishes = on(idOf(stack.events.bus)).has('events:PutEvents') ? 'puts events' : '';
    return { id, description: String(r.Properties.Description ?? ''), row: [...tables, publishes].join(' | ') };
  });

/** The rows of the doc's table: the access columns, and the functions named in the first column. */
function documentedRows(): Map<string, string[]> {
  const doc = readFileSync(join(__dirname, '../../docs/security.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Who may touch what'));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| functions') && !line.startsWith('|---'))
    .map((line) => line.slice(2, -2).split(' | '));
  return new Map(rows.map(([names = '', ...access]) => [access.join(' | '), names.split(', ').map((name) => name.replace(/`/g, ''))]));
}

test(`docs/security.md names, for every function that touches a table or the bus, exactly what the template grants it (${tableAccessKeys.join(', ')}, bus)`, () => {
  const byAccess = new Map<string, string[]>();
  for (const fn of functions) {
    if (fn.row.replace(/[ |]/g, '') === '') continue; // touches nothing: no row
    const construct = stack.node.findAll().find((c) => c.node.defaultChild && idOf(c) === fn.id);
    // A route's or job's function by its name; the outbox's and the counts' by their owner's too.
    const owner = construct?.node.scope?.node.id ?? '';
    const name = ['Outbox', 'ConversionCounts'].includes(owner) ? `${owner}${construct!.node.id}` : (construct?.node.id ?? fn.id);
    byAccess.set(fn.row, [...(byAccess.get(fn.row) ?? []), name].sort());
  }
  const documented = new Map([...documentedRows()].map(([row, names]) => [row, [...names].sort()]));
  expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(byAccess));
});
