// The store adapter: everything conductor writes under proof/ and trace/.
export * from './errors';
export * from './atomic';
export * from './event-log';
export * from './paths';
export * from './lock';
export * from './cast-writer';
export * from './transcript-writer';
export * from './trajectory';
export { redactProviderEnv, storeRedactor } from './redaction';
export * from './screen-history';
export * from './cli-transcript';
