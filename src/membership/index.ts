export * from './model.js';
export * from './change.js';
export * from './scope.js';
