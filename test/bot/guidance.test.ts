import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { buildKnowledgeReport } from '../../src/knowledge/eval/report.js';
import { cardAction, message, post } from '../support/activities.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { tempDir } from '../support/temp-dir.js';

async function ask(concord: TestConcord, question: string) {
  const before = concord.connector.sent().length;
  await post(concord.url, message(concord.connector.url, question, { mention: true }));
  await concord.connector.waitFor(() => concord.connector.sent().length === before + 1);
  return cardOf(concord.connector.sent()[before]);
}

describe('guidance questions in Teams', () => {
  it('answers with the source document and section, and offers Helpful? Yes / No', async () => {
    const running = await useTestConcord();
    const card = await ask(running, 'what is a lead provider model?');
    const text = textOf(card);
    expect(text).toMatch(/lead provider/i);
    expect(text).toContain('Source');
    expect(text).toContain('NHS England guidance on provider collaboratives (Aug 2021)');
    expect(JSON.stringify(card)).toContain('answer.feedback');
  });

  it('says honestly when it does not know, with suggestions and no source', async () => {
    const running = await useTestConcord();
    const text = textOf(await ask(running, "what's the capital of France?"));
    expect(text).not.toContain('Source');
    expect(text).toMatch(/outside what I know/i);
    const clinical = textOf(await ask(running, 'what dose of paracetamol can I give a child?'));
    expect(clinical).toMatch(/clinical advice/i);
    expect(clinical).not.toContain('Source');
  });

  it('records feedback and thanks the person; kb:report lists what could not be answered', async () => {
    const dataDir = tempDir('kb');
    const running = await useTestConcord({ CONCORD_DATA_DIR: dataDir }, { store: await openFileStore({ dataDir }) });
    const answered = await ask(running, 'can one trust block a decision?');
    const questionId = JSON.stringify(answered).match(/"questionId":"([^"]+)"/)?.[1];
    const feedback = await post(running.url, cardAction(running.connector.url, 'answer.feedback', { questionId, helpfulValue: 'no' }));
    expect(textOf((feedback.body as { value: unknown }).value)).toContain('Thanks, your feedback was recorded');
    await ask(running, 'what is the car parking policy at Barnsley?');
    await ask(running, 'What is the car parking policy at Barnsley');

    const report = buildKnowledgeReport(await running.store.listQuestions(), await running.store.listFeedback());
    expect(report.unanswered).toEqual([expect.objectContaining({ question: 'what is the car parking policy at Barnsley?', times: 2 })]);
    expect(report.unhelpful).toHaveLength(1);

    // The CLI reads a copy of the store, so it works while Concord holds the lock.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/kb-report.ts', '--data-dir', dataDir], { encoding: 'utf8', timeout: 30_000 });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('2× what is the car parking policy at Barnsley?');
    expect(cli.stdout).toMatch(/Marked unhelpful[\s\S]*can one trust block a decision/);
  });
});
