import { DEFAULT_NODE_GROUPS, NodeGroupSettings } from "../modules/aws/compute/eks";
import { OffHoursScaling, resolveOffHours, validateOffHours } from "../modules/aws/compute/off-hours";
import { SchemaRegistry, schemaNameOf, validateSchemaSubjects } from "../modules/aws/data/schema-registry";
import { SyntheticCanaries, validateCanarySettings } from "../modules/aws/observability/canaries";
import { RealUserMonitoring, validateRealUserMonitoring } from "../modules/aws/observability/real-user-monitoring";
import { declareOutputs } from "../modules/shared/outputs";
import type { WorkingHours } from "../modules/shared/schedule";
import type { EnvironmentStack } from "./environment-stack";
import type { EnvironmentConfig } from "./types";

/** What users feel and what runs beside it (issue 29), built into an environment stack. */
export interface UserExperience {
  readonly canaries: SyntheticCanaries;
  readonly realUserMonitoring: RealUserMonitoring;
  readonly schemaRegistry: SchemaRegistry;
  /** Undefined where `offHours` is off (by default everywhere but the development tier). */
  readonly offHours?: OffHoursScaling;
}

/** The config rules of this part, for the collected findings of environments/validate.ts. */
export function userExperienceRules(config: EnvironmentConfig): (() => void)[] {
  const env = config.name;
  return [
    () => validateCanarySettings(`${env}.canaries`, config.canaries ?? {}),
    () => validateRealUserMonitoring(`${env}.realUserMonitoring`, config.realUserMonitoring ?? {}),
    () => validateOffHours(`${env}.offHours`, config.tier, config.offHours, config.database),
    () => validateSchemaSubjects(Object.keys(config.kafka.topics)),
  ];
}

/** The working hours Karpenter's NodePools follow (`offHoursDisruptionBudget`), when off-hours scaling is on. */
export function offHoursWindow(config: EnvironmentConfig): WorkingHours | undefined {
  const off = resolveOffHours(config.tier, config.offHours);
  return off.enabled ? off.workingHours : undefined;
}

/**
 * Synthetic canaries and real-user monitoring of the public site, the schema registry of the Kafka
 * topics, and off-hours scaling of the cluster's node groups and the database; with their outputs.
 */
export function addUserExperience(stack: EnvironmentStack): UserExperience {
  const { config, naming } = stack;
  const off = resolveOffHours(config.tier, config.offHours);
  const canaries = new SyntheticCanaries(stack, "canaries", {
    naming,
    tier: config.tier,
    settings: config.canaries ?? {},
    siteUrl: config.canaries?.heartbeatUrl ?? `https://${config.edge.domain}/`,
    api: {
      baseUrl: config.canaries?.api?.baseUrl ?? `https://${config.edge.domain}`,
      healthPath: config.canaries?.api?.healthPath ?? "/api/auth/health",
      signInPath: config.canaries?.api?.signInPath ?? "/api/auth/login",
      signInRedirectPrefix: config.canaries?.api?.signInRedirectPrefix ?? `https://${config.auth0.domain}/authorize`,
    },
    vpcId: stack.network.vpcId,
    subnetIds: stack.network.privateSubnetIds,
    topicArns: stack.alerts.topicArns,
    accessLogBucketName: stack.buckets.accessLogBucket.bucketName,
    pausedOutsideWorkingHours: off.enabled,
  });
  const realUserMonitoring = new RealUserMonitoring(stack, "real-user-monitoring", {
    naming,
    tier: config.tier,
    settings: config.realUserMonitoring ?? {},
    domain: config.edge.domain,
  });
  const topics = Object.keys(config.kafka.topics);
  const schemaRegistry = new SchemaRegistry(stack, "schema-registry", { naming, subjects: topics });

  const groups: Readonly<Record<string, NodeGroupSettings>> = config.eks.nodeGroups ?? DEFAULT_NODE_GROUPS;
  const offHours = off.enabled
    ? new OffHoursScaling(stack, "off-hours", {
        naming,
        workingHours: off.workingHours,
        nodeGroups: Object.fromEntries(
          Object.entries(stack.eks.nodeGroups).map(([name, nodeGroup]) => {
            const sizes = groups[name];
            if (!sizes) throw new Error(`${config.name}.eks.nodeGroups.${name}: the cluster has the group but the config has no sizes for it`);
            return [name, { nodeGroup, minSize: sizes.minSize, desiredSize: sizes.desiredSize, maxSize: sizes.maxSize }];
          }),
        ),
        database: off.stopDatabase ? stack.database : undefined,
        canaryNames: Object.values(canaries.canaryNames),
      })
    : undefined;

  declareOutputs(stack, {
    canary_names: { value: canaries.canaryNames, description: "Synthetics canaries by kind (heartbeat: the public site; api: auth-svc health and sign-in)" },
    canary_artifact_bucket: { value: canaries.artifactBucket.bucketName, description: "S3 bucket of the canaries' screenshots, HAR files and logs" },
    rum_app_monitor_id: { value: realUserMonitoring.appMonitorId, description: "CloudWatch RUM app monitor id (the web snippet's application id)" },
    rum_app_monitor_name: { value: realUserMonitoring.appMonitorName, description: "CloudWatch RUM app monitor name" },
    rum_identity_pool_id: { value: realUserMonitoring.identityPoolId, description: "Cognito identity pool the web snippet gets credentials from (identityPoolId)" },
    rum_guest_role_arn: { value: realUserMonitoring.guestRoleArn, description: "Role of unauthenticated visitors: rum:PutRumEvents on the monitor only (guestRoleArn)" },
    rum_endpoint: { value: realUserMonitoring.endpoint, description: "RUM data-plane endpoint of the region (the snippet's endpoint)" },
    rum_session_sample_rate: { value: realUserMonitoring.sessionSampleRate, description: "Share of sessions recorded (the snippet's sessionSampleRate)" },
    schema_registry_name: { value: schemaRegistry.registryName, description: "Glue Schema Registry of the Kafka topics (the serde's registry.name)" },
    schema_names: {
      value: Object.fromEntries(topics.map((t) => [t, schemaNameOf(t)])),
      description: "Glue schema name per Kafka topic (the serde's schemaName)",
    },
    ...(offHours ? { off_hours_working_hours: { value: offHours.description, description: "When node groups are at their desired size and the database runs; outside, they scale down and stop" } } : {}),
  });
  return { canaries, realUserMonitoring, schemaRegistry, offHours };
}
