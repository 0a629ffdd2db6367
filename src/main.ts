// Concord from its TypeScript sources (`tsx src/main.ts`: tests, the playground). `npm start`
// runs the same function from the bundle, through build/main.cjs.
import { runConcordProcess } from './run-process.js';

void runConcordProcess();
