/**
 * The declaration of interest schema lives with the agenda (src/agenda/interest.ts): a declaration
 * is made on an agenda item as well as on a poll, and the agenda model stores it; the decisions
 * core, which may import the agenda's, uses it from there.
 */
export * from '../agenda/interest.js';
