// The job table: which module does each kind of job, in a worker or
// in-process. Kept apart from job-spec.ts, which the jobs themselves import.
import type { JobContext, JobSpec, JobSummary } from './job-spec.ts';

/** Heavy modules load only for the job at hand: a worker importing JSONL never loads the exporter. */
export async function runJob(spec: JobSpec, context: JobContext): Promise<JobSummary> {
  if (spec.kind === 'import') {
    const { importJsonl } = await import('./import-jsonl.ts');
    return importJsonl(spec, context);
  }
  if (spec.kind === 'repair') {
    const { repairJsonl } = await import('./repair-jsonl.ts');
    return repairJsonl(spec, context);
  }
  const { exportJsonl } = await import('./export-jsonl.ts');
  return exportJsonl(spec, context);
}
