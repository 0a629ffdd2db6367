export * from './model.js';
export * from './change.js';
