// Boots the recorder worker from TypeScript sources under tsx (tests, CLI, web).
import { register } from 'tsx/esm/api';

register();
await import('./recorderWorker.ts');
