import type { AlignedStep, RunEvent } from '../src-shared/types.ts';
import { plural } from '../src-renderer/common/format.ts';
import { formatted, runEvents, runIds } from './expectations.ts';
import { expect, test, type ServedStore } from './fixtures.ts';
import { CompareView, RunPicker } from './pages/compare.ts';

/** The AI responses of a run, counted here from its events as the issue words LLM calls. */
const llmCalls = (events: readonly RunEvent[]) => events.filter((e) => e.event_type === 'llm.ai.response' || e.event_type === 'ai_message').length;

const isDifference = ({ kind }: AlignedStep) => kind !== 'same';

/** Two runs of one thread whose comparison has an unchanged stretch to fold and differences to step through, and its steps. */
async function pairWithFoldAndDifferences(served: ServedStore) {
  for (const { thread_id: threadId } of served.plans) {
    const runs = runIds(served.events, threadId);
    for (let i = 1; i < runs.length; i++) {
      const pair = { a: { threadId, runId: runs[0] }, b: { threadId, runId: runs[i] } };
      const { steps } = await served.call('compareRuns', pair);
      const fold = steps.findIndex(
        (step, at) => step.kind === 'same' && steps[at + 1]?.kind === 'same' && steps[at - 1]?.kind !== 'same' && steps.slice(at).some(isDifference),
      );
      if (fold >= 0 && steps.filter(isDifference).length >= 2) return { ...pair, steps, fold };
    }
  }
  throw new Error('no two runs of one thread share an unchanged stretch');
}

test('two runs picked in the Runs tab compare side by side: the figures, the aligned steps, a folded stretch opened, the differences stepped through with n and p', async ({
  inspector,
  served,
  page,
}) => {
  const { a, b, steps, fold } = await pairWithFoldAndDifferences(served);
  const picker = new RunPicker(page);
  const compare = new CompareView(page);
  const { thread } = inspector;

  await inspector.threads.open(a.threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await expect(picker.compareButton()).toBeDisabled();
  await picker.checkbox(a.runId).check();
  await picker.checkbox(b.runId).check();
  await picker.compareButton().click();
  await expect(page).toHaveURL(new RegExp(`tab=compare&a=${a.threadId}%3A${a.runId}&b=${b.threadId}%3A${b.runId}`));
  await compare.waitReady();

  await expect(compare.runHeading('a')).toHaveText(a.runId);
  await expect(compare.runHeading('b')).toHaveText(b.runId);
  await expect(compare.figure('LLM calls', 'a')).toHaveText(formatted(llmCalls(runEvents(served.events, a.threadId, a.runId))));
  await expect(compare.figure('LLM calls', 'b')).toHaveText(formatted(llmCalls(runEvents(served.events, b.threadId, b.runId))));
  const differences = steps.map((step, index) => ({ step, index })).filter(({ step }) => isDifference(step));
  await expect(compare.differenceCount()).toHaveText(plural(differences.length, 'difference'));

  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', String(differences[0].index));
  await page.keyboard.press('n');
  await expect(compare.currentStep()).toHaveAttribute('data-step', String(differences[1].index));
  await expect(compare.currentStep()).toBeInViewport();
  await expect(compare.currentStep()).toHaveAttribute('data-kind', differences[1].step.kind);
  await page.keyboard.press('p');
  await expect(compare.currentStep()).toHaveAttribute('data-step', String(differences[0].index));
  let at = 0;
  /** Steps with n / p from the current difference to difference `target` (its place among them). */
  const goTo = async (target: number) => {
    for (; at < target; at++) await page.keyboard.press('n');
    for (; at > target; at--) await page.keyboard.press('p');
    await expect(compare.currentStep()).toHaveAttribute('data-step', String(differences[target].index));
  };

  // A changed step's words: what only run a has struck out on its side, what only run b has inserted on its.
  const changed = differences.findIndex(({ step }) => step.kind === 'changed' && step.a!.text !== '' && step.b!.text !== '');
  expect(changed).toBeGreaterThanOrEqual(0);
  await goTo(changed);
  const { index, step } = differences[changed];
  await expect(compare.stepSide(index, 'a')).toContainText(step.a!.label);
  expect((await compare.insertions(index).count()) + (await compare.deletions(index).count())).toBeGreaterThan(0);

  // The unchanged stretch before the next difference is one row, drawn beside it, until it is opened.
  let end = fold;
  while (steps[end + 1].kind === 'same') end++;
  await goTo(differences.findIndex((difference) => difference.index > end));
  const stretch = `${formatted(end - fold + 1)} unchanged steps`;
  await expect(compare.step(fold)).toHaveCount(0);
  await compare.folds().filter({ hasText: stretch }).first().click();
  for (const opened of [fold, end]) {
    await expect(compare.step(opened)).toHaveAttribute('data-kind', 'same');
    await expect(compare.stepSide(opened, 'a')).toContainText(`#${steps[opened].a!.seq}`);
    await expect(compare.stepSide(opened, 'b')).toContainText(`#${steps[opened].b!.seq}`);
  }
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
  const { steps } = await served.call('compareRuns', { a, b });
  await expect(compare.differenceCount()).toHaveText(plural(steps.filter(isDifference).length, 'difference'));
});
