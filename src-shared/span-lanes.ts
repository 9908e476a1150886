// The names a run's spans are grouped by (issue 11): the derivation in main
// gives each span a lane and the waterfall groups and labels rows by it, so
// both read these names from here. A lane is the lead agent (`lead_agent`),
// a middleware (`middleware:<name>`), another caller as it names itself, or
// a subagent task (`task:<id>`), where its subagent's own calls go.

export const LEAD_AGENT_LANE = 'lead_agent';

/** The prefix of a middleware's caller and of its events' types (`middleware:loop_detection`). */
export const MIDDLEWARE_PREFIX = 'middleware:';

/** The prefix of a subagent's caller (`subagent:general-purpose`); what follows is its subagent_type. */
export const SUBAGENT_CALLER_PREFIX = 'subagent:';

const TASK_LANE_PREFIX = 'task:';

export const taskLane = (taskId: string): string => `${TASK_LANE_PREFIX}${taskId}`;

export const isTaskLane = (lane: string): boolean => lane.startsWith(TASK_LANE_PREFIX);

/** The task id a task lane names; null for any other lane. */
export const taskIdOfLane = (lane: string): string | null => (isTaskLane(lane) ? lane.slice(TASK_LANE_PREFIX.length) : null);

/** A subagent task's events, each carrying its task id. */
export const SUBAGENT_START_TYPE = 'subagent.start';
export const SUBAGENT_STEP_TYPE = 'subagent.step';
export const SUBAGENT_END_TYPE = 'subagent.end';
