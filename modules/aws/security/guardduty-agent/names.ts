/** The GuardDuty agent's names, apart from the construct so that light modules (the platform's namespace lists) can import them. */

/** The EKS add-on of the GuardDuty security agent (Runtime Monitoring). */
export const GUARDDUTY_AGENT_ADDON = "aws-guardduty-agent";
/**
 * The namespace the add-on installs the agent into. Its DaemonSet needs host access (host PID, eBPF
 * probes), so the platform's pod-security policies exempt exactly this namespace
 * (modules/kubernetes/addons/kyverno `POLICY_EXCLUDED_NAMESPACES`).
 */
export const GUARDDUTY_AGENT_NAMESPACE = "amazon-guardduty";
/** The PrivateLink service the agent sends runtime events to: `com.amazonaws.<region>.guardduty-data`. */
export const GUARDDUTY_DATA_SERVICE = "guardduty-data";
