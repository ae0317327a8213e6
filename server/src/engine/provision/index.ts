// Provisioning of SLB listeners for lb labels (issue 4, "Provision listener"). See README.md.
export * from './types';
export { planListeners, provisionTargets, evaluateBinding, listenerSpecFor, listenerDescription, listCertificates, readListeners, isUnbound, lineId } from './plan';
export type { ProvisionClient, ProvisionTarget, UnboundLabel, TargetSelection, PlanOptions, Evaluation } from './plan';
export { applyPlan, withSlbLock, slbLockKey, isLocked, createRequest } from './apply';
export type { ApplyOptions } from './apply';
export { defaultLockDir, lockFileOf, SlbLockBusyError } from './slbLock';
export type { FileLockOptions } from './slbLock';
export { formatPlanText, formatResultText, formatEvent, confirmationText, planSummaryText, resultSummaryText, planHasChanges, lineTitle,
  shortTitle, actionWord, outcomeWord, planLineText, planTexts, modalSummary, provisionOutcome } from './format';
export type { PlanTexts, ProvisionOutcome } from './format';
