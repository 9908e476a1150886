// What a relative path on the command line means: a path in the folder the
// user ran the command from. `npm run cli -- …` and `npm start` run in the
// package folder and name the caller's folder in INIT_CWD.
import { resolve } from 'node:path';
import { projectRoot } from '../handlers/app-info.ts';

/** The caller's folder. INIT_CWD passes on to every process npm starts, wherever it runs, so it counts only where npm puts its scripts. */
export function callerDir(): string {
  const initCwd = process.env.INIT_CWD;
  return initCwd && process.cwd() === projectRoot() ? initCwd : process.cwd();
}

/** `path` as the caller meant it, absolute. */
export function callerPath(path: string): string {
  return resolve(callerDir(), path);
}
