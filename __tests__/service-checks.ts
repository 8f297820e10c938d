/** Checks the chart tests apply to rendered objects: restricted Pod Security, and Argo Rollouts' analysis semantics. */

type Pod = Record<string, any>;

/** Volume types the restricted Pod Security Standard allows. */
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

/**
 * The restricted Pod Security Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
 * on a pod spec: one message per violation, none when the pod complies.
 */
export function checkRestrictedPod(spec: Pod): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[host]) problems.push(`${host} is set`);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !RESTRICTED_VOLUMES.includes(type)) problems.push(`volume ${v.name} is ${type}`);
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) problems.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) problems.push(`${where}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${where}: runs as uid 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${where}: seccomp ${seccomp}`);
    const caps = sc.capabilities ?? {};
    if (!(caps.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities not dropped`);
    for (const add of caps.add ?? []) if (add !== "NET_BIND_SERVICE") problems.push(`${where}: adds ${add}`);
    for (const p of c.ports ?? []) if (p.hostPort) problems.push(`${where}: hostPort ${p.hostPort}`);
  }
  return problems;
}

/**
 * Evaluates an analysis condition of the form Argo Rollouts' expr accepts and the chart writes,
 * `result[0] <op> <number>`, against a Prometheus result vector. Throws on any other form, so a
 * condition the chart changes to something this can't read fails the test instead of passing it.
 */
export function evaluateCondition(condition: string, result: readonly number[]): boolean {
  const m = /^result\[0\] (>=|<=|<|>) (\d+(?:\.\d+)?)$/.exec(condition);
  if (!m) throw new Error(`unsupported condition "${condition}"`);
  const [value, threshold] = [result[0], Number(m[2])];
  switch (m[1]) {
    case ">=":
      return value >= threshold;
    case "<=":
      return value <= threshold;
    case "<":
      return value < threshold;
    default:
      return value > threshold;
  }
}

/**
 * Argo Rollouts' verdict on one metric after these measurements (docs/features/analysis.md): a
 * measurement is Failed when `failureCondition` holds, Successful when `successCondition` holds, else
 * Inconclusive; the metric fails once failures exceed `failureLimit`, is inconclusive once
 * inconclusive measurements exceed `inconclusiveLimit`, and succeeds after `count` measurements.
 */
export function simulateAnalysis(metric: Pod, measurements: readonly number[]): "Failed" | "Inconclusive" | "Successful" | "Running" {
  let failed = 0;
  let inconclusive = 0;
  for (const [i, value] of measurements.entries()) {
    if (evaluateCondition(metric.failureCondition, [value])) failed++;
    else if (!evaluateCondition(metric.successCondition, [value])) inconclusive++;
    if (failed > Number(metric.failureLimit ?? 0)) return "Failed";
    if (inconclusive > Number(metric.inconclusiveLimit ?? 0)) return "Inconclusive";
    if (i + 1 >= Number(metric.count)) return "Successful";
  }
  return "Running";
}
