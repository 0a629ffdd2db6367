import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { escapeMarkdown } from './markdown.js';

export type CardJson = Record<string, unknown>;

export const CARDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cards');

/**
 * Keys whose values are not shown as Markdown text and so are passed through unescaped:
 * ids and verbs travel back to Concord in card data, URLs feed Action.OpenUrl, and `value`s
 * prefill inputs (an escaped prefill would be saved back with backslashes in it).
 */
const RAW_KEY = /(^id$|Id$|Ids$|^url$|Url$|^verb$|^value$|Value$|^choice)/;

/** Escapes every user-visible string in card data, recursively, leaving RAW_KEY fields alone. */
export function escapeCardData(data: unknown, key = ''): unknown {
  if (typeof data === 'string') return RAW_KEY.test(key) ? data : escapeMarkdown(data);
  if (Array.isArray(data)) return data.map((item) => escapeCardData(item, key));
  if (data !== null && typeof data === 'object') {
    return Object.fromEntries(
      Object.entries(data).map(([childKey, value]) => [childKey, escapeCardData(value, childKey)]),
    );
  }
  return data;
}

/**
 * The card templates in cards/, read once. Templates hold the `${...}` bindings; code supplies
 * typed data. User text only ever arrives as data, and the templating engine does not evaluate
 * expressions found inside data, so `${...}` typed by a user appears literally.
 *
 * The files are read and parsed as JSON at start (a broken file stops the start), but their
 * expressions are compiled on first use or by `prepareAll`: compiling every template costs more
 * than the rest of Concord's start, so the app does it just after it starts listening.
 */
export class CardRenderer {
  private readonly sources = new Map<string, unknown>();
  private readonly templates = new Map<string, ACData.Template>();

  constructor(directory: string = CARDS_DIR) {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
      this.sources.set(path.basename(file, '.json'), JSON.parse(readFileSync(path.join(directory, file), 'utf8')));
    }
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  /**
   * Compiles every template in the background, one per turn of the event loop so requests are
   * served in between, and resolves when all are ready: no person's first card waits for it.
   */
  async prepareAll(): Promise<void> {
    for (const name of this.sources.keys()) {
      await new Promise((resolve) => setImmediate(resolve));
      this.template(name);
    }
  }

  private template(name: string): ACData.Template | undefined {
    let template = this.templates.get(name);
    if (!template && this.sources.has(name)) {
      template = new ACData.Template(this.sources.get(name));
      this.templates.set(name, template);
    }
    return template;
  }

  render(name: string, data: object): CardJson {
    const template = this.template(name);
    if (!template) throw new Error(`No card template named ${name} in cards/`);
    const expanded: unknown = template.expand({ $root: escapeCardData(data) });
    if (expanded === null || typeof expanded !== 'object') throw new Error(`Card ${name} expanded to nothing`);
    return expanded as CardJson;
  }
}
