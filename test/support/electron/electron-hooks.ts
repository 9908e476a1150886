// `node --import ./electron-hooks.ts …`: resolves 'electron' to fake-electron.ts.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: ${JSON.stringify(new URL('./fake-electron.ts', import.meta.url).href)}, shortCircuit: true };
    return next(specifier, context);
  }
`));
