/** Tests run from the TypeScript sources (swc strips types; `tsc --noEmit` in `npm test` checks them). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 30000,
  // Every core: on the 2-core CI machine Jest's default (cores − 1) runs the files one at a time.
  maxWorkers: '100%',
  // The model is trained once per run, not once per file.
  globalSetup: '<rootDir>/test/global-setup.ts',
};
