/**
 * Builds the Teams app package: the zip an admin uploads to Teams to install Concord.
 *
 *   npm run package -- [--out build/concord.zip] [--manifest-dir manifest]
 *
 * manifest/manifest.json is a template: `${{NAME}}` placeholders (the Teams Toolkit's syntax) are
 * filled from the same settings Concord runs with (src/config/config.ts, so env and .env):
 *   APP_ID, BOT_ID  MicrosoftAppId (one Entra app registration serves the bot and the tab's SSO)
 *   HOST            the host of CONCORD_PUBLIC_URL, where Teams loads the Register tab
 *   APP_VERSION     package.json's version: Teams only updates an installed app when it rises
 * The filled manifest is checked against the official schema for its manifestVersion, loaded from
 * the copy bundled in @microsoft/app-manifest, so packaging works offline and gives the same answer
 * on every machine. The icons are checked for the sizes and transparency Teams insists on.
 * Exit codes: 0 written, 1 something to fix (each problem printed), 2 bad arguments.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { ZipFile } from 'yazl';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { parseCommandLine, UsageError } from './cli.js';

const USAGE = 'usage: npm run package -- [--out build/concord.zip] [--manifest-dir manifest]';
/** Defaults are anchored at the repository, not the working directory, so the CLI runs from anywhere. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Stands in for MicrosoftAppId so a package can be built and validated before any Azure setup. */
const EXAMPLE_APP_ID = '00000000-0000-4000-8000-000000000000';
const EXAMPLE_HOST = 'concord.example.org';
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{([A-Za-z0-9_]+)\}\}/g;
/** A fixed timestamp for every zip entry, so the same inputs give a byte-identical package. */
const ZIP_MTIME = new Date('2024-01-01T00:00:00Z');

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type TeamsManifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];
type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

interface Options {
  out: string;
  manifestDir: string;
}

const OPTIONS = { out: { type: 'string', value: 'FILE' }, 'manifest-dir': { type: 'string', value: 'DIR' } } as const;

/** The options; a bad one is a UsageError naming it and what is accepted. */
function parseArguments(args: readonly string[]): Options {
  const { values } = parseCommandLine('package', args, OPTIONS);
  return { out: values.out ?? path.join(REPO, 'build', 'concord.zip'), manifestDir: values['manifest-dir'] ?? path.join(REPO, 'manifest') };
}

interface Filling {
  readonly values: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
}

/** Placeholder values from Concord's settings, and a warning for each one only good for validation. */
function fillingFrom(config: Config): Filling {
  const warnings: string[] = [];
  const problems: string[] = [];
  const appId = config.bot.appId ?? EXAMPLE_APP_ID;
  // Said here in the setting's own name; otherwise it surfaces only as three schema errors on ids.
  if (!GUID.test(appId)) problems.push(`MicrosoftAppId: "${appId}" is not a GUID; use the Application (client) ID of the bot's Entra app registration`);
  if (!config.bot.appId) {
    warnings.push(`MicrosoftAppId is not set: using the example id ${EXAMPLE_APP_ID}; this package is for validation only and cannot be installed`);
  }
  let host = EXAMPLE_HOST;
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    host = url.host;
    if (url.protocol !== 'https:') warnings.push(`CONCORD_PUBLIC_URL is ${url.protocol}//: Teams loads tabs only over https`);
    if (url.pathname !== '/') warnings.push(`CONCORD_PUBLIC_URL has a path (${url.pathname}) that the manifest ignores: Teams will load https://${host}/tab/register`);
  } else {
    warnings.push(`CONCORD_PUBLIC_URL is not set: using the host ${EXAMPLE_HOST}; this package is for validation only and cannot be installed`);
  }
  return { values: { APP_ID: appId, BOT_ID: appId, HOST: host, APP_VERSION: config.version }, warnings, problems };
}

/** Replaces placeholders in every string of the template; works on parsed JSON so no value can break the syntax. */
function fill(value: Json, values: Readonly<Record<string, string>>, unknown: Set<string>): Json {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name: string) => {
      const replacement = values[name];
      if (replacement === undefined) unknown.add(whole);
      return replacement ?? whole;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, values, unknown));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, values, unknown)]));
  }
  return value;
}

/** The official schema for this manifestVersion, as bundled in @microsoft/app-manifest; never fetched. */
function bundledSchema(manifestVersion: string): ManifestSchema | undefined {
  const packageMain = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
  const file = path.join(path.dirname(packageMain), 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // Microsoft's schema files contain "\a" and "\v", which JSON does not allow; the package's own
  // loader makes the same substitution before parsing.
  return JSON.parse(text.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as ManifestSchema;
}

async function schemaProblems(manifest: { [key: string]: Json }): Promise<string[]> {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['/manifestVersion: must be a string such as "1.30"'];
  const schema = bundledSchema(version);
  if (!schema) return [`/manifestVersion: @microsoft/app-manifest bundles no Teams schema for "${version}"`];
  const problems: string[] = [];
  const expectedSchemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  if (manifest.$schema !== expectedSchemaUrl) problems.push(`/$schema: must be ${expectedSchemaUrl} to match manifestVersion ${version}`);
  const failures = await AppManifestUtils.validateAgainstSchema(manifest as unknown as TeamsManifest, schema);
  return [...problems, ...failures.map(formatFailure)];
}

/**
 * The package reports "<instancePath> <message>. Details: <params as JSON>", the root's path being
 * empty. Details are kept only when they add something (the offending property, the allowed values),
 * not when they repeat the message (a pattern).
 */
function formatFailure(failure: string): string {
  const space = failure.indexOf(' ');
  const where = failure.slice(0, space) || '/';
  const [message = '', details] = failure.slice(space + 1).split('. Details: ');
  let redundant = true;
  try {
    const params = JSON.parse(details ?? '{}') as Record<string, unknown>;
    redundant = Object.values(params).every((value) => message.includes(String(value)));
  } catch {
    redundant = false;
  }
  return `${where}: ${message}${redundant || !details ? '' : ` (${details})`}`;
}

interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
}

/** Size and transparency from the PNG header chunks; undefined if the bytes are not a PNG. */
function pngInfo(bytes: Buffer): PngInfo | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  const colourType = bytes[25];
  // Colour types 4 and 6 carry an alpha channel; any other type is transparent only with a tRNS chunk.
  let hasAlpha = colourType === 4 || colourType === 6;
  for (let offset = 8; !hasAlpha && offset + 8 <= bytes.length; offset += 12 + bytes.readUInt32BE(offset)) {
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    if (type === 'tRNS') hasAlpha = true;
    if (type === 'IDAT' || type === 'IEND') break;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), hasAlpha };
}

interface IconRule {
  readonly role: 'color' | 'outline';
  readonly size: number;
  readonly transparent: boolean;
}

const ICON_RULES: readonly IconRule[] = [
  { role: 'color', size: 192, transparent: false },
  { role: 'outline', size: 32, transparent: true },
];

interface Entry {
  readonly name: string;
  readonly data: Buffer;
}

/** Reads and checks each icon the manifest names; icons go at the zip root, so names must be plain file names. */
async function iconEntries(manifest: { [key: string]: Json }, manifestDir: string, problems: string[]): Promise<Entry[]> {
  const icons = manifest.icons;
  if (icons === null || typeof icons !== 'object' || Array.isArray(icons)) return [];
  const entries: Entry[] = [];
  for (const rule of ICON_RULES) {
    const name = icons[rule.role];
    if (typeof name !== 'string') continue; // the schema check already reports it
    if (name !== path.basename(name) || name.includes('\\')) {
      problems.push(`/icons/${rule.role}: "${name}" must be a file name in ${manifestDir}, with no folder`);
      continue;
    }
    let data: Buffer;
    try {
      data = await readFile(path.join(manifestDir, name));
    } catch {
      problems.push(`/icons/${rule.role}: ${path.join(manifestDir, name)} does not exist`);
      continue;
    }
    const info = pngInfo(data);
    if (!info) problems.push(`/icons/${rule.role}: ${name} is not a PNG`);
    else {
      if (info.width !== rule.size || info.height !== rule.size) {
        problems.push(`/icons/${rule.role}: ${name} is ${info.width}×${info.height}; Teams requires ${rule.size}×${rule.size}`);
      }
      if (rule.transparent && !info.hasAlpha) problems.push(`/icons/${rule.role}: ${name} has no transparency; Teams requires white on a transparent background`);
    }
    entries.push({ name, data });
  }
  return entries;
}

/** Writes the zip beside its destination, then renames it: a failed run never leaves half a package. */
async function writeZip(out: string, entries: readonly Entry[]): Promise<void> {
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mtime: ZIP_MTIME, mode: 0o100644 });
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(partial));
    renameSync(partial, out);
  } finally {
    rmSync(partial, { force: true });
  }
}

class PackageProblems extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

async function buildPackage(options: Options, config: Config): Promise<{ manifest: { [key: string]: Json }; warnings: readonly string[] }> {
  const templateFile = path.join(options.manifestDir, 'manifest.json');
  let template: Json;
  try {
    template = JSON.parse(await readFile(templateFile, 'utf8')) as Json;
  } catch (error) {
    throw new PackageProblems([`${templateFile}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new PackageProblems([`${templateFile}: must be a JSON object`]);
  }
  const { values, warnings, problems: settingProblems } = fillingFrom(config);
  const problems = [...settingProblems];
  const unknown = new Set<string>();
  const manifest = fill(template, values, unknown) as { [key: string]: Json };

  problems.push(...[...unknown].map((placeholder) => `${templateFile}: unknown placeholder ${placeholder} (known: ${Object.keys(values).join(', ')})`));
  problems.push(...(await schemaProblems(manifest)));
  const icons = await iconEntries(manifest, options.manifestDir, problems);
  if (problems.length > 0) throw new PackageProblems(problems);

  // A reminder, not an error: the template's example.org links validate but must not reach users.
  const developer = JSON.stringify(manifest.developer ?? {});
  const allWarnings = developer.includes('example.org')
    ? [...warnings, `developer URLs in ${templateFile} are example.org placeholders: replace them before publishing to your organisation`]
    : warnings;

  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await writeZip(options.out, [{ name: 'manifest.json', data: manifestBytes }, ...icons]);
  return { manifest, warnings: allWarnings };
}

function packageVersion(): string {
  const file = path.join(REPO, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}. ${USAGE}\n`);
    return 2;
  }
  options.out = path.resolve(options.out);
  try {
    const config = loadConfig(packageVersion());
    const { manifest, warnings } = await buildPackage(options, config);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`wrote ${options.out} (Teams manifest ${String(manifest.manifestVersion)}, app version ${String(manifest.version)})\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PackageProblems) {
      const heading = error instanceof ConfigError ? 'the settings are invalid' : 'the app package is invalid';
      process.stderr.write(`cannot package Concord: ${heading}:\n${error.problems.map((problem) => `  ${problem}\n`).join('')}`);
      return 1;
    }
    process.stderr.write(`cannot package Concord: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
