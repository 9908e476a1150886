// Runs as DeerFlow's RunJournal records them. Every builder returns exactly
// the number of events it is asked for, so a store's size can be chosen to
// the event.
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import {
  aiMessage,
  humanMessage,
  openAiAssistantMessage,
  openAiToolMessage,
  toolMessage,
  type ToolCall,
  type Usage,
} from './messages.ts';
import type { ThreadWriter } from './thread-writer.ts';
import {
  ERROR_MESSAGES,
  longMarkdown,
  markdownAnswer,
  prose,
  REASONING_MODELS,
  RUN_ERRORS,
  TOOLS,
  type ToolSpec,
} from './texts.ts';

/** Fewest events a run can have: its start, one message and its end. */
export const MIN_RUN_EVENTS = 3;

/** DeerFlow truncates `trace` content over this many bytes. */
const TRACE_CONTENT_LIMIT = 10_240;

const SUBAGENT_TYPES = ['general-purpose', 'bash'] as const;

const FOLLOW_UPS: Record<'en' | 'zh', string[]> = {
  en: ['Can you go deeper on the second point?', 'Thanks! Now turn this into a one-page summary.', 'Please double-check the numbers with another source.', 'What would change if the budget were halved?', 'Great, save the final version to the outputs folder.'],
  zh: ['能再详细说说第二点吗？', '谢谢！请整理成一页的摘要。', '请用另一个来源核对一下数据。', '如果预算减半会有什么变化？', '很好，把最终版本保存到 outputs 目录 🙏'],
};

function usageFor(w: ThreadWriter, text: string, toolCalls: number): Usage {
  const input = 1800 + 450 * w.llmCallIndex + w.rng.int(0, 900);
  const output = Math.ceil(text.length / 3.5) + 25 * toolCalls + w.rng.int(5, 60);
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}

/** One LLM call: the AI message event with DeerFlow's usage / latency metadata. */
function aiResponse(
  w: ThreadWriter,
  text: JsonValue,
  toolCalls: readonly ToolCall[],
  options: { caller?: string; hideFromUi?: boolean; content?: JsonValue; reasoning?: string } = {},
): RunEvent {
  w.llmCallIndex++;
  const usage = usageFor(w, typeof text === 'string' ? text : JSON.stringify(text), toolCalls.length);
  const reasoning = options.reasoning ?? (REASONING_MODELS.has(w.model) && w.rng.chance(0.5) ? prose(w.rng, w.topic.language, w.rng.int(60, 250)) : undefined);
  const content =
    options.content ??
    aiMessage({ id: w.aiMessageId(), content: text, toolCalls, usage, modelName: w.model, reasoning, hideFromUi: options.hideFromUi });
  const latencyMs = w.rng.int(700, 25_000);
  const metadata = { caller: options.caller ?? 'lead_agent', usage: { ...usage }, latency_ms: latencyMs, llm_call_index: w.llmCallIndex };
  return w.event('llm.ai.response', 'message', content, metadata, latencyMs);
}

function toolCallFor(w: ThreadWriter, spec: ToolSpec): ToolCall {
  return { id: w.toolCallId(), name: spec.name, args: spec.args(w.rng, w.topic) };
}

function toolResult(w: ThreadWriter, call: ToolCall, output: string, status: 'success' | 'error' = 'success', metadata: JsonObject = {}): RunEvent {
  return w.event('llm.tool.result', 'message', toolMessage(w.rng.uuid(), call, output, status), metadata, w.rng.int(80, 8000));
}

/** The first `limit` bytes of a text, cut between characters as DeerFlow cuts, and the metadata that says so. */
function truncated(text: string, limit = TRACE_CONTENT_LIMIT): { text: string; metadata: JsonObject } {
  const encoded = Buffer.from(text, 'utf8');
  let end = limit;
  while ((encoded[end] & 0xc0) === 0x80) end--;
  return { text: encoded.subarray(0, end).toString('utf8'), metadata: { content_truncated: true, original_byte_length: encoded.length } };
}

function runStart(w: ThreadWriter): RunEvent {
  w.beginRun();
  const metadata = {
    caller: 'lead_agent',
    assistant_id: 'lead_agent',
    graph_id: 'lead_agent',
    thread_id: w.threadId,
    run_attempt: 1,
    model_name: w.model,
    thinking_enabled: REASONING_MODELS.has(w.model),
    is_plan_mode: w.rng.chance(0.2),
    subagent_enabled: true,
  };
  return w.event('run.start', 'trace', { chain: 'lead_agent' }, metadata, 0);
}

function humanInput(w: ThreadWriter, content: JsonValue): RunEvent {
  return w.event('llm.human.input', 'message', humanMessage(w.rng.uuid(), content), { caller: 'lead_agent' }, w.rng.int(10, 60));
}

function contextMemory(w: ThreadWriter): RunEvent {
  const sha = createHash('sha256').update(`${w.threadId}:${w.runCount}`).digest('hex');
  return w.event('context:memory', 'context', { content_sha256: sha }, {}, w.rng.int(5, 80));
}

function middleware(w: ThreadWriter, tag: string, name: string, hook: string, action: string, changes: JsonObject): RunEvent {
  return w.event(`middleware:${tag}`, 'middleware', { name, hook, action, changes }, {}, w.rng.int(5, 300));
}

function llmError(w: ThreadWriter, message = w.rng.pick(ERROR_MESSAGES)): RunEvent {
  return w.event('llm.error', 'trace', message, {}, w.rng.int(500, 30_000));
}

function runEnd(w: ThreadWriter, lastAnswer: RunEvent | undefined): RunEvent {
  const outputs = { title: w.title, messages: lastAnswer ? [lastAnswer.content] : [], artifacts: [] };
  return w.event('run.end', 'outputs', outputs, { status: 'success' }, w.rng.int(5, 200));
}

function runError(w: ThreadWriter, error = w.rng.pick(RUN_ERRORS)): RunEvent {
  return w.event('run.error', 'error', error.message, { error_type: error.type }, w.rng.int(5, 200));
}

/** The title middleware's own (hidden) LLM call and the state change it records. */
function titleBlock(w: ThreadWriter): RunEvent[] {
  return [
    aiResponse(w, w.title, [], { caller: 'middleware:title', hideFromUi: true }),
    middleware(w, 'title', 'TitleMiddleware', 'after_model', 'generate_title', { title: w.title }),
  ];
}

/** An AI turn calling up to `room - 1` tools, their results, and maybe the workspace change they caused. */
function toolStep(w: ThreadWriter, room: number): RunEvent[] {
  const specs = w.rng.sample(TOOLS, w.rng.int(1, Math.min(3, room - 1)));
  const calls = specs.map((spec) => toolCallFor(w, spec));
  const text = w.rng.chance(0.4) ? prose(w.rng, w.topic.language, w.rng.int(30, 160)) : '';
  const block = [aiResponse(w, text, calls)];
  specs.forEach((spec, i) => {
    const output = spec.output(w.rng, w.topic);
    block.push(toolResult(w, calls[i], output, output.startsWith('Traceback') ? 'error' : 'success'));
  });
  const written = calls.filter((call) => call.name === 'write_file');
  if (written.length > 0 && block.length < room && w.rng.chance(0.5)) {
    const files = written.map((call) => ({ path: call.args.path, action: 'created', size_bytes: w.rng.int(200, 40_000) }));
    block.push(w.event('workspace_changes', 'workspace', { summary: `${files.length} file(s) changed`, files }, {}, w.rng.int(5, 100)));
  }
  return block;
}

interface SubagentTask {
  call: ToolCall;
  type: string;
  description: string;
}

/** A `task` tool call: the subagent's progress is recorded under the call's id. */
function taskCall(w: ThreadWriter): SubagentTask {
  const type = w.rng.pick(SUBAGENT_TYPES);
  const description = prose(w.rng, w.topic.language, 30).slice(0, 80);
  const call: ToolCall = { id: w.toolCallId(), name: 'task', args: { description, prompt: w.topic.prompt, subagent_type: type } };
  return { call, type, description };
}

function taskStart(w: ThreadWriter, { call, type, description }: SubagentTask): RunEvent {
  return w.event('subagent.start', 'subagent', { task_id: call.id, description, subagent_type: type }, { task_id: call.id }, w.rng.int(20, 400));
}

/** The task's step `index`: one of its messages, or an LLM call of the subagent, which the journal's callbacks also see. */
function taskStep(w: ThreadWriter, { call, type }: SubagentTask, index: number): RunEvent {
  if (w.rng.chance(0.25)) return aiResponse(w, prose(w.rng, w.topic.language, w.rng.int(60, 300)), [], { caller: `subagent:${type}` });
  const taskId = call.id;
  const spec = w.rng.pick(TOOLS);
  const content: JsonObject =
    index % 2 === 1
      ? { task_id: taskId, message_index: index, kind: 'ai', text: prose(w.rng, w.topic.language, w.rng.int(40, 200)), tool_calls: [{ name: spec.name, args: spec.args(w.rng, w.topic) }] }
      : { task_id: taskId, message_index: index, kind: 'tool', tool_name: spec.name, text: spec.output(w.rng, w.topic).slice(0, 600), truncated: false };
  return w.event('subagent.step', 'subagent', content, { task_id: taskId, message_index: index }, w.rng.int(1500, 20_000));
}

/** The task's end and the `task` call's result that carries it (2 events). */
function taskEnd(w: ThreadWriter, { call }: SubagentTask): RunEvent[] {
  const status = w.rng.chance(0.9) ? 'completed' : 'failed';
  const result = status === 'completed' ? prose(w.rng, w.topic.language, w.rng.int(150, 700)) : 'Task failed: tool execution timed out';
  return [
    w.event('subagent.end', 'subagent', { task_id: call.id, status, result }, { task_id: call.id }, w.rng.int(20, 400)),
    toolResult(w, call, result, status === 'completed' ? 'success' : 'error'),
  ];
}

/** The lead agent delegates one task with the `task` tool (at least 5 events, at most `room`). */
function subagentBlock(w: ThreadWriter, room: number): RunEvent[] {
  const task = taskCall(w);
  const steps = w.rng.int(1, Math.min(6, room - 4));
  const block = [aiResponse(w, '', [task.call]), taskStart(w, task)];
  for (let index = 1; index <= steps; index++) block.push(taskStep(w, task, index));
  block.push(...taskEnd(w, task));
  return block;
}

/** Fewest events of parallelSubagentsBlock: the call, two starts, one step each, two ends and two results. */
const PARALLEL_TASKS_MIN_EVENTS = 9;

/** The lead agent delegates two tasks in one message; they run at once, their steps interleaved (at most `room` events). */
function parallelSubagentsBlock(w: ThreadWriter, room: number): RunEvent[] {
  const tasks = [taskCall(w), taskCall(w)];
  const block = [aiResponse(w, '', tasks.map((task) => task.call)), ...tasks.map((task) => taskStart(w, task))];
  const steps = w.rng.int(2, Math.min(12, room - PARALLEL_TASKS_MIN_EVENTS + 2));
  const indexes = [0, 0];
  for (let i = 0; i < steps; i++) {
    // Each task gets a step first; then either may report next.
    const which = i < 2 ? i : w.rng.int(0, 1);
    block.push(taskStep(w, tasks[which], ++indexes[which]));
  }
  for (const task of tasks) block.push(...taskEnd(w, task));
  return block;
}

/** An AI turn calling 2–4 tools at once, whose results come back in the order they finish. */
function parallelToolStep(w: ThreadWriter, room: number): RunEvent[] {
  const specs = w.rng.sample(TOOLS, w.rng.int(2, Math.min(4, room - 1)));
  const calls = specs.map((spec) => toolCallFor(w, spec));
  const block = [aiResponse(w, '', calls)];
  const firstDone = w.rng.int(0, specs.length - 1);
  for (let k = 0; k < specs.length; k++) {
    const i = (firstDone + k) % specs.length;
    const output = specs[i].output(w.rng, w.topic);
    block.push(toolResult(w, calls[i], output, output.startsWith('Traceback') ? 'error' : 'success'));
  }
  return block;
}

/** A one-event block: something that happens between LLM turns. */
function singleEvent(w: ThreadWriter): RunEvent {
  const roll = w.rng.next();
  if (roll < 0.35) return llmError(w);
  if (roll < 0.7) {
    const before = w.rng.int(40, 160);
    return middleware(w, 'summarize', 'SummarizationMiddleware', 'before_model', 'summarize', {
      messages_before: before,
      messages_after: Math.floor(before / 4),
      tokens_before: before * 900,
      tokens_after: before * 200,
    });
  }
  const todos = w.rng.int(2, 5);
  return middleware(w, 'todo', 'TodoListMiddleware', 'after_model', 'write_todos', {
    todos: Array.from({ length: todos }, (_, i) => ({ content: prose(w.rng, w.topic.language, 20).slice(0, 60), status: i === 0 ? 'in_progress' : 'pending' })),
  });
}

/** A current-vintage run of exactly `size` (≥ MIN_RUN_EVENTS) events; `fail` makes it one that fails. */
export function currentRun(w: ThreadWriter, size: number, fail = false): RunEvent[] {
  const out = [runStart(w)];
  const failing = w.rng.chance(0.05) || fail;
  let remaining = size - MIN_RUN_EVENTS;
  if (remaining >= 2 && w.rng.chance(0.6)) {
    out.push(contextMemory(w));
    remaining--;
  }
  const prompt = w.runCount === 1 ? w.topic.prompt : w.rng.pick(FOLLOW_UPS[w.topic.language]);
  out.push(humanInput(w, prompt));
  let titled = w.runCount > 1;
  // One event is kept back for the answer (or the error) that ends the run.
  while (remaining > 1) {
    const room = remaining - 1;
    let block: RunEvent[];
    if (!titled && room >= 2 && out.length > 2) {
      block = titleBlock(w);
      titled = true;
    } else if (room >= 5 && w.rng.chance(0.12)) block = subagentBlock(w, room);
    else if (room >= 2 && w.rng.chance(0.85)) block = toolStep(w, room);
    else block = [singleEvent(w)];
    out.push(...block);
    remaining -= block.length;
  }
  let answer: RunEvent | undefined;
  if (remaining === 1) {
    if (failing) out.push(llmError(w));
    else out.push((answer = aiResponse(w, markdownAnswer(w.rng, w.topic.language, w.rng.int(150, 900)), [])));
  }
  // A run made to fail fails on its own, not by the viewer's cancel.
  out.push(failing ? runError(w, fail ? RUN_ERRORS[0] : undefined) : runEnd(w, answer));
  return out;
}

/**
 * A run as DeerFlow wrote them before mid-2026: lifecycle and trace events
 * with string content only (some of it JSON text), `ai_message` for answers.
 */
export function legacyRun(w: ThreadWriter, size: number): RunEvent[] {
  w.beginRun();
  const out = [w.event('run_start', 'lifecycle', JSON.stringify({ chain: 'lead_agent', model: w.model }), { caller: 'lead_agent' }, 0)];
  const text = (chars: number) => prose(w.rng, w.topic.language, chars);
  let remaining = size - 2;
  if (remaining >= 2) {
    out.push(w.event('human_message', 'message', w.runCount === 1 ? w.topic.prompt : w.rng.pick(FOLLOW_UPS[w.topic.language]), { caller: 'lead_agent' }, 10));
    remaining--;
  }
  while (remaining > 1) {
    const room = remaining - 1;
    let block: RunEvent[];
    if (room >= 3 && w.rng.chance(0.5)) {
      const prompt = JSON.stringify({ messages: [{ role: 'user', content: w.topic.prompt }], model: w.model });
      const reply = text(w.rng.int(60, 400));
      block = [
        w.event('llm_start', 'trace', prompt, { caller: 'lead_agent' }, 20),
        w.event('llm_end', 'trace', JSON.stringify({ content: reply, finish_reason: 'stop' }), { caller: 'lead_agent', latency_ms: w.rng.int(700, 20_000) }, w.rng.int(700, 20_000)),
        w.event('ai_message', 'message', reply, { caller: 'lead_agent' }, 5),
      ];
    } else if (room >= 2 && w.rng.chance(0.75)) {
      const spec = w.rng.pick(TOOLS);
      const failed = w.rng.chance(0.1);
      block = [
        w.event('tool_start', 'trace', JSON.stringify({ name: spec.name, args: spec.args(w.rng, w.topic) }), {}, 30),
        failed
          ? w.event('tool_error', 'trace', `${spec.name} failed: connection reset by peer`, {}, w.rng.int(100, 5000))
          : w.event('tool_end', 'trace', spec.output(w.rng, w.topic), {}, w.rng.int(100, 5000)),
      ];
    } else if (room >= 2) {
      const summary = text(w.rng.int(200, 600));
      block = [
        w.event('summarization', 'trace', `Summarized ${w.rng.int(30, 90)} messages`, {}, w.rng.int(1000, 8000)),
        w.event('summary', 'message', summary, {}, 5),
      ];
    } else block = [w.event('summarization', 'trace', `Summarized ${w.rng.int(30, 90)} messages`, {}, w.rng.int(1000, 8000))];
    out.push(...block);
    remaining -= block.length;
  }
  if (remaining === 1) {
    const answer = markdownAnswer(w.rng, w.topic.language, w.rng.int(200, 900));
    // Every other run's journal kept the provider's OpenAI-style reply, as its JSON text.
    const content = w.runCount % 2 === 1 ? JSON.stringify({ role: 'assistant', content: answer, tool_calls: null }) : answer;
    out.push(w.event('ai_message', 'message', content, { caller: 'lead_agent' }, w.rng.int(700, 20_000)));
  }
  if (w.rng.chance(0.1)) out.push(w.event('run_error', 'lifecycle', 'Run cancelled by user', { error_type: 'CancelledError' }, 10));
  else out.push(w.event('run_end', 'lifecycle', '', { status: 'success' }, 10));
  return out;
}

// A tiny valid PNG (1×1), as a data URL in an image_url content part.
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A run with every rare shape the timeline must render; exactly SHOWCASE_RUN_SIZES[0] events. */
function showcaseRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w), contextMemory(w)];
  // U+2028 is legal in JSON strings; DeerFlow's own reader wrongly splits lines on it.
  const question = '请看这张截图：上季度的销量为什么下降了？📉🤔\u2028（附上了原始数据）';
  out.push(humanInput(w, [{ type: 'text', text: question }, { type: 'image_url', image_url: { url: PIXEL_PNG } }]));
  const search = toolCallFor(w, TOOLS[0]);
  const read = toolCallFor(w, TOOLS[2]);
  out.push(aiResponse(w, '', [search, read], { reasoning: prose(w.rng, w.topic.language, 180) }));
  // The file read is longer than the recorder keeps.
  const file = truncated(prose(w.rng, w.topic.language, 30_000));
  out.push(toolResult(w, search, TOOLS[0].output(w.rng, w.topic)), toolResult(w, read, file.text, 'success', file.metadata));
  out.push(...titleBlock(w));
  // A provider error echoing the whole prompt, cut by DeerFlow's trace limit.
  const fullError = truncated(`Error code: 400 - ${JSON.stringify({ error: { message: 'context_length_exceeded', prompt: prose(w.rng, 'en', 40_000) } })}`);
  out.push(w.event('llm.error', 'trace', fullError.text, fullError.metadata, 4000));
  const bash: ToolCall = { id: w.toolCallId(), name: 'bash', args: { command: 'python analysis.py --quarter Q3' } };
  out.push(aiResponse(w, '', [bash], { content: openAiAssistantMessage('Let me run the analysis script.', [bash]) }));
  out.push(w.event('llm.tool.result', 'message', openAiToolMessage(bash, 'region  revenue\nEMEA    -12.4%\nAPAC     -8.1%\nNA       -3.0%'), {}, 2500));
  out.push(...subagentBlock(w, 5));
  out.push(aiResponse(w, '', [], { content: '好的，我已经完成了初步分析 ✅ 下面是完整报告。' }));
  const files = [{ path: '/mnt/user-data/outputs/report.md', action: 'created', size_bytes: 102_400 }];
  out.push(w.event('workspace_changes', 'workspace', { summary: '1 file(s) changed', files }, {}, 40));
  const answer = aiResponse(w, longMarkdown(w.rng, 100_000), []);
  out.push(answer, runEnd(w, undefined));
  return out;
}

/**
 * A run that recorded trace events only and never ended: the next run
 * interrupted it before its first message (exactly 4 events).
 */
function interruptedRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w), contextMemory(w)];
  out.push(middleware(w, 'summarize', 'SummarizationMiddleware', 'before_model', 'summarize', { messages_before: 42, messages_after: 10, tokens_before: 37_800, tokens_after: 8_400 }));
  out.push(llmError(w, ERROR_MESSAGES[1]));
  return out;
}

/** A run that fails: a plain-string question, a short answer, a provider error, run.error. */
function failingRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w)];
  out.push(w.event('llm.human.input', 'message', '再帮我查一下竞品的价格 💰 thanks!', { caller: 'lead_agent' }, 30));
  out.push(aiResponse(w, 'Looking up competitor pricing now…', []));
  out.push(llmError(w, ERROR_MESSAGES[0]));
  out.push(w.event('run.error', 'error', ERROR_MESSAGES[0], { error_type: 'RateLimitError' }, 50));
  return out;
}

/**
 * A run that has asked for a tool and recorded nothing since (no result, no
 * run.end): as an agent leaves its journal while the tool runs, or for good
 * when its process is killed. Exactly 3 events, the last the call.
 */
export function unansweredCallRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w), humanInput(w, w.topic.prompt)];
  out.push(aiResponse(w, '', [toolCallFor(w, TOOLS[0])]));
  return out;
}

export const SHOWCASE_RUN_SIZES = [20, 4, 5] as const;
export const SHOWCASE_RUNS: readonly ((w: ThreadWriter) => RunEvent[])[] = [showcaseRun, interruptedRun, failingRun];

/** The same call the loop-detection middleware sees before it stops the run. */
const LOOP_REPEATS = 4;

/**
 * A run DeerFlow's loop detection stops: the model asks for the same search
 * again and again; after the last ask the middleware's hard stop strips the
 * call (it never runs, so it has no result) and the run ends.
 */
export function loopStoppedRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w), humanInput(w, w.topic.prompt)];
  const [search] = TOOLS;
  const args = search.args(w.rng, w.topic);
  for (let i = 1; i <= LOOP_REPEATS; i++) {
    const call: ToolCall = { id: w.toolCallId(), name: search.name, args };
    out.push(aiResponse(w, '', [call]));
    if (i < LOOP_REPEATS) out.push(toolResult(w, call, search.output(w.rng, w.topic)));
  }
  const changes = { tool: search.name, repeated_calls: LOOP_REPEATS, tool_calls_removed: 1 };
  out.push(middleware(w, 'loop_detection', 'LoopDetectionMiddleware', 'after_model', 'hard_stop', changes));
  out.push(runEnd(w, undefined));
  return out;
}

/** A run whose shell call a guardrail denies: the call fails with the guardrail's words and the agent gives up. */
export function guardrailDeniedRun(w: ThreadWriter): RunEvent[] {
  const out = [runStart(w), humanInput(w, 'Clean up the sandbox: delete everything under /mnt, then start over.')];
  const call: ToolCall = { id: w.toolCallId(), name: 'bash', args: { command: 'rm -rf /mnt/*' } };
  out.push(aiResponse(w, '', [call]));
  const changes = { tool: 'bash', rule: 'no_recursive_delete', message: 'rm -rf outside the workspace is not allowed' };
  out.push(middleware(w, 'guardrail', 'GuardrailMiddleware', 'before_tool', 'deny', changes));
  out.push(toolResult(w, call, 'Error: denied by guardrail no_recursive_delete: rm -rf outside the workspace is not allowed', 'error'));
  const answer = aiResponse(w, 'I am not allowed to delete files outside the workspace, so I stopped here.', []);
  out.push(answer, runEnd(w, answer));
  return out;
}

/** Fewest events of longAutonomousRun: its start, the question, the answer and its end. */
export const LONG_RUN_MIN_EVENTS = 4;

/**
 * A long autonomous run of exactly `size` events, for the waterfall's bench:
 * parallel tool calls, two subagent tasks at a time, middleware between turns.
 */
export function longAutonomousRun(w: ThreadWriter, size: number): RunEvent[] {
  if (!Number.isSafeInteger(size) || size < LONG_RUN_MIN_EVENTS) throw new RangeError(`a long run has ${LONG_RUN_MIN_EVENTS} events at least, not ${size}`);
  const out = [runStart(w), humanInput(w, w.topic.prompt)];
  // Two are kept back for the answer and the end.
  let room = size - LONG_RUN_MIN_EVENTS;
  if (room >= 2) {
    out.push(...titleBlock(w));
    room -= 2;
  }
  while (room > 0) {
    let block: RunEvent[];
    if (room >= PARALLEL_TASKS_MIN_EVENTS && w.rng.chance(0.15)) block = parallelSubagentsBlock(w, room);
    else if (room >= 3 && w.rng.chance(0.6)) block = parallelToolStep(w, room);
    else if (room >= 2 && w.rng.chance(0.5)) block = toolStep(w, room);
    else block = [singleEvent(w)];
    out.push(...block);
    room -= block.length;
  }
  const answer = aiResponse(w, markdownAnswer(w.rng, w.topic.language, w.rng.int(300, 1200)), []);
  out.push(answer, runEnd(w, answer));
  return out;
}
