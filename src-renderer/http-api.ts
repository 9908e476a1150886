// Browser mode's client of the contract (contract.ts `browserProtocol`):
// `POST /api/<method>` with the params as the JSON body, pushes from the
// server-sent events at /api/events. The page's token cookie rides along.
import { CodedError } from '../src-shared/errors.ts';
import { browserPageApi, browserProtocol, pushChannels } from '../src-shared/contract.ts';
import type { BrowserPageApi, MethodName, ParamsOf, PushChannel, PushListener, PushMessages, ResultOf, WireError } from '../src-shared/contract.ts';

/** What browser mode's server reported (its StoreError's code), or NETWORK / HTTP_<status> when it gave no answer. */
export class ApiError extends CodedError {
  override readonly name = 'ApiError';
}

function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && typeof (value as WireError).message === 'string';
}

async function post<M extends MethodName>(fetchImpl: typeof fetch, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  let response: Response;
  try {
    response = await fetchImpl(`${browserProtocol.apiPrefix}${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params ?? {}),
    });
  } catch {
    throw new ApiError('NETWORK', 'The inspector server cannot be reached. Is “run-inspector serve” still running?');
  }
  type Body = { result?: ResultOf<M>; error?: unknown } | null;
  let body: Body = null;
  try {
    body = (await response.json()) as Body;
  } catch {
    // handled below: a body that is not JSON is reported by status
  }
  if (body && isWireError(body.error)) throw new ApiError(body.error.code ?? `HTTP_${response.status}`, body.error.message);
  if (!response.ok || !body || !('result' in body)) {
    const hint = response.status === 401 ? ' Open the URL that `serve` printed (it carries the access token).' : '';
    throw new ApiError(`HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}.${hint}`);
  }
  return body.result as ResultOf<M>;
}

type AnyListener = (message: PushMessages[PushChannel]) => void;

/** One EventSource shared by every subscriber, opened on first use. */
function createPushStream(EventSourceImpl: typeof EventSource) {
  const listeners = new Map<PushChannel, Set<AnyListener>>();
  let source: EventSource | null = null;
  let dropped = false;

  const deliver = (channel: PushChannel, message: PushMessages[PushChannel]) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  };

  const open = () => {
    source = new EventSourceImpl(browserProtocol.eventsPath, { withCredentials: true });
    for (const channel of pushChannels) {
      source.addEventListener(channel, (event) => {
        let message: PushMessages[PushChannel];
        try {
          message = JSON.parse((event as MessageEvent<string>).data) as PushMessages[PushChannel];
        } catch {
          return; // a garbled frame carries nothing we could act on
        }
        deliver(channel, message);
      });
    }
    source.addEventListener('error', () => {
      dropped = true;
    });
    // Pushes sent while the stream was down are lost: after a reconnect, everything may have changed.
    source.addEventListener('open', () => {
      if (dropped) deliver('store:changed', { threadIds: null });
      dropped = false;
    });
  };

  return <C extends PushChannel>(channel: C, listener: PushListener<C>): (() => void) => {
    if (!source) open();
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    const entry = listener as AnyListener;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  };
}

/** The globals are parameters so tests can stand in for the network. */
export function createHttpApi(fetchImpl: typeof fetch = fetch.bind(globalThis), EventSourceImpl: typeof EventSource = EventSource): BrowserPageApi {
  const methods = Object.fromEntries(browserPageApi.map((name) => [name, (params: never) => post(fetchImpl, name, params)]));
  return { ...(methods as unknown as Omit<BrowserPageApi, 'onPush'>), onPush: createPushStream(EventSourceImpl) };
}
