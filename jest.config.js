/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // ts-jest transpiles only (the type check is `npm run typecheck`). Middy 6 ships ES modules only,
  // so it is compiled to CommonJS with the rest.
  transform: {
    '^.+\\.(t|j)s$': [
      'ts-jest',
      { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', esModuleInterop: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // One seed for every property test: the same cases each run (test/support/fast-check-seed.ts).
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
