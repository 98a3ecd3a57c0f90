// The error texts moved to shared/errors.ts (the portal and the console use them too).
export * from '../shared/errors';
