import { describe, expect, it } from 'vitest';
import { buildKnowledgeReport, formatKnowledgeReport } from '../../src/knowledge/eval/report.js';
import type { QuestionLog } from '../../src/knowledge/question-log.js';

const logged = (id: string, question: string, answered: boolean, at = '2026-11-20T10:00:00.000Z'): QuestionLog => ({ id, question, answered, confidence: 0, at });

describe('kb:report', () => {
  const questions = [
    logged('1', 'what is the car parking policy at Barnsley?', false),
    logged('2', 'What is the car parking policy at Barnsley', false, '2026-11-21T10:00:00.000Z'),
    logged('3', 'what are the symptoms of sepsis', false),
    logged('4', 'how do I reset my password', false),
    logged('5', "what's the capital of France?", false),
    logged('6', 'what is a lead provider model', true),
  ];
  const report = buildKnowledgeReport(questions, []);

  it('lists gaps apart from questions refused on purpose', () => {
    expect(report.unanswered).toEqual([{ question: 'what is the car parking policy at Barnsley?', times: 2, lastAskedAt: '2026-11-21T10:00:00.000Z' }]);
  });

  it.each([
    ['what are the symptoms of sepsis', 'clinical'],
    ['how do I reset my password', 'hr-it'],
    ["what's the capital of France?", 'general'],
  ])('refused %j counts as %s, not as a gap', (question, scope) => {
    expect(report.refused).toContainEqual(expect.objectContaining({ question, scope, times: 1 }));
  });

  it('says so in the printed report', () => {
    const text = formatKnowledgeReport(report);
    expect(text).toContain('answered: 1; gaps: 2; refused on purpose: 3');
    expect(text).toMatch(/gaps to fill[^]*2× what is the car parking policy[^]*Refused on purpose[^]*\[clinical\] what are the symptoms of sepsis/);
  });
});
