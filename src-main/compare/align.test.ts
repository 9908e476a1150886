import { describe, expect, it } from 'vitest';
import type { AlignedStep, JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { COMPARE_TEXT_CHARS } from '../../src-shared/contract.ts';
import { aiMessage, event, toolResult } from '../../test/support/anatomy-events.ts';
import { alignSteps } from './align.ts';
import { stepsOf } from './steps.ts';

/** A run from its events' types and contents; seqs from 1, a second apart. */
const run = (...events: [string, JsonValue, JsonObject?][]): RunEvent[] => events.map(([type, content, metadata], i) => event(i + 1, type, i, content, metadata));

const human = (text: string): [string, JsonValue] => ['llm.human.input', { type: 'human', content: text }];
const answer = (text: string): [string, JsonValue] => ['llm.ai.response', { type: 'ai', content: text }];
const calling = (...calls: [id: string, name: string, args: JsonObject][]): [string, JsonValue] => [
  'llm.ai.response',
  aiMessage(calls.map(([id, name, args]) => ({ id, name, args, type: 'tool_call' }))),
];
const result = (id: string, text: string): [string, JsonValue] => ['llm.tool.result', { ...toolResult(id), content: text }];

const compare = (a: RunEvent[], b: RunEvent[]) => alignSteps(stepsOf(a), stepsOf(b));
/** Each aligned step as `kind left-label | right-label`. */
const outline = (steps: AlignedStep[]) => steps.map(({ kind, a, b }) => `${kind} ${a?.label ?? '-'} | ${b?.label ?? '-'}`);
/** Each aligned step as its kind and its two texts. */
const texts = (steps: AlignedStep[]) => steps.map(({ kind, a, b }) => [kind, a?.text ?? null, b?.text ?? null]);

const searchRun = (query: string, answerText: string) =>
  run(human('Find the revenue'), calling(['c1', 'web_search', { query }]), result('c1', 'EMEA -12%'), answer(answerText), ['run.end', '']);

describe('stepsOf', () => {
  it('reads human input, AI responses, each tool call with its arguments, tool results, subagent tasks and errors; lifecycle and trace events are not steps', () => {
    const steps = stepsOf(
      run(
        ['run.start', { chain: 'lead_agent' }],
        human('hi'),
        calling(['c1', 'task', { prompt: 'dig' }]),
        ['subagent.start', { task_id: 'c1', description: 'Dig into it', subagent_type: 'researcher' }],
        ['subagent.end', { task_id: 'c1', status: 'completed', result: 'dug' }],
        result('c1', 'dug'),
        ['llm.error', 'rate limited'],
        ['run.end', ''],
      ),
    );
    expect(steps.map(({ key, seq, label, text }) => [key, seq, label, text])).toEqual([
      ['human', 2, 'Human input', 'hi'],
      ['ai', 3, 'AI response', ''],
      ['tool_call:task', 3, 'Tool call task', '{"prompt":"dig"}'],
      ['task:researcher', 4, 'Subagent task researcher', 'Dig into it'],
      ['task_end', 5, 'Subagent task end', 'dug'],
      ['tool_result:task', 6, 'Tool result task', 'dug'],
      ['error', 7, 'Error (llm.error)', 'rate limited'],
    ]);
  });

  it("reads the journal's names before mid-2026: human_message, ai_message (also as JSON text), tool_start with its tool_end, tool_error, run_error", () => {
    const steps = stepsOf(
      run(
        ['run_start', '{"chain":"lead_agent"}'],
        ['human_message', 'Find it'],
        ['tool_start', JSON.stringify({ name: 'web_search', args: { query: 'q' } })],
        ['tool_end', 'found'],
        ['tool_start', JSON.stringify({ name: 'bash', args: { cmd: 'ls' } })],
        ['tool_error', 'bash failed: connection reset by peer'],
        ['ai_message', JSON.stringify({ role: 'assistant', content: 'Done', tool_calls: null })],
        ['run_error', 'Run cancelled by user'],
      ),
    );
    expect(steps.map(({ key, text }) => [key, text])).toEqual([
      ['human', 'Find it'],
      ['tool_call:web_search', '{"query":"q"}'],
      ['tool_result:web_search', 'found'],
      ['tool_call:bash', '{"cmd":"ls"}'],
      ['error', 'bash failed: connection reset by peer'],
      ['ai', 'Done'],
      ['error', 'Run cancelled by user'],
    ]);
  });

  it("reads OpenAI's function.arguments JSON text as the same arguments as LangChain's args, whatever their keys' order", () => {
    const langChain = stepsOf(run(calling(['c1', 'web_search', { query: 'q', limit: 3 }])));
    const openAi = stepsOf(run(['llm.ai.response', { role: 'assistant', content: '', tool_calls: [{ id: 'x', function: { name: 'web_search', arguments: '{"limit":3,"query":"q"}' } }] }]));
    expect(openAi.map(({ key, text }) => [key, text])).toEqual(langChain.map(({ key, text }) => [key, text]));
  });
});

describe('alignSteps', () => {
  it('compares a run with itself as all same, and ignores ids, seqs and timestamps', () => {
    const a = searchRun('revenue 2025', 'Down 12%.');
    expect(compare(a, a).map(({ kind }) => kind)).toEqual(['same', 'same', 'same', 'same', 'same']);
    const later = run(['run.start', {}], human('Find the revenue'), calling(['other-id', 'web_search', { query: 'revenue 2025' }]), result('other-id', 'EMEA -12%'), answer('Down 12%.'));
    const steps = compare(a, later);
    expect(steps.every(({ kind }) => kind === 'same')).toBe(true);
    expect(steps.map(({ a, b }) => [a?.seq, b?.seq])).toEqual([[1, 2], [2, 3], [2, 3], [3, 4], [4, 5]]);
  });

  it('marks a changed argument and a changed answer as changed, paired with their counterparts', () => {
    expect(outline(compare(searchRun('revenue 2025', 'Down 12%.'), searchRun('revenue 2024', 'Down 8%.')))).toEqual([
      'same Human input | Human input',
      'same AI response | AI response',
      'changed Tool call web_search | Tool call web_search',
      'same Tool result web_search | Tool result web_search',
      'changed AI response | AI response',
    ]);
  });

  it("marks steps only one run has: an insertion among steps of one kind anchors on the unchanged ones, a deletion too", () => {
    const base = run(human('Go'), answer('first'), answer('last'));
    const inserted = run(human('Go'), answer('first'), answer('an extra thought'), answer('last'));
    expect(outline(compare(base, inserted))).toEqual([
      'same Human input | Human input',
      'same AI response | AI response',
      'only_b - | AI response',
      'same AI response | AI response',
    ]);
    expect(compare(inserted, base).map(({ kind }) => kind)).toEqual(['same', 'same', 'only_a', 'same']);
    const withTool = searchRun('q', 'Down 12%.');
    const withoutTool = run(human('Find the revenue'), answer('Down 12%.'));
    expect(outline(compare(withTool, withoutTool))).toEqual([
      'same Human input | Human input',
      'only_a AI response | -',
      'only_a Tool call web_search | -',
      'only_a Tool result web_search | -',
      'same AI response | AI response',
    ]);
  });

  it('pairs each changed AI response among several in one stretch with the one whose words it shares, not the one at its place; the others are in one run only', () => {
    const base = run(human('Go'), answer('The revenue fell 12% in EMEA last quarter'), answer('Summary: revenue is down'));
    const retried = run(
      human('Go'),
      answer('Let me check the figures first'),
      answer('The revenue fell 8% in EMEA last quarter'),
      answer('Summary: revenue is down overall'),
    );
    expect(texts(compare(base, retried))).toEqual([
      ['same', 'Go', 'Go'],
      ['only_b', null, 'Let me check the figures first'],
      ['changed', 'The revenue fell 12% in EMEA last quarter', 'The revenue fell 8% in EMEA last quarter'],
      ['changed', 'Summary: revenue is down', 'Summary: revenue is down overall'],
    ]);
    const dropped = run(human('Go'), answer('Checking the EMEA figures now'), answer('An unrelated aside'));
    const moved = run(human('Go'), answer('Something else entirely'), answer('Checking the EMEA figures again'));
    expect(texts(compare(dropped, moved))).toEqual([
      ['same', 'Go', 'Go'],
      ['only_b', null, 'Something else entirely'],
      ['changed', 'Checking the EMEA figures now', 'Checking the EMEA figures again'],
      ['only_a', 'An unrelated aside', null],
    ]);
  });

  it('keeps the key diff\'s pairing by place where no texts share a word', () => {
    expect(texts(compare(run(answer('alpha'), answer('beta')), run(answer('gamma'), answer('delta'), answer('epsilon'))))).toEqual([
      ['changed', 'alpha', 'gamma'],
      ['changed', 'beta', 'delta'],
      ['only_b', null, 'epsilon'],
    ]);
  });

  it('weighs Chinese or Japanese text, written without spaces, character by character', () => {
    const base = run(human('查一下'), answer('收入下降了百分之十二'), answer('总结收入下降'));
    const retried = run(human('查一下'), answer('让我先核对季度数据'), answer('收入下降了百分之八'), answer('总结收入下降了'));
    expect(texts(compare(base, retried))).toEqual([
      ['same', '查一下', '查一下'],
      ['only_b', null, '让我先核对季度数据'],
      ['changed', '收入下降了百分之十二', '收入下降了百分之八'],
      ['changed', '总结收入下降', '总结收入下降了'],
    ]);
  });

  it("pairs a changed tool call with the call of that tool whose arguments it shares most when the other run made fewer of them", () => {
    const twoSearches = run(calling(['c1', 'web_search', { query: 'headcount Q3' }], ['c2', 'web_search', { query: 'revenue EMEA 2025' }]));
    const oneSearch = run(calling(['c1', 'web_search', { query: 'revenue EMEA 2024' }]));
    expect(texts(compare(twoSearches, oneSearch))).toEqual([
      ['same', '', ''],
      ['only_a', '{"query":"headcount Q3"}', null],
      ['changed', '{"query":"revenue EMEA 2025"}', '{"query":"revenue EMEA 2024"}'],
    ]);
  });

  it('weighs a stretch of up to 10,000 candidate pairs by similarity, and leaves a longer one paired by place', () => {
    const answers = (count: number, shift: number, word: string) => run(...Array.from({ length: count }, (_, i) => answer(`answer ${i + shift} ${word}`)));
    const weighed = compare(answers(100, 0, 'alpha'), answers(100, 1, 'beta'));
    expect(weighed.map(({ kind }) => kind)).toEqual(['only_a', ...Array(99).fill('changed'), 'only_b']);
    expect(weighed.slice(1, -1).every(({ a, b }) => a!.seq === b!.seq + 1)).toBe(true);
    const byPlace = compare(answers(101, 0, 'alpha'), answers(101, 1, 'beta'));
    expect(byPlace.every(({ kind, a, b }) => kind === 'changed' && a!.seq === b!.seq)).toBe(true);
  });

  it('aligns parallel tool calls made, and answered, in another order within one AI turn as the same calls', () => {
    const ordered = run(
      calling(['c1', 'web_search', { query: 'a' }], ['c2', 'read_file', { path: '/x' }], ['c3', 'web_search', { query: 'b' }]),
      result('c1', 'A'),
      result('c2', 'X'),
      result('c3', 'B'),
    );
    const reordered = run(
      calling(['k3', 'web_search', { query: 'b' }], ['k1', 'web_search', { query: 'a' }], ['k2', 'read_file', { path: '/x' }]),
      result('k2', 'X'),
      result('k3', 'B'),
      result('k1', 'A'),
    );
    const steps = compare(ordered, reordered);
    expect(steps.map(({ kind }) => kind)).toEqual(['same', 'same', 'same', 'same', 'same', 'same', 'same']);
    expect(steps.map(({ a, b }) => [a?.text, b?.text])).toEqual([
      ['', ''],
      ['{"path":"/x"}', '{"path":"/x"}'],
      ['{"query":"a"}', '{"query":"a"}'],
      ['{"query":"b"}', '{"query":"b"}'],
      ['X', 'X'],
      ['A', 'A'],
      ['B', 'B'],
    ]);
  });

  it('answers an empty run against another as all one-sided, and two empty runs as no steps', () => {
    const empty = run(['run.start', {}], ['run.end', '']);
    expect(compare(empty, empty)).toEqual([]);
    expect(compare(empty, searchRun('q', 'a')).map(({ kind }) => kind)).toEqual(['only_b', 'only_b', 'only_b', 'only_b', 'only_b']);
    expect(compare(searchRun('q', 'a'), empty).map(({ kind }) => kind)).toEqual(['only_a', 'only_a', 'only_a', 'only_a', 'only_a']);
  });

  it('compares whole texts but sends them cut, saying so', () => {
    const long = 'x'.repeat(COMPARE_TEXT_CHARS);
    const [step] = compare(run(answer(`${long}a`)), run(answer(`${long}b`)));
    expect(step).toMatchObject({ kind: 'changed', a: { text: long, truncated: true }, b: { text: long, truncated: true } });
    expect(compare(run(answer(long)), run(answer(long)))[0]).toMatchObject({ kind: 'same', a: { truncated: false } });
  });

  it('aligns two runs too different for the whole-step pass by their keys, still in order and each step once', () => {
    const many = (prefix: string) => run(...Array.from({ length: 1_500 }, (_, i): [string, JsonValue] => (i % 3 === 0 ? human(`${prefix}${i}`) : answer(`${prefix}${i}`))));
    const steps = compare(many('a'), many('b'));
    expect(steps).toHaveLength(1_500);
    expect(steps.every(({ kind, a, b }) => kind === 'changed' && a!.seq === b!.seq)).toBe(true);
  });

  it('aligns two runs too different even in their keys turn by turn: the n-th AI response of each paired, each step once, in order', () => {
    const turns = (tool: string) => run(...Array.from({ length: 600 }, (_, i) => calling([`c${i}`, `${tool}${i}`, { i }])));
    const steps = compare(turns('alpha'), turns('beta'));
    expect(steps).toHaveLength(1_800);
    expect(steps.slice(0, 3).map(({ kind, a, b }) => [kind, a?.label ?? null, b?.label ?? null])).toEqual([
      ['same', 'AI response', 'AI response'],
      ['only_a', 'Tool call alpha0', null],
      ['only_b', null, 'Tool call beta0'],
    ]);
    const responses = steps.filter(({ a }) => a?.label === 'AI response');
    expect(responses).toHaveLength(600);
    expect(responses.every(({ a, b }) => a!.seq === b!.seq)).toBe(true);
    expect(steps.flatMap(({ a }) => (a ? [a.seq] : []))).toEqual([...Array(600).keys()].flatMap((i) => [i + 1, i + 1]));
  });
});
