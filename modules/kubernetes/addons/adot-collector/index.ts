import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { HelmAddOn } from "../../helm-addon";
import { PolicyStatement } from "../../../shared/iam";
import { HELM_CHARTS, HelmChart, IRSA_ROLE_ANNOTATION } from "../../platform";
import { ENVIRONMENT_ATTRIBUTE } from "../../../aws/observability/tracing";

/** The OpenTelemetry collector chart (deployed with the AWS Distro for OpenTelemetry image), pinned in `HELM_CHARTS`. */
export const ADOT_CHART: HelmChart = HELM_CHARTS.adotCollector;
/** The AWS Distro for OpenTelemetry collector image and its binary. */
export const ADOT_IMAGE = {
  repository: "public.ecr.aws/aws-observability/aws-otel-collector",
  tag: "v0.43.3",
  command: "awscollector",
} as const;
/** Where services send traces: the collector's OTLP ports (gRPC and HTTP). */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;
/** The collector's default namespace, release and service-account name (its IRSA role trusts exactly this pair). */
export const ADOT_DEFAULTS = { namespace: HELM_CHARTS.adotCollector.namespace, name: HELM_CHARTS.adotCollector.name } as const;
/** The uid/gid the collector runs as (numeric, so the kubelet can check `runAsNonRoot`). */
export const ADOT_UID = 10001;

/** What the collector's IAM role may do: write traces to X-Ray and read sampling rules (AWSXrayWriteOnlyAccess). */
export const XRAY_WRITE_STATEMENTS: readonly PolicyStatement[] = [
  {
    Sid: "WriteTracesAndReadSampling",
    Action: [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ],
    // X-Ray's trace and sampling actions support no resource-level permissions.
    Resource: "*",
  },
];

export interface AdotCollectorProps {
  /** The environment name, stamped on every span as `aivo.environment` (the X-Ray group filters on it). */
  readonly environment: string;
  /** The region of the X-Ray endpoint. */
  readonly region: string;
  /** ARN of the collector's IRSA role (XRAY_WRITE_STATEMENTS), annotated on its service account. */
  readonly roleArn: string;
  /** @default ADOT_DEFAULTS.namespace ("observability"); must exist */
  readonly namespace?: string;
  /** Release and service-account name. @default ADOT_DEFAULTS.name ("adot-collector") */
  readonly name?: string;
  /** Collector replicas. @default 2 */
  readonly replicas?: number;
  /** The chart (a version override stages an upgrade). @default ADOT_CHART */
  readonly chart?: HelmChart;
  /** Resources that must exist first (its namespace, earlier releases). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The AWS Distro for OpenTelemetry collector as a Deployment behind a ClusterIP Service: services send
 * OTLP (gRPC 4317, HTTP 4318) to `<name>.<namespace>.svc.cluster.local`; the collector stamps the
 * environment, batches, and exports to X-Ray with its own IRSA role. It runs as non-root with a
 * read-only root file system.
 */
export class AdotCollector extends Construct {
  /** The Helm release of the collector (wait, atomic, pinned chart, no credentials in values). */
  readonly addOn: HelmAddOn;
  /** The `helm_release` (escape hatch). */
  readonly release: Release;
  /** `http://<name>.<namespace>.svc.cluster.local:4318` — the OTLP/HTTP endpoint for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly otlpHttpEndpoint: string;
  /** `http://<name>.<namespace>.svc.cluster.local:4317` — the OTLP/gRPC endpoint. */
  readonly otlpGrpcEndpoint: string;
  /** The chart values (parsed), for tests and review. */
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: AdotCollectorProps) {
    super(scope, id);
    const namespace = props.namespace ?? ADOT_DEFAULTS.namespace;
    const name = props.name ?? ADOT_DEFAULTS.name;
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`${props.environment}.tracing.collector.replicas: ${replicas} must be a whole number ≥ 1`);
    const host = `${name}.${namespace}.svc.cluster.local`;
    this.otlpGrpcEndpoint = `http://${host}:${OTLP_PORTS.grpc}`;
    this.otlpHttpEndpoint = `http://${host}:${OTLP_PORTS.http}`;

    this.values = {
      mode: "deployment",
      replicaCount: replicas,
      fullnameOverride: name,
      image: { repository: ADOT_IMAGE.repository, tag: ADOT_IMAGE.tag },
      command: { name: ADOT_IMAGE.command },
      serviceAccount: { create: true, name, annotations: { [IRSA_ROLE_ANNOTATION]: props.roleArn } },
      // Pod Security "restricted": non-root by numeric uid, RuntimeDefault seccomp, no privilege escalation, no capabilities.
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: ADOT_UID,
        runAsGroup: ADOT_UID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      securityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
      // Only OTLP is received; the chart's default Jaeger, Zipkin and Prometheus ports stay closed.
      ports: {
        "otlp": { enabled: true, containerPort: OTLP_PORTS.grpc, servicePort: OTLP_PORTS.grpc, protocol: "TCP" },
        "otlp-http": { enabled: true, containerPort: OTLP_PORTS.http, servicePort: OTLP_PORTS.http, protocol: "TCP" },
        "jaeger-compact": { enabled: false },
        "jaeger-thrift": { enabled: false },
        "jaeger-grpc": { enabled: false },
        "zipkin": { enabled: false },
      },
      config: {
        receivers: {
          // The chart's default Jaeger, Zipkin and Prometheus receivers are removed (null deletes a default key).
          jaeger: null,
          zipkin: null,
          prometheus: null,
          otlp: {
            protocols: {
              grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.grpc}` },
              http: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.http}` },
            },
          },
        },
        processors: {
          memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
          resource: { attributes: [{ key: ENVIRONMENT_ATTRIBUTE, value: props.environment, action: "upsert" }] },
          batch: {},
        },
        exporters: {
          awsxray: { region: props.region, indexed_attributes: [ENVIRONMENT_ATTRIBUTE] },
        },
        service: {
          pipelines: {
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["awsxray"] },
            // The chart's default metrics and logs pipelines (debug exporter) are removed.
            metrics: null,
            logs: null,
          },
        },
      },
    };

    this.addOn = new HelmAddOn(this, "addon", {
      where: `${props.environment}.tracing.collector`,
      chart: { ...(props.chart ?? ADOT_CHART), name, namespace },
      pods: [{ name: "collector", replicas }],
      defaultValues: this.values as HelmAddOn["values"],
      dependsOn: props.dependsOn,
    });
    this.release = this.addOn.release;
  }
}
