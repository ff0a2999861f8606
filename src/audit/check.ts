/**
 * Verifying the chain on someone's request (the console's "Verify chain"): the check of
 * chain.ts, and an event saying who checked and what they found — a broken chain is
 * itself something the log must keep, with the moment it was first seen.
 */
import type { Caller, Core } from '../context.js';
import { verifyAuditChain, type ChainReport } from './chain.js';
import { recordAudit } from './record.js';

export async function checkAuditChain(core: Core, caller: Caller): Promise<ChainReport> {
  const report = await verifyAuditChain(core);
  await recordAudit(core, caller, {
    action: 'audit.verify',
    outcome: report.intact ? 'success' : 'failure',
    ...(report.problem ? { reason: report.problem.reason } : {}),
    detail: { checked: report.checked, brokenAt: report.problem?.seq ?? null },
  });
  return report;
}
