import { ITerraformDependable } from "cdktf";
import { assertIntegerInRange } from "../../../aws/data/datastore-common";
import { Construct } from "constructs";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { KubernetesManifest, TypedKubernetesObject } from "../../manifest";
import { assertCron } from "../../addons/velero";
import { escapeTemplateSequences } from "../../../shared/hcl";

/** The CronJob, its ServiceAccount and RBAC objects: `velero-restore-drill`. */
export const RESTORE_DRILL_NAME = "velero-restore-drill";
/**
 * The drill's image: a shell and kubectl (alpine/k8s, versioned with Kubernetes). Override with the
 * platform's own mirror or a digest once pulled.
 */
export const RESTORE_DRILL_IMAGE = "docker.io/alpine/k8s:1.33.4";

/**
 * What the drill does not restore: anything that would run (pods and their controllers), reach
 * outside the scratch namespace (Services, Ingresses, target group bindings create load balancers)
 * or double the monitoring (ServiceMonitors, PodMonitors, PrometheusRules across namespaces). Config,
 * Secrets, ServiceAccounts, RBAC, NetworkPolicies and the volumes (PVCs, PVs from their snapshots)
 * are restored and checked: they are what a restore must bring back.
 */
export const DRILL_EXCLUDED_RESOURCES = [
  "pods", "replicasets.apps", "deployments.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
  "horizontalpodautoscalers.autoscaling", "services", "ingresses.networking.k8s.io", "targetgroupbindings.elbv2.k8s.aws",
  "servicemonitors.monitoring.coreos.com", "podmonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com",
  "externalsecrets.external-secrets.io",
] as const;

/** An environment's `restoreDrill` settings. */
export interface RestoreDrillSettings {
  /** Run the drill. @default true */
  readonly enabled?: boolean;
  /** The namespace whose latest backup is restored. @default "monitoring" (Prometheus' and Grafana's volumes); point it at a service's */
  readonly namespace?: string;
  /** When (cron, the cluster's time zone: UTC). @default "30 3 * * 0", Sundays 03:30 */
  readonly schedule?: string;
  /** Minutes the drill waits for Velero's restore. @default 45 */
  readonly timeoutMinutes?: number;
}

export interface RestoreDrillProps extends RestoreDrillSettings {
  /** Where the settings live, for messages (`<env>.restoreDrill`). */
  readonly where: string;
  /** Velero's namespace: the Restore is created there, and the drill runs there. */
  readonly veleroNamespace: string;
  /** The Velero Schedule whose latest completed backup is restored. */
  readonly scheduleName: string;
  /** The image. @default RESTORE_DRILL_IMAGE */
  readonly image?: string;
  /** Velero's release (its CRDs). */
  readonly dependsOn?: ITerraformDependable[];
}

/** The scratch namespace a namespace is restored into. */
export const scratchNamespace = (namespace: string): string => `restore-drill-${namespace}`.slice(0, 63);

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The drill's shell script: restore the latest backup of `$SOURCE_NAMESPACE` (of the schedule) into
 * `$SCRATCH_NAMESPACE`, wait for Velero, require a Completed restore with no errors and at least one
 * item, check the namespace exists, then delete the Restore and the namespace (also when it fails).
 * Exit status 1 fails the Job, which alerts (`VeleroRestoreDrillFailed`).
 */
export const DRILL_SCRIPT = `set -eu
name="drill-$(date -u +%Y%m%d%H%M%S)"
cleanup() {
  kubectl -n "$VELERO_NAMESPACE" delete restores.velero.io "$name" --ignore-not-found --wait=false || true
  kubectl delete namespace "$SCRATCH_NAMESPACE" --ignore-not-found --timeout=15m || true
}
trap cleanup EXIT
if kubectl get namespace "$SCRATCH_NAMESPACE" >/dev/null 2>&1; then
  echo "drill: $SCRATCH_NAMESPACE exists (a previous drill left it); deleting it first"
  kubectl delete namespace "$SCRATCH_NAMESPACE" --timeout=15m
fi
printf '{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"%s","namespace":"%s"},"spec":%s}' "$name" "$VELERO_NAMESPACE" "$RESTORE_SPEC" | kubectl create -f -
deadline=$(( $(date +%s) + TIMEOUT_MINUTES * 60 ))
while :; do
  phase=$(kubectl -n "$VELERO_NAMESPACE" get restores.velero.io "$name" -o jsonpath='{.status.phase}')
  case "$phase" in
    Completed) break ;;
    Failed|PartiallyFailed|FailedValidation) echo "drill: restore $name ended $phase"; kubectl -n "$VELERO_NAMESPACE" get restores.velero.io "$name" -o jsonpath='{.status}'; exit 1 ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "drill: restore $name still $phase after $TIMEOUT_MINUTES minutes"; exit 1; fi
  sleep 15
done
errors=$(kubectl -n "$VELERO_NAMESPACE" get restores.velero.io "$name" -o jsonpath='{.status.errors}')
restored=$(kubectl -n "$VELERO_NAMESPACE" get restores.velero.io "$name" -o jsonpath='{.status.progress.itemsRestored}')
if [ "\${errors:-0}" != "0" ]; then echo "drill: restore $name completed with $errors error(s)"; exit 1; fi
if [ "\${restored:-0}" -lt 1 ]; then echo "drill: restore $name restored nothing"; exit 1; fi
kubectl get namespace "$SCRATCH_NAMESPACE" >/dev/null
echo "drill: restored $restored item(s) of $SOURCE_NAMESPACE into $SCRATCH_NAMESPACE; cleaning up"
`;

/**
 * A weekly Velero restore drill: a CronJob in Velero's namespace restores the latest backup of one
 * namespace into a scratch namespace, checks Velero's result, and deletes both; failures fail the
 * Job, which the platform rules alert on. Least privilege: the ServiceAccount may create, read and
 * delete Restores in Velero's namespace, and read and delete only the scratch namespace (Velero's own
 * controller creates it). The pod meets the restricted Pod Security Standard.
 */
export class RestoreDrill extends Construct {
  /** The objects by kind. */
  readonly manifests: Readonly<Record<string, KubernetesManifest>>;
  /** The CronJob as applied. */
  readonly cronJob: CronJob;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    const namespace = props.namespace ?? "monitoring";
    if (!NAME.test(namespace) || namespace.length > 63) throw new Error(`${props.where}.namespace: "${namespace}" is not a namespace name`);
    if (namespace === props.veleroNamespace) throw new Error(`${props.where}.namespace: "${namespace}" is Velero's own namespace; drill a namespace with workloads' state`);
    const schedule = props.schedule ?? "30 3 * * 0";
    assertCron(`${props.where}.schedule`, schedule);
    const timeout = props.timeoutMinutes ?? 45;
    assertIntegerInRange(`${props.where}.timeoutMinutes`, timeout, 5, 180, "minutes the drill waits for Velero");
    const scratch = scratchNamespace(namespace);
    const ns = props.veleroNamespace;
    const labels = { "app.kubernetes.io/name": RESTORE_DRILL_NAME, "app.kubernetes.io/part-of": "aivo-platform" };
    const restoreSpec = {
      scheduleName: props.scheduleName,
      includedNamespaces: [namespace],
      namespaceMapping: { [namespace]: scratch },
      excludedResources: [...DRILL_EXCLUDED_RESOURCES],
      restorePVs: true,
    };

    this.cronJob = new CronJob({
      metadata: { name: RESTORE_DRILL_NAME, namespace: ns, labels },
      spec: {
        schedule,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: (timeout + 30) * 60,
            ttlSecondsAfterFinished: 7 * 86400,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: RESTORE_DRILL_NAME,
                restartPolicy: "Never",
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: "drill",
                    image: props.image ?? RESTORE_DRILL_IMAGE,
                    // Terraform would read the shell's `${…}` as its own interpolation.
                    command: ["/bin/sh", "-c", escapeTemplateSequences(DRILL_SCRIPT)],
                    env: [
                      { name: "VELERO_NAMESPACE", value: ns },
                      { name: "SOURCE_NAMESPACE", value: namespace },
                      { name: "SCRATCH_NAMESPACE", value: scratch },
                      { name: "TIMEOUT_MINUTES", value: String(timeout) },
                      { name: "RESTORE_SPEC", value: JSON.stringify(restoreSpec) },
                      { name: "HOME", value: "/tmp" },
                    ],
                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      runAsNonRoot: true,
                      capabilities: { drop: ["ALL"] },
                    },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                  },
                ],
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
              },
            },
          },
        },
      },
    });
    const objects: Record<string, TypedKubernetesObject> = {
      ServiceAccount: new ServiceAccount({ metadata: { name: RESTORE_DRILL_NAME, namespace: ns, labels }, automountServiceAccountToken: true }),
      Role: new Role({
        metadata: { name: RESTORE_DRILL_NAME, namespace: ns, labels },
        rules: [{ apiGroups: ["velero.io"], resources: ["restores"], verbs: ["create", "get", "delete"] }],
      }),
      RoleBinding: new RoleBinding({
        metadata: { name: RESTORE_DRILL_NAME, namespace: ns, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: RESTORE_DRILL_NAME },
        subjects: [{ kind: "ServiceAccount", name: RESTORE_DRILL_NAME, namespace: ns }],
      }),
      ClusterRole: new ClusterRole({
        metadata: { name: RESTORE_DRILL_NAME, labels },
        rules: [{ apiGroups: [""], resources: ["namespaces"], resourceNames: [scratch], verbs: ["get", "list", "watch", "delete"] }],
      }),
      ClusterRoleBinding: new ClusterRoleBinding({
        metadata: { name: RESTORE_DRILL_NAME, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: RESTORE_DRILL_NAME },
        subjects: [{ kind: "ServiceAccount", name: RESTORE_DRILL_NAME, namespace: ns }],
      }),
      CronJob: this.cronJob,
    };
    this.manifests = Object.fromEntries(
      Object.entries(objects).map(([kind, object]) => [kind, new KubernetesManifest(this, kind.toLowerCase(), { where: props.where, object, dependsOn: props.dependsOn })]),
    );
  }
}
