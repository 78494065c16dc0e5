// Three projects. `unit`: the pure domain, the local runtime's pieces and the CDK templates, with no
// DynamoDB Local (no Java started): `npm run test:unit`, the edit loop. `integration`: the store,
// projectors, handlers and tools against DynamoDB Local, one of each file's own
// (test/support/dynamodb-environment.ts). `e2e`: the local stack as a user runs it (each starts its
// own DynamoDB Local), the browser, and the synth through the CDK CLI. `npm test` runs all three.

// The AWS SDK's notice that its releases after January 2027 need Node 22, printed once per test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What both projects share. */
const common = {
  testEnvironment: '<rootDir>/test/support/quiet-environment.ts',
  // ts-jest transpiles only (isolatedModules; the type check is `npm run typecheck`). Middy 6 ships
  // ES modules only, so it is compiled to CommonJS with the rest.
  transform: {
    '^.+\\.(t|j)s$': [
      'ts-jest',
      { tsconfig: { isolatedModules: true, allowJs: true, module: 'commonjs', target: 'es2022', esModuleInterop: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // One seed for every property test: the same cases each run (test/support/fast-check-seed.ts).
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
};

/** The CDK CLI's synth: no DynamoDB Local, but too slow for the edit loop. */
const cliSynth = '<rootDir>/test/infra/synth.test.ts';

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  testSequencer: '<rootDir>/test/support/whole-stacks-first.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/infra/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', cliSynth.replace('<rootDir>', '')],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: '<rootDir>/test/support/dynamodb-environment.ts',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', cliSynth],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
