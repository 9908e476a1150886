import { describe, expect, it } from 'vitest';
import type { JsonValue, RunEvent } from './types.ts';
import { firstHumanText, HUMAN_MESSAGE_SIGNS, messageText, TITLE_MAX_LENGTH, toMessageView } from './message-model.ts';

const event = (event_type: string, content: JsonValue, metadata: RunEvent['metadata'] = {}): RunEvent => ({
  thread_id: 't',
  run_id: 'r',
  seq: 1,
  event_type,
  category: 'message',
  content,
  metadata,
  created_at: '2026-04-04T00:00:00+00:00',
});

describe('toMessageView', () => {
  it('reads a LangChain AI dump: text parts, tool calls, usage, model, reasoning, hidden flag', () => {
    const view = toMessageView(
      event(
        'llm.ai.response',
        {
          type: 'ai',
          id: 'msg-1',
          content: [{ type: 'text', text: 'Let me look.' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }],
          tool_calls: [{ id: 'call-1', name: 'web_search', args: { q: 'x' } }],
          usage_metadata: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
          response_metadata: { model_name: 'gpt-x', finish_reason: 'tool_calls' },
          additional_kwargs: { hide_from_ui: true, reasoning_content: 'thinking…' },
        },
        { caller: 'lead_agent', latency_ms: 1234 },
      ),
    );
    expect(view).toMatchObject({
      role: 'ai',
      toolCalls: [{ id: 'call-1', name: 'web_search', args: { q: 'x' } }],
      usage: { input: 10, output: 5, total: 15 },
      model: 'gpt-x',
      finishReason: 'tool_calls',
      reasoning: 'thinking…',
      hidden: true,
      latencyMs: 1234,
      callerKind: 'lead',
      messageId: 'msg-1',
    });
    expect(view.parts).toEqual([
      { kind: 'text', text: 'Let me look.' },
      { kind: 'image', label: 'image/png', bytes: 3 },
    ]);
  });

  it('reads a LangChain tool result with its call id and status', () => {
    const view = toMessageView(event('llm.tool.result', { type: 'tool', content: 'boom', tool_call_id: 'call-1', name: 'web_search', status: 'error' }));
    expect(view).toMatchObject({ role: 'tool', toolCallId: 'call-1', toolName: 'web_search', toolStatus: 'error' });
    expect(messageText(view)).toBe('boom');
  });

  it('reads OpenAI-style messages, parsing function arguments', () => {
    const view = toMessageView(
      event('llm.ai.response', {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'calc', arguments: '{"a":1}' } }],
      }),
    );
    expect(view.role).toBe('ai');
    expect(view.parts).toEqual([]);
    expect(view.toolCalls).toEqual([{ id: 'c', name: 'calc', args: { a: 1 } }]);
    expect(toMessageView(event('x', { role: 'user', content: 'hi' })).role).toBe('human');
  });

  it('unwraps LangChain constructor records', () => {
    const view = toMessageView(
      event('llm.human.input', { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'HumanMessage'], kwargs: { content: 'hello' } }),
    );
    expect(view.role).toBe('human');
    expect(view.rawRole).toBe('HumanMessage');
    expect(messageText(view)).toBe('hello');
  });

  it('takes the role of plain strings from the event type, and keeps a JSON-looking string a string', () => {
    expect(toMessageView(event('llm.human.input', 'hi'))).toMatchObject({ role: 'human', parts: [{ kind: 'text', text: 'hi' }] });
    expect(toMessageView(event('ai_message', '{"a":1}')).parts).toEqual([{ kind: 'text', text: '{"a":1}' }]);
    expect(toMessageView(event('custom.kind', 'x')).role).toBe('custom.kind');
  });

  it('shows objects that are not messages as JSON, never dropping them', () => {
    expect(toMessageView(event('summary', { summary: 'short' })).parts).toEqual([{ kind: 'json', value: { summary: 'short' } }]);
    expect(toMessageView(event('llm.ai.response', 42)).parts).toEqual([{ kind: 'json', value: 42 }]);
    expect(toMessageView(event('llm.ai.response', { type: 'ai', content: [{ type: 'weird', x: 1 }] })).parts).toEqual([
      { kind: 'json', value: { type: 'weird', x: 1 } },
    ]);
  });

  it('classifies callers and reads usage from metadata', () => {
    const view = toMessageView(event('llm.ai.response', 'x', { caller: 'middleware:summarize', usage: { prompt_tokens: 3, completion_tokens: 4 } }));
    expect(view.callerKind).toBe('middleware');
    expect(view.usage).toEqual({ input: 3, output: 4, total: 7 });
    expect(toMessageView(event('llm.ai.response', 'x', { caller: 'subagent:researcher' })).callerKind).toBe('subagent');
  });

  it('reads reasoning parts and image links', () => {
    const view = toMessageView(
      event('llm.ai.response', {
        type: 'ai',
        content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'image_url', image_url: 'https://example.com/a.png' }, 'tail'],
      }),
    );
    expect(view.reasoning).toBe('hmm');
    expect(view.parts).toEqual([
      { kind: 'image', label: 'https://example.com/a.png', bytes: null },
      { kind: 'text', text: 'tail' },
    ]);
  });
});

describe('toMessageView on every vintage', () => {
  it('names the roles of the older journal\'s event types', () => {
    expect(toMessageView(event('human_message', 'hi')).role).toBe('human');
    expect(toMessageView(event('ai_message', 'hello')).role).toBe('ai');
    expect(toMessageView(event('summary', 'earlier: …')).role).toBe('summary');
    expect(toMessageView(event('tool_message', 'out')).role).toBe('tool');
    expect(toMessageView(event('system_message', 'be brief')).role).toBe('system');
  });

  it('reads an OpenAI-style message with tool_calls null, as an object and as the JSON text older journals stored', () => {
    const message = { role: 'assistant', content: 'The answer is 4.', tool_calls: null };
    for (const content of [message, JSON.stringify(message)]) {
      const view = toMessageView(event('ai_message', content));
      expect(view).toMatchObject({ role: 'ai', rawRole: 'assistant', toolCalls: [] });
      expect(view.parts).toEqual([{ kind: 'text', text: 'The answer is 4.' }]);
    }
  });

  it('reads every message shape stored as JSON text: LangChain dumps, constructor records, OpenAI tool results', () => {
    const human = toMessageView(event('human_message', JSON.stringify({ type: 'human', content: [{ type: 'text', text: '你好' }] })));
    expect(human).toMatchObject({ role: 'human', parts: [{ kind: 'text', text: '你好' }] });
    const ai = toMessageView(event('ai_message', JSON.stringify({ type: 'ai', content: 'ok', tool_calls: [{ id: 'c1', name: 'search', args: { q: 1 } }] })));
    expect(ai).toMatchObject({ role: 'ai', toolCalls: [{ id: 'c1', name: 'search', args: { q: 1 } }] });
    const record = { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'SystemMessage'], kwargs: { content: 'rules' } };
    expect(toMessageView(event('llm.human.input', JSON.stringify(record)))).toMatchObject({ role: 'system', parts: [{ kind: 'text', text: 'rules' }] });
    const tool = toMessageView(event('llm.tool.result', ` ${JSON.stringify({ role: 'tool', tool_call_id: 'c1', content: '[1,2]' })}`));
    expect(tool).toMatchObject({ role: 'tool', toolCallId: 'c1', parts: [{ kind: 'text', text: '[1,2]' }] });
  });

  it('leaves JSON text that is no message, and text that only starts like JSON, as text', () => {
    for (const text of ['{"role": "assistant"}', '{"type": "weather", "content": 1}', '{not json', '[{"type": "ai", "content": "x"}]']) {
      expect(toMessageView(event('ai_message', text)).parts).toEqual([{ kind: 'text', text }]);
    }
  });

  it('marks content the recorder truncated, with its size before the cut', () => {
    expect(toMessageView(event('llm.tool.result', 'cut…', { content_truncated: true, original_byte_length: 52_000 })).truncation).toEqual({ originalBytes: 52_000 });
    expect(toMessageView(event('llm.tool.result', 'cut…', { content_truncated: true })).truncation).toEqual({ originalBytes: null });
    expect(toMessageView(event('llm.tool.result', 'whole', { content_truncated: false })).truncation).toBeNull();
  });
});

describe('firstHumanText', () => {
  it('finds the first human message and puts it on one line', () => {
    const events = [event('llm.ai.response', 'hello'), event('llm.human.input', { type: 'human', content: '  What is\n\nthe weather?  ' })];
    expect(firstHumanText(events)).toBe('What is the weather?');
    expect(firstHumanText([event('llm.ai.response', 'x')])).toBeNull();
  });

  it('cuts a long title to TITLE_MAX_LENGTH, never halfway through a surrogate pair', () => {
    const long = 'a'.repeat(TITLE_MAX_LENGTH - 1) + '🚀 and more';
    expect(firstHumanText([event('llm.human.input', long)])).toBe('a'.repeat(TITLE_MAX_LENGTH - 1));
    expect(firstHumanText([event('llm.human.input', 'b'.repeat(TITLE_MAX_LENGTH + 5))])).toBe('b'.repeat(TITLE_MAX_LENGTH));
  });
});

describe('HUMAN_MESSAGE_SIGNS', () => {
  it('names every event type and role name a human message is read from', () => {
    for (const type of HUMAN_MESSAGE_SIGNS.eventTypes) expect(toMessageView(event(type, 'hi')).role).toBe('human');
    for (const name of HUMAN_MESSAGE_SIGNS.roleNames) expect(toMessageView(event('llm.ai.response', { type: name, content: 'hi' })).role).toBe('human');
    expect(toMessageView(event('llm.ai.response', { type: 'ai', content: 'hi' })).role).not.toBe('human');
  });
});
