/**
 * Starts moto on loopback and seeds the demo AWS organisation (a provider
 * account publishing PrivateLink endpoint services, two consumer accounts
 * connecting to them) through the AWS SDK for JavaScript v3.
 *
 * For the local demo and integration tests only.
 *
 * @packageDocumentation
 */
export {
  DEMO_ASSUME_ROLE_NAME,
  DEMO_KEY_TAG,
  DEMO_ORG,
  DEMO_REGION,
  demoKeys,
  getDemoAccount,
} from './demoOrg.ts';
export type {
  DemoAccount,
  DemoAwsServiceEndpoint,
  DemoEndpoint,
  DemoOrg,
  DemoService,
  DemoSubnet,
} from './demoOrg.ts';
export { isMotoInstalled, resetMoto, startMoto } from './moto.ts';
export type { MotoServer, StartMotoOptions } from './moto.ts';
export { MOTO_CREDENTIALS, seedDemoOrg } from './seed.ts';
export type {
  SeedCounts,
  SeededAccount,
  SeededEndpoint,
  SeededService,
  SeedOptions,
  SeedResourceKind,
  SeedResult,
} from './seed.ts';
