import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { missingPaths } from '../../src/config/paths.js';
import { parseCollaborative } from '../../src/decisions/collaborative.js';

/** The one line a bad setting produces (parseConfig lists every problem; each case has one). */
function problemsFor(environment: Record<string, string>): readonly string[] {
  try {
    parseConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('a bad setting is named, with its value and what is accepted, in plain English', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (or 0 for any free port), got "abc"'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535 (or 0 for any free port), got "70000"'],
    [{ PORT: '80.5' }, 'PORT must be a whole number from 1 to 65535 (or 0 for any free port), got "80.5"'],
    [{ HOST: ' ' }, 'HOST must be an interface address such as 127.0.0.1 or 0.0.0.0, got " "'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be "development", "production" or "test", got "prod"'],
    [{ MicrosoftAppType: 'Multi' }, 'MicrosoftAppType must be "MultiTenant", "SingleTenant" or "UserAssignedMSI", got "Multi"'],
    [{ CONCORD_DATA_DIR: '' }, 'CONCORD_DATA_DIR must be a folder path, got ""'],
    [{ DATABASE_URL: 'mysql://db/concord' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL, such as postgres://user:password@host:5432/concord, got "mysql://db/concord"'],
    [{ CONCORD_KNOWLEDGE_DIR: ' ' }, 'CONCORD_KNOWLEDGE_DIR must be a folder path, got " "'],
    [{ CONCORD_COLLABORATIVE_FILE: '' }, 'CONCORD_COLLABORATIVE_FILE must be a file path, got ""'],
    [{ CONCORD_PUBLIC_URL: 'concord.example.nhs.uk' }, 'CONCORD_PUBLIC_URL must be an http:// or https:// URL, such as https://concord.example.nhs.uk, got "concord.example.nhs.uk"'],
    [{ CONCORD_LOG_LEVEL: 'loud' }, 'CONCORD_LOG_LEVEL must be "fatal", "error", "warn", "info", "debug", "trace" or "silent", got "loud"'],
    [{ CONCORD_MAX_BODY_BYTES: '10' }, 'CONCORD_MAX_BODY_BYTES must be a whole number of bytes from 1024 to 10000000, got "10"'],
    [{ CONCORD_RATE_LIMIT_PER_MINUTE: 'lots' }, 'CONCORD_RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 10000, got "lots"'],
    [{ CONCORD_CARD_UPDATE_INTERVAL_MS: '-1' }, 'CONCORD_CARD_UPDATE_INTERVAL_MS must be a whole number of milliseconds from 0 to 60000, got "-1"'],
    [{ CONCORD_CONNECTOR_TIMEOUT_MS: '5' }, 'CONCORD_CONNECTOR_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000, got "5"'],
    [{ CONCORD_SSO_JWKS_URL: 'ftp://keys' }, 'CONCORD_SSO_JWKS_URL must be an http:// or https:// URL, got "ftp://keys"'],
  ])('%o → %s', (environment, message) => {
    expect(problemsFor(environment)).toEqual([message]);
  });
});

describe('a setting that points at nothing names the setting and the full path', () => {
  it.each([
    [{ collaborativeFile: 'data/missing.json', knowledgeDir: 'data/knowledge' }, `CONCORD_COLLABORATIVE_FILE names ${path.resolve('data/missing.json')}, which does not exist; set it to your collaborative's JSON file (the sample is data/collaborative.json)`],
    [{ collaborativeFile: 'data', knowledgeDir: 'data/knowledge' }, `CONCORD_COLLABORATIVE_FILE must name a file (your collaborative's JSON file (the sample is data/collaborative.json)), but ${path.resolve('data')} is a folder`],
    [{ collaborativeFile: 'data/collaborative.json', knowledgeDir: 'kb' }, `CONCORD_KNOWLEDGE_DIR names ${path.resolve('kb')}, which does not exist; set it to the knowledge-base folder (the shipped one is data/knowledge)`],
  ])('%o → %s', (paths, message) => {
    expect(missingPaths(paths)).toEqual([message]);
  });

  it('the shipped defaults are all there', () => {
    expect(missingPaths({ collaborativeFile: 'data/collaborative.json', knowledgeDir: 'data/knowledge' })).toEqual([]);
  });
});

describe('a mistake in the collaborative file is said in plain words', () => {
  const valid = { id: 'c', name: 'C', members: [{ id: 'a', name: 'Trust A', representatives: ['p1'] }], chairs: ['p1'], secretariat: ['p1'], defaultRule: { kind: 'consensus' } };
  it.each([
    [{ ...valid, members: undefined }, 'members: missing: add it, as a list ([...])'],
    [{ ...valid, chairs: 'p1' }, 'chairs: must be a list ([...]), not text in quotes'],
    [{ ...valid, name: 7 }, 'name: must be text in quotes, not a number'],
  ])('%o → %s', (json, message) => {
    const parsed = parseCollaborative(json);
    expect(parsed.ok ? [] : parsed.error).toContain(message);
  });
});
