import type { Page } from '@playwright/test';

/** Which browser-mode API methods the page called (POST /api/<method>), from now on. */
export class ApiCalls {
  private readonly methods: string[] = [];

  constructor(page: Page) {
    page.on('request', (request) => {
      const method = /\/api\/([A-Za-z]+)$/.exec(new URL(request.url()).pathname)?.[1];
      if (request.method() === 'POST' && method) this.methods.push(method);
    });
  }

  count(method: string): number {
    return this.methods.filter((called) => called === method).length;
  }
}
