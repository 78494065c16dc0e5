// `npm run synth` / `npm run deploy` start here (cdk.json). Account and region come from the CLI's
// profile at deploy time; `-c allowedOrigins=https://a.example,https://b.example` narrows CORS.
import { App } from 'aws-cdk-lib';
import { FosteringStack } from './fostering-stack';

const app = new App();
const allowedOrigins = app.node.tryGetContext('allowedOrigins') as string | undefined;

new FosteringStack(app, 'FosteringStack', {
  description: 'Fostering recruitment: live recruitment and sufficiency figures',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  allowedOrigins: allowedOrigins?.split(',').map((origin) => origin.trim()).filter(Boolean),
});
