// `npm run synth` / `npm run deploy` start here (cdk.json). Account and region come from the CLI's
// profile at deploy time. CORS allows the dashboard's own origin; `-c allowedOrigins=https://a.example,https://b.example`
// names others instead.
import { App } from 'aws-cdk-lib';
import { FosteringStack } from './fostering-stack';
import { acknowledgeNagFindings, checkWithCdkNag } from './nag-acknowledgements';

const app = new App();
const allowedOrigins = app.node.tryGetContext('allowedOrigins') as string | undefined;

const stack = new FosteringStack(app, 'FosteringStack', {
  description: 'Fostering recruitment: live recruitment and sufficiency figures',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  allowedOrigins: allowedOrigins
    ?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
});
// cdk-nag (AwsSolutions) on every synth and deploy: an unacknowledged finding fails it.
checkWithCdkNag(app);
acknowledgeNagFindings(stack);
