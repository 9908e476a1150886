import { describe, expect, it, vi } from 'vitest';
import { startedFetch } from './started-fetch.ts';

describe('startedFetch', () => {
  it('answers the first call with the request already made, and asks anew after', async () => {
    const fetch = vi.fn(async () => 'asked again');
    const load = startedFetch(Promise.resolve('made early'), fetch);
    expect(await load()).toBe('made early');
    expect(fetch).not.toHaveBeenCalled();
    expect(await load()).toBe('asked again');
    expect(await load()).toBe('asked again');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('hands on an early request that failed, once: a retry asks anew', async () => {
    const load = startedFetch(Promise.reject(new Error('the server is gone')), async () => 'back');
    await expect(load()).rejects.toThrow('the server is gone');
    expect(await load()).toBe('back');
  });

  it('asks every time when nothing was asked early', async () => {
    const fetch = vi.fn(async () => 'asked');
    const load = startedFetch(undefined, fetch);
    await load();
    await load();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
