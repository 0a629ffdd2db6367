/** What `npm start` tells a person at a terminal once Concord is listening (JSON logs stay for machines). */
export interface StartSummary {
  readonly url: string;
  readonly version: string;
  readonly localMode: boolean;
  /** "embedded, in data/store" or "PostgreSQL". */
  readonly store: string;
  /** Absent when Concord starts with no collaborative file (`none`): teams then run `setup`. */
  readonly collaborative?: { readonly name: string; readonly members: number; readonly file: string };
  readonly knowledgeEntries: number;
}

export function startBanner(summary: StartSummary): string {
  const mode = summary.localMode
    ? 'local mode: no Bot Framework credentials, requests are not authenticated'
    : 'Bot Framework credentials set: requests must carry a valid token';
  return [
    '',
    `Concord ${summary.version} is listening on ${summary.url} (${mode})`,
    `  Store: ${summary.store}`,
    summary.collaborative
      ? `  Collaborative: ${summary.collaborative.name}, ${summary.collaborative.members} members (${summary.collaborative.file})`
      : '  Collaborative: none yet; in a team, type setup',
    `  Knowledge base: ${summary.knowledgeEntries} entries`,
    `  Open ${summary.url}/ for health and the register tab. To chat with it, run \`npm run playground\``,
    '  in another terminal (README: "Chat with it locally"). Ctrl+C stops Concord.',
    '',
  ].join('\n');
}
