// Workload identity federation: a workload's platform token (Kubernetes, cloud, CI) presented
// as an RFC 7523 JWT bearer assertion, read again for every token request.

export type { WorkloadIdentityInteraction } from './interaction/types.ts';
export {
  type WorkloadIdentityOptions,
  workloadIdentity,
} from './interaction/workload-identity.ts';
