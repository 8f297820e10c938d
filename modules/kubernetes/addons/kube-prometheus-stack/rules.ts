/**
 * The platform's alerting rules, as one `PrometheusRule` validated against the prometheus-operator
 * schema. They ship through kube-prometheus-stack's `additionalPrometheusRulesMap` (the chart renders
 * the PrometheusRule after its CRDs exist), so no custom resource is planned before its CRD.
 */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { validateObject } from "../../manifest";
import { VELERO_SCHEDULE_FULL_NAME } from "../velero";
import { RESTORE_DRILL_NAME } from "../../cluster/restore-drill";

/** Days without a successful restore drill (weekly, plus a day) after which it alerts. */
export const RESTORE_DRILL_MAX_AGE_DAYS = 8;

/** The key of the rules in `additionalPrometheusRulesMap` (names the rendered PrometheusRule). */
export const PLATFORM_RULES_NAME = "aivo-platform";
/** Hours after which a missing Velero backup alerts (6-hourly schedule + 1 h of slack). */
export const VELERO_BACKUP_MAX_AGE_HOURS = 7;

/** The rule groups (kube-state-metrics, kubelet, Karpenter, cert-manager and Velero metrics). */
export function platformRules(namespace: string): PrometheusRule {
  const rule = new PrometheusRule({
    metadata: { name: PLATFORM_RULES_NAME, namespace },
    spec: {
      groups: [
        {
          name: "aivo.nodes",
          rules: [
            {
              alert: "NodeNotReady",
              expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
              for: "10m",
              labels: { severity: "critical" },
              annotations: { summary: "Node {{ $labels.node }} is not Ready", description: "Node {{ $labels.node }} has not been Ready for 10 minutes." },
            },
          ],
        },
        {
          name: "aivo.pods",
          rules: [
            {
              alert: "PodCrashLooping",
              expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
              for: "15m",
              labels: { severity: "alert" },
              annotations: {
                summary: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping",
                description: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.",
              },
            },
          ],
        },
        {
          name: "aivo.volumes",
          rules: [
            {
              alert: "VolumeFillingUp",
              expr:
                "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.15 and predict_linear(kubelet_volume_stats_available_bytes[6h], 24 * 3600) < 0",
              for: "30m",
              labels: { severity: "warning" },
              annotations: {
                summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} fills within a day",
                description: "Less than 15% free and, at the last 6 hours' rate, full within 24 hours.",
              },
            },
            {
              alert: "VolumeAlmostFull",
              expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03",
              for: "5m",
              labels: { severity: "critical" },
              annotations: { summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over 97% full", description: "Less than 3% of the volume is free." },
            },
          ],
        },
        {
          name: "aivo.restore-drill",
          rules: [
            {
              alert: "VeleroRestoreDrillFailed",
              expr: `kube_job_status_failed{job_name=~"${RESTORE_DRILL_NAME}-.*"} > 0`,
              labels: { severity: "alert" },
              annotations: {
                summary: "The Velero restore drill failed ({{ $labels.namespace }}/{{ $labels.job_name }})",
                description: "The latest backup could not be restored into the scratch namespace: read the Job's log (docs/compliance.md, Proven restores).",
              },
            },
            {
              alert: "VeleroRestoreDrillStale",
              expr: `time() - max by (namespace) (kube_cronjob_status_last_successful_time{cronjob="${RESTORE_DRILL_NAME}"}) > ${RESTORE_DRILL_MAX_AGE_DAYS} * 86400`,
              labels: { severity: "alert" },
              annotations: {
                summary: "No Velero restore drill has succeeded for ${RESTORE_DRILL_MAX_AGE_DAYS} days",
                description: "The weekly drill has not completed: restores are unproven until it does.",
              },
            },
          ],
        },
        {
          name: "aivo.karpenter",
          rules: [
            {
              alert: "KarpenterCloudProviderErrors",
              expr: "sum by (controller, method) (increase(karpenter_cloudprovider_errors_total[15m])) > 0",
              for: "15m",
              labels: { severity: "alert" },
              annotations: { summary: "Karpenter gets errors from AWS ({{ $labels.method }})", description: "Karpenter's calls to EC2 fail: nodes may not launch." },
            },
            {
              alert: "KarpenterReconcileErrors",
              expr: 'sum by (controller) (rate(controller_runtime_reconcile_errors_total{namespace="karpenter"}[10m])) > 0',
              for: "15m",
              labels: { severity: "warning" },
              annotations: { summary: "Karpenter controller {{ $labels.controller }} fails to reconcile", description: "Reconcile errors for 15 minutes." },
            },
          ],
        },
        {
          name: "aivo.certificates",
          rules: [
            {
              alert: "CertificateExpiringSoon",
              expr: "certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600",
              for: "1h",
              labels: { severity: "warning" },
              annotations: { summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 14 days", description: "cert-manager has not renewed it yet." },
            },
            {
              alert: "CertificateExpiring",
              expr: "certmanager_certificate_expiration_timestamp_seconds - time() < 3 * 24 * 3600",
              for: "10m",
              labels: { severity: "critical" },
              annotations: { summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 3 days", description: "Renew it now: check cert-manager's logs and the issuer." },
            },
          ],
        },
        {
          name: "aivo.backups",
          rules: [
            {
              alert: "VeleroBackupFailed",
              expr: `increase(velero_backup_failure_total{schedule="${VELERO_SCHEDULE_FULL_NAME}"}[6h]) > 0`,
              labels: { severity: "alert" },
              annotations: { summary: "A Velero backup of schedule {{ $labels.schedule }} failed", description: "Run `velero backup describe` on the latest backup." },
            },
            {
              alert: "VeleroBackupMissing",
              expr: `time() - velero_backup_last_successful_timestamp{schedule="${VELERO_SCHEDULE_FULL_NAME}"} > ${VELERO_BACKUP_MAX_AGE_HOURS} * 3600`,
              for: "10m",
              labels: { severity: "alert" },
              annotations: {
                summary: `No successful Velero backup for more than ${VELERO_BACKUP_MAX_AGE_HOURS} hours`,
                description: "The 6-hourly schedule has not completed a backup: check the velero pod and `velero schedule get`.",
              },
            },
            {
              // The rule above needs one success to compare with; this one covers a schedule that never succeeded.
              alert: "VeleroBackupNeverSucceeded",
              expr: `absent(velero_backup_last_successful_timestamp{schedule="${VELERO_SCHEDULE_FULL_NAME}"})`,
              for: `${VELERO_BACKUP_MAX_AGE_HOURS}h`,
              labels: { severity: "alert" },
              annotations: {
                summary: `No successful Velero backup of ${VELERO_SCHEDULE_FULL_NAME} in ${VELERO_BACKUP_MAX_AGE_HOURS} hours`,
                description: "Velero has reported no successful backup of the schedule since Prometheus started watching it.",
              },
            },
          ],
        },
      ],
    },
  });
  validateObject("observability.rules", rule);
  return rule;
}
