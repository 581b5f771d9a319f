import type { RequestContext } from '../shared/context';
import { EXPORT_REQUESTED } from '../modules/report/report-export.service';
import { runExport } from '../modules/report/report-export.run';
import type { OutboxEventRecord } from './outbox';

/**
 * Writes a background export's file. The report is read through a cursor in the job's transaction;
 * a run after a crash starts the file again, and a finished or failed export is left as it is.
 */
export const certificationExportJob = {
  kind: 'certification-export',
  handles: [EXPORT_REQUESTED],
  async run(ctx: RequestContext, event: OutboxEventRecord): Promise<void> {
    await runExport(ctx, event.entityId);
  },
};
