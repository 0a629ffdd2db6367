/** The knowledge module's public surface: load the KB once, build an answerer, ask it. */
export { buildAnswerer, createAnswerer, type Answer, type AnswerReason, type AnswerSource, type Answerer } from './answer.js';
export { DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError, loadKnowledgeBase, type KnowledgeBase } from './load.js';
export { SOURCE_DOCUMENTS, DOCUMENT_IDS, type DocumentId } from './documents.js';
export { KnowledgeEntry, SourceRef } from './schema.js';
export type { OutOfScope } from './scope.js';
