import { describe, expect, it } from 'vitest';
import { errorMessage } from './common/error-message.ts';
import { browserPageApi } from '../src-shared/contract.ts';
import { createHttpApi } from './http-api.ts';

type Answer = { status: number; body: string };

function fakeFetch(answer: Answer | Error) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (answer instanceof Error) throw answer;
    return new Response(answer.body, { status: answer.status, statusText: 'X' });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

class NoEventSource {}
const api = (answer: Answer | Error) => {
  const fake = fakeFetch(answer);
  return { ...fake, client: createHttpApi(fake.fetchImpl, NoEventSource as unknown as typeof EventSource) };
};

describe('browser-mode client', () => {
  it('posts the params as JSON to /api/<method> with the cookie and returns the result', async () => {
    const { client, calls } = api({ status: 200, body: JSON.stringify({ result: 7 }) });
    await expect(client.countMessages({ threadId: 't1' })).resolves.toBe(7);
    expect(calls[0].url).toBe('/api/countMessages');
    expect(calls[0].init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"threadId":"t1"}' });
  });

  it("throws the server's message and code", async () => {
    const { client } = api({ status: 400, body: JSON.stringify({ error: { code: 'BAD_ARGUMENT', message: 'threadId: must not be empty' } }) });
    await expect(client.countMessages({ threadId: '' })).rejects.toMatchObject({ name: 'ApiError', code: 'BAD_ARGUMENT', message: 'threadId: must not be empty' });
  });

  it('explains a refused token and an unreadable answer by status', async () => {
    await expect(api({ status: 401, body: 'nope' }).client.listThreads({})).rejects.toThrow(/Open the URL that `serve` printed/);
    await expect(api({ status: 502, body: '<html>' }).client.listThreads({})).rejects.toMatchObject({ code: 'HTTP_502' });
  });

  it("offers browser mode's page methods only (browserPageApi): it cannot write events or ask for native dialogs", () => {
    const { client } = api({ status: 200, body: '{}' });
    expect(Object.keys(client).sort()).toEqual([...browserPageApi, 'onPush'].sort());
    expect(Object.keys(client)).not.toContain('put');
    expect(Object.keys(client)).not.toContain('pickAndOpen');
  });

  it('says the server is gone when the request cannot be sent', async () => {
    await expect(api(new TypeError('Failed to fetch')).client.listThreads({})).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('errorMessage', () => {
  it('shows the message alone', () => {
    expect(errorMessage(new Error('database is locked'))).toBe('database is locked');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(undefined)).toBe('Something went wrong.');
  });
});
