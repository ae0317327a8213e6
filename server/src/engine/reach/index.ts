// Reachability: which labels (targets.ts), the walk (walk.ts), the probes (probes.ts), reports (report.ts).
export * from './types';
export { reachTargets, targetAt } from './targets';
export { checkReachability } from './walk';
export { isRedisImage } from './probes';
export { formatReport, summaryLine, inlineMessage, latencyText, reachVerdict, lensVerdict, reachNotification } from './report';
export type { ReachNotification } from './report';
