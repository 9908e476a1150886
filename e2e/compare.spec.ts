import type { EventInput, JsonObject, RunEvent } from '../src-shared/types.ts';
import { plural } from '../src-renderer/common/format.ts';
import { contentObject, countBy, formatted, runEvents, runIds } from './expectations.ts';
import { expect, test } from './fixtures.ts';
import { CompareView, RunPicker } from './pages/compare.ts';

// What a comparison should show, counted here from the events themselves (never from compareRuns):
// each human input, AI response, tool call (an entry of the AI message's tool_calls, or a legacy
// tool_start), tool result, subagent task start and end, and error is one step.
const AI_TYPES = ['llm.ai.response', 'ai_message'];
const ONE_STEP_TYPES = new Set([...AI_TYPES, 'llm.human.input', 'human_message', 'tool_start', 'llm.tool.result', 'tool_end', 'subagent.start', 'subagent.end', 'llm.error', 'run.error', 'run_error', 'tool_error']);
const ERROR_TYPES = new Set(['llm.error', 'run.error', 'run_error', 'tool_error']);

const toolCallNames = (event: RunEvent): string[] => {
  if (!AI_TYPES.includes(event.event_type)) return [];
  const calls = contentObject(event.content)?.tool_calls;
  return Array.isArray(calls) ? calls.map((call) => String((call as JsonObject).name ?? (call as { function?: JsonObject }).function?.name)) : [];
};

const stepCount = (events: readonly RunEvent[]) => events.reduce((n, event) => n + (ONE_STEP_TYPES.has(event.event_type) ? 1 : 0) + toolCallNames(event).length, 0);

/**
 * The steps of a run by what they can be matched on, tool results left out (their tool is their
 * call's): a step of a kind the other run has fewer of cannot have a counterpart, so it is a difference.
 */
function matchableKinds(events: readonly RunEvent[]): Map<string, number> {
  const kinds = events.flatMap((event) => {
    const type = event.event_type;
    if (type === 'llm.human.input' || type === 'human_message') return ['human'];
    if (AI_TYPES.includes(type)) return ['ai', ...toolCallNames(event).map((name) => `call ${name}`)];
    if (type === 'tool_start') return [`call ${contentObject(event.content)?.name}`];
    if (type === 'subagent.start') return [`task ${contentObject(event.content)?.subagent_type ?? 'subagent'}`];
    if (type === 'subagent.end') return ['task end'];
    return ERROR_TYPES.has(type) ? ['error'] : [];
  });
  return countBy(kinds, (kind) => kind);
}

/** At least this many steps of one run have no counterpart in the other, whatever the alignment. */
function unmatchable(a: readonly RunEvent[], b: readonly RunEvent[]): number {
  const kindsA = matchableKinds(a);
  const kindsB = matchableKinds(b);
  let count = 0;
  for (const kind of new Set([...kindsA.keys(), ...kindsB.keys()])) count += Math.abs((kindsA.get(kind) ?? 0) - (kindsB.get(kind) ?? 0));
  return count;
}

const llmCalls = (events: readonly RunEvent[]) => events.filter((e) => AI_TYPES.includes(e.event_type)).length;

test('two runs picked in the Runs tab compare side by side: the figures and each run\'s steps as its events count them, n and p walking the differences', async ({
  inspector,
  served,
  page,
}) => {
  const threadId = served.plans.map(({ thread_id }) => thread_id).find((id) => runIds(served.events, id).length >= 2)!;
  const [first, second] = runIds(served.events, threadId);
  const eventsA = runEvents(served.events, threadId, first);
  const eventsB = runEvents(served.events, threadId, second);
  const picker = new RunPicker(page);
  const compare = new CompareView(page);
  const { thread } = inspector;

  await inspector.threads.open(threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await expect(picker.compareButton()).toBeDisabled();
  await picker.checkbox(first).check();
  await picker.checkbox(second).check();
  await picker.compareButton().click();
  await expect(page).toHaveURL(new RegExp(`tab=compare&a=${threadId}%3A${first}&b=${threadId}%3A${second}`));
  await compare.waitReady();

  await expect(compare.runHeading('a')).toHaveText(first);
  await expect(compare.runHeading('b')).toHaveText(second);
  await expect(compare.figure('LLM calls', 'a')).toHaveText(formatted(llmCalls(eventsA)));
  await expect(compare.figure('LLM calls', 'b')).toHaveText(formatted(llmCalls(eventsB)));
  await expect(compare.stepCount('a')).toHaveText(`Run a · ${plural(stepCount(eventsA), 'step')}`);
  await expect(compare.stepCount('b')).toHaveText(`Run b · ${plural(stepCount(eventsB), 'step')}`);
  const atLeast = unmatchable(eventsA, eventsB);
  expect(atLeast).toBeGreaterThan(1);
  const differences = Number((await compare.differenceCount().textContent())!.replace(/\D/g, ''));
  expect(differences).toBeGreaterThanOrEqual(atLeast);

  await page.keyboard.press('n');
  await expect(compare.currentStep()).not.toHaveAttribute('data-kind', 'same');
  const firstDifference = await compare.currentStep().getAttribute('data-step');
  await page.keyboard.press('n');
  await expect(compare.currentStep()).not.toHaveAttribute('data-step', firstDifference!);
  await expect(compare.currentStep()).not.toHaveAttribute('data-kind', 'same');
  await expect(compare.currentStep()).toBeInViewport();
  expect(Number(await compare.currentStep().getAttribute('data-step'))).toBeGreaterThan(Number(firstDifference));
  await page.keyboard.press('p');
  await expect(compare.currentStep()).toHaveAttribute('data-step', firstDifference!);
});

test('a run compared with itself takes the same steps: no difference, one folded stretch of all its steps, opened in run order', async ({ served, page }) => {
  const threadId = served.plans[0].thread_id;
  const [runId] = runIds(served.events, threadId);
  const events = runEvents(served.events, threadId, runId);
  const steps = stepCount(events);
  const firstStep = events.find((event) => ONE_STEP_TYPES.has(event.event_type))!;
  const compare = new CompareView(page);

  await compare.open(served.url, { a: { threadId, runId }, b: { threadId, runId } });
  await expect(compare.differenceCount()).toHaveText('The runs take the same steps');
  await expect(compare.stepCount('a')).toHaveText(`Run a · ${plural(steps, 'step')}`);
  await expect(compare.stepCount('b')).toHaveText(`Run b · ${plural(steps, 'step')}`);
  await expect(compare.folds()).toHaveText([`${formatted(steps)} unchanged steps`]);
  await compare.folds().click();
  await expect(compare.step(0)).toHaveAttribute('data-kind', 'same');
  await expect(compare.stepSide(0, 'a')).toContainText(`#${firstStep.seq}`);
  await expect(compare.stepSide(0, 'b')).toContainText(`#${firstStep.seq}`);
});

// Two runs written for this test, so what each step must show is known from their events: the
// first four steps alike, then run b's extra thought, the answer both give in other words, and the
// file run a read that run b did not, then the same summary.
const CRAFTED_THREAD = 'compare-crafted';
const human = (runId: string, text: string): EventInput => ({ thread_id: CRAFTED_THREAD, run_id: runId, event_type: 'llm.human.input', category: 'message', content: { type: 'human', content: text } });
const answer = (runId: string, text: string, toolCalls: JsonObject[] = []): EventInput => ({
  thread_id: CRAFTED_THREAD,
  run_id: runId,
  event_type: 'llm.ai.response',
  category: 'message',
  content: { type: 'ai', content: text, tool_calls: toolCalls },
});
const toolResult = (runId: string, callId: string, text: string): EventInput => ({
  thread_id: CRAFTED_THREAD,
  run_id: runId,
  event_type: 'llm.tool.result',
  category: 'message',
  content: { type: 'tool', tool_call_id: callId, content: text },
});
const craftedRun = (runId: string, middle: EventInput[]): EventInput[] => [
  human(runId, 'Find the EMEA revenue'),
  answer(runId, '', [{ id: `${runId}-1`, name: 'web_search', args: { query: 'EMEA revenue 2025' }, type: 'tool_call' }]),
  toolResult(runId, `${runId}-1`, 'EMEA revenue fell 12%'),
  ...middle,
  answer(runId, 'Summary: revenue is down'),
];

test('a comparison marks what only one run did, diffs the answer both gave in other words, and n / p keep their place when a fold before it opens', async ({ served, page }) => {
  const written = await served.write([
    ...craftedRun('first', [
      answer('first', 'Revenue fell 12% in EMEA'),
      answer('first', '', [{ id: 'first-2', name: 'read_file', args: { path: '/notes.md' }, type: 'tool_call' }]),
      toolResult('first', 'first-2', 'notes'),
    ]),
    ...craftedRun('retry', [answer('retry', 'Let me double-check the quarter first'), answer('retry', 'Revenue fell 8% in EMEA')]),
  ]);
  const seqs = (runId: string) => written.filter((event) => event.run_id === runId).map(({ seq }) => seq);
  const compare = new CompareView(page);

  await compare.open(served.url, { a: { threadId: CRAFTED_THREAD, runId: 'first' }, b: { threadId: CRAFTED_THREAD, runId: 'retry' } });
  await expect(compare.stepCount('a')).toHaveText('Run a · 9 steps');
  await expect(compare.stepCount('b')).toHaveText('Run b · 7 steps');
  await expect(compare.differenceCount()).toHaveText('5 differences');
  await expect(compare.folds()).toHaveText(['4 unchanged steps']);

  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '4');
  await expect(compare.currentStep()).toHaveAttribute('data-kind', 'only_b');
  await expect(compare.missingSide(4, 'a')).toBeVisible();
  await expect(compare.stepSide(4, 'b')).toContainText('Let me double-check the quarter first');
  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '5');
  await expect(compare.currentStep()).toHaveAttribute('data-kind', 'changed');
  await expect(compare.deletions(5)).toHaveText(['12']);
  await expect(compare.insertions(5)).toHaveText(['8']);

  // Opening the fold above moves the rows under the current difference, not the walk.
  await compare.folds().click();
  await expect(compare.stepSide(0, 'a')).toContainText(`#${seqs('first')[0]}`);
  await expect(compare.stepSide(3, 'b')).toContainText(`#${seqs('retry')[2]}`);
  await expect(compare.currentStep()).toHaveAttribute('data-step', '5');
  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '6');
  await expect(compare.currentStep()).toHaveAttribute('data-kind', 'only_a');
  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '7');
  await expect(compare.stepSide(7, 'a')).toContainText('Tool call read_file');
  await expect(compare.missingSide(7, 'b')).toBeVisible();
  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '8');
  await expect(compare.stepSide(8, 'a')).toContainText('Tool result read_file');
  await page.keyboard.press('p');
  await page.keyboard.press('p');
  await page.keyboard.press('p');
  await expect(compare.currentStep()).toHaveAttribute('data-step', '5');
  await expect(compare.step(9)).toHaveAttribute('data-kind', 'same');
});

test('a run whose runs row names the run it regenerates offers Compare with original, which opens the two', async ({ inspector, served, page }) => {
  const regenerated = [];
  for (const { thread_id: threadId } of served.plans) {
    for (const run of await served.call('listRuns', { threadId })) if (run.original) regenerated.push({ threadId, run });
  }
  expect(regenerated).toHaveLength(1);
  const [{ threadId, run }] = regenerated;
  const picker = new RunPicker(page);
  const compare = new CompareView(page);

  await inspector.threads.open(threadId);
  await inspector.thread.tab('Runs').click();
  await inspector.thread.waitRunsReady();
  await expect(picker.compareWithOriginalButton(runIds(served.events, threadId).find((id) => id !== run.run_id)!)).toHaveCount(0);
  await picker.compareWithOriginalButton(run.run_id).click();
  await compare.waitReady();
  await expect(compare.runHeading('a')).toHaveText(run.original!.run_id);
  await expect(compare.runHeading('b')).toHaveText(run.run_id);
});

test('"Compare with…" on a run of one thread and then on a run of another compares the two threads\' runs', async ({ inspector, served, page }) => {
  const [first, second] = served.plans.filter(({ thread_id }) => runIds(served.events, thread_id).length > 0);
  const a = { threadId: first.thread_id, runId: runIds(served.events, first.thread_id)[0] };
  const b = { threadId: second.thread_id, runId: runIds(served.events, second.thread_id)[0] };
  const picker = new RunPicker(page);
  const compare = new CompareView(page);
  const { thread } = inspector;

  await inspector.threads.open(a.threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await picker.compareWithButton(a.runId).click();
  await expect(picker.pickedNote()).toContainText(a.runId);
  await inspector.threads.open(b.threadId);
  await thread.waitRunsReady();
  await expect(picker.pickedNote()).toContainText('of another thread');
  await picker.compareWithPickedButton(b.runId).click();
  await expect(page).toHaveURL(new RegExp(`a=${a.threadId}%3A${a.runId}&b=${b.threadId}%3A${b.runId}`));
  await compare.waitReady();
  await expect(compare.runHeading('a')).toHaveText(a.runId);
  await expect(compare.runHeading('b')).toHaveText(b.runId);
  await expect(compare.stepCount('a')).toHaveText(`Run a · ${plural(stepCount(runEvents(served.events, a.threadId, a.runId)), 'step')}`);
  await expect(compare.stepCount('b')).toHaveText(`Run b · ${plural(stepCount(runEvents(served.events, b.threadId, b.runId)), 'step')}`);
});
