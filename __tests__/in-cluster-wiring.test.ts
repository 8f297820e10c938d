/**
 * The in-cluster parts of issues 14 and 16 as the Kubernetes stacks wire them: which stack holds each
 * object, per environment, on or off as configured, with the values that come from the environment
 * stack (role ARNs, brokers, file system and access points) traced back to the resources there.
 */
import { Testing } from "cdktf";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { development } from "../environments/development";
import { KAFKA_TOPICS_JOB_IMAGE } from "../environments/images";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { validateEnvironments } from "../environments/validate";
import { ADOT_DEFAULTS, OTLP_PORTS } from "../modules/kubernetes/addons/adot-collector";
import { AUTH0_CONFIG_MAP, auth0ConfigData } from "../modules/kubernetes/cluster/auth0";
import { EFS_CSI_PROVISIONER, EFS_NOMINAL_CAPACITY, EfsStorageClasses } from "../modules/aws/data/file-storage";
import { DOCUMENT_TOPICS, TOPICS_JOB_SERVICE_ACCOUNT, topicSpecLines, validateTopicsJobImage } from "../modules/aws/data/kafka";
import { CLUSTER_SECRET_STORE_NAME, HELM_CHARTS, IRSA_ROLE_ANNOTATION, NAMESPACES } from "../modules/kubernetes/platform";
import { POD_SECURITY_REASON_ANNOTATION } from "../modules/kubernetes/cluster/namespaces";
import { TAILSCALE_DEFAULTS } from "../modules/kubernetes/addons/tailscale";
import { VAULT_DEFAULTS } from "../modules/kubernetes/addons/vault";
import { TerraformJson, configsOf } from "./helpers";
import { manifestOf, manifestsOf, releaseOf, releaseAddress, releaseValues, synthApp } from "./kubernetes-helpers";
import { validateWithModels } from "./kubernetes-validate";

/** Built-in API groups (no CRD needed), which the add-ons stack may hold: core objects, the restore drill's RBAC and CronJob. */
const BUILT_IN_API_VERSIONS = ["v1", "batch/v1", "rbac.authorization.k8s.io/v1"];

/** `validate()` of a kubernetes-models object (its inherited method is invisible to tsc's node10 resolution). */
function validate(model: object): void {
  (model as { validate(): void }).validate();
}

/** A synthesized kubernetes_*_v1 block read back into the Kubernetes API's camelCase shape. */
function toKubernetes(value: any): any {
  const rename: Record<string, string> = { container: "containers", volume: "volumes", volume_mount: "volumeMounts" };
  if (Array.isArray(value)) return value.map(toKubernetes);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const key = rename[k] ?? k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
      return [key, ["labels", "annotations", "data", "requests", "limits"].includes(k) ? v : toKubernetes(v)];
    }),
  );
}

/** Replaces every remote-state reference in `text` by the value the environment stack's output holds. */
function resolveOutputs(envDoc: TerraformJson, text: string): string {
  return text.replace(/\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}/g, (_m, name: string) => {
    const value = envDoc.output?.[name]?.value;
    if (typeof value !== "string") throw new Error(`no output ${name} in the environment stack`);
    return value;
  });
}

/** The address (`type.id`) of the one resource of `type` in `doc` whose config matches `match`. */
function addressOf(doc: TerraformJson, type: string, match: (config: Record<string, any>) => boolean): string {
  const found = Object.entries(doc.resource?.[type] ?? {}).filter(([, c]) => match(c));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}

const app = Testing.app();
buildPlatform(app);
const docs = synthApp(app);
const names = ENVIRONMENTS.map((e) => e.name);

// Development with the optional integrations on: Vault (with its store) and the Tailscale router.
const VAULT = { address: "https://vault.aivo.edu:8200", kubernetesAuthRole: "aivo-development", policies: ["aivo-read"] };
const TAILSCALE = {
  enabled: true,
  advertiseRoutes: ["10.10.1.0/24", "10.10.2.0/24"],
  authKeySecretName: "aivo/development/tailscale/auth-key",
};
const withIntegrations: EnvironmentConfig = { ...development, vault: VAULT, tailscale: TAILSCALE };
const optionalApp = Testing.app();
buildPlatform(optionalApp, [withIntegrations]);
const optional = synthApp(optionalApp);

describe.each(names)("%s: in-cluster integrations", (name) => {
  const config = ENVIRONMENTS.find((e) => e.name === name)!;
  const env = docs[name];
  const addons = docs[`${name}-addons`];
  const workloads = docs[`${name}-workloads`];

  it("creates the observability, platform-kafka and tailscale namespaces at the restricted level, with the reason", () => {
    for (const key of ["observability", "platformKafka", "tailscale"] as const) {
      const ns = configsOf(addons, "kubernetes_namespace_v1").find((n) => n.metadata.name === NAMESPACES[key].name)!;
      expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      expect(ns.metadata.annotations[POD_SECURITY_REASON_ANNOTATION]).toBe(NAMESPACES[key].reason);
    }
    expect(configsOf(workloads, "kubernetes_namespace_v1")).toHaveLength(0);
  });

  describe("ADOT collector", () => {
    const values = releaseValues(addons, ADOT_DEFAULTS.name);

    it("is a release of the pinned chart in observability, after the namespace and the last controller", () => {
      const release = releaseOf(addons, ADOT_DEFAULTS.name);
      expect(release).toMatchObject({
        chart: HELM_CHARTS.adotCollector.chart,
        version: HELM_CHARTS.adotCollector.version,
        namespace: NAMESPACES.observability.name,
        wait: true,
        atomic: true,
        create_namespace: false,
      });
      const observability = addressOf(addons, "kubernetes_namespace_v1", (n) => n.metadata.name === NAMESPACES.observability.name);
      expect(release.depends_on).toEqual(expect.arrayContaining([observability, releaseAddress(addons, HELM_CHARTS.kyvernoPolicies.name)]));
      expect(configsOf(workloads, "helm_release")).toHaveLength(0);
    });

    it("annotates its service account with the environment stack's ADOT role", () => {
      expect(values.serviceAccount.name).toBe(ADOT_DEFAULTS.name);
      const arn = resolveOutputs(env, values.serviceAccount.annotations[IRSA_ROLE_ANNOTATION]);
      expect(arn).toMatch(/^\$\{aws_iam_role\.adot-role_[^.]+\.arn\}$/);
      const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(arn)![1];
      expect(env.resource!.aws_iam_role[roleId].name).toBe(`aivo-${name}-adot-collector`);
    });

    it("runs under the restricted pod security level (non-root uid, RuntimeDefault seccomp, no escalation, no capabilities)", () => {
      expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(values.podSecurityContext.runAsUser).toBeGreaterThan(0);
      expect(values.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    });

    it("exports traces to X-Ray in the environment's region, stamped with the environment", () => {
      expect(values.config.exporters.awsxray.region).toBe(config.region);
      expect(values.config.processors.resource.attributes[0].value).toBe(name);
      expect(addons.output!.otlp_endpoints.value).toEqual({
        grpc: `http://${ADOT_DEFAULTS.name}.${NAMESPACES.observability.name}.svc.cluster.local:${OTLP_PORTS.grpc}`,
        http: `http://${ADOT_DEFAULTS.name}.${NAMESPACES.observability.name}.svc.cluster.local:${OTLP_PORTS.http}`,
      });
    });

    it("is reachable from aivo, whose egress is denied by default: a policy allows the OTLP ports to observability", () => {
      const { manifest, resource } = manifestOf(workloads, "NetworkPolicy", "allow-otlp-egress");
      expect(manifest.metadata.namespace).toBe(NAMESPACES.aivo.name);
      expect(manifest.spec.egress).toEqual([
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.observability.name } } }],
          ports: [
            { protocol: "TCP", port: OTLP_PORTS.grpc },
            { protocol: "TCP", port: OTLP_PORTS.http },
          ],
        },
      ]);
      expect(resource.field_manager.name).toBe("aivo-cdktf");
    });
  });

  it("delivers the Auth0 settings as the ConfigMap auth0 in aivo, after the namespace", () => {
    const maps = configsOf(addons, "kubernetes_config_map_v1").filter((m) => m.metadata.name === AUTH0_CONFIG_MAP.name);
    expect(maps).toHaveLength(1);
    const [map] = maps;
    expect(map.metadata.namespace).toBe(NAMESPACES.aivo.name);
    expect(map.data).toEqual(auth0ConfigData(config.auth0));
    expect(map.depends_on).toEqual([addressOf(addons, "kubernetes_namespace_v1", (n) => n.metadata.name === NAMESPACES.aivo.name)]);
    expect(() => validate(new ConfigMap({ metadata: map.metadata, data: map.data }))).not.toThrow();
    expect(configsOf(workloads, "kubernetes_config_map_v1").some((m) => m.metadata.name === AUTH0_CONFIG_MAP.name)).toBe(false);
  });

  it("has no Vault service account or store, and no Tailscale router, when the config has none", () => {
    expect(config.vault).toBeUndefined();
    expect(config.tailscale?.enabled ?? false).toBe(false);
    expect(configsOf(addons, "kubernetes_service_account_v1").some((s) => s.metadata.name === VAULT_DEFAULTS.serviceAccount)).toBe(false);
    expect(manifestsOf(workloads, "ClusterSecretStore").map((m) => m.manifest.metadata.name)).toEqual([CLUSTER_SECRET_STORE_NAME]);
    expect(workloads.output!.vault_secret_store).toBeUndefined();
    expect(manifestsOf(workloads).filter((m) => m.manifest.metadata.namespace === TAILSCALE_DEFAULTS.namespace)).toHaveLength(0);
  });

  const kafkaOn = config.kafka.enabled ?? true;
  const efsOn = config.fileStorage.enabled ?? true;

  if (!kafkaOn) {
    it("runs no Kafka topics Job (Kafka is off)", () => {
      expect(workloads.output!.kafka_topics_job).toBeUndefined();
      for (const doc of [addons, workloads]) {
        expect(configsOf(doc, "kubernetes_job_v1")).toHaveLength(0);
        expect(configsOf(doc, "kubernetes_service_account_v1").some((s) => s.metadata.name === TOPICS_JOB_SERVICE_ACCOUNT)).toBe(false);
      }
    });
  } else {
    describe("Kafka topics Job", () => {
      const job = () => configsOf(workloads, "kubernetes_job_v1")[0];

      it("is one Job in the workloads stack (it needs nodes), in platform-kafka", () => {
        expect(configsOf(workloads, "kubernetes_job_v1")).toHaveLength(1);
        expect(configsOf(addons, "kubernetes_job_v1")).toHaveLength(0);
        expect(job().metadata.namespace).toBe(NAMESPACES.platformKafka.name);
        expect(job().wait_for_completion).toBe(true);
        const spec = toKubernetes(job().spec);
        // The provider writes ids as strings and the ConfigMap mode as octal text; the API takes numbers.
        const pod = spec.template.spec;
        for (const id of ["runAsUser", "runAsGroup", "fsGroup"]) pod.securityContext[id] = Number(pod.securityContext[id]);
        pod.volumes[0].configMap.defaultMode = parseInt(pod.volumes[0].configMap.defaultMode, 8);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(() => validate(new Job({ metadata: toKubernetes(job().metadata), spec }))).not.toThrow();
      });

      it("connects to the environment's MSK cluster through its IAM bootstrap brokers", () => {
        const env0 = job().spec.template.spec.container[0].env;
        const brokers = env0.find((e: { name: string }) => e.name === "BOOTSTRAP_SERVERS").value;
        expect(resolveOutputs(env, brokers)).toMatch(/^\$\{aws_msk_cluster\.kafka_cluster_[^.]+\.bootstrap_brokers_sasl_iam\}$/);
        expect(env0.find((e: { name: string }) => e.name === "MIN_INSYNC_REPLICAS").value).toBe(String(config.kafka.minInsyncReplicas ?? 2));
      });

      it("runs as the service account the environment stack's topics role trusts", () => {
        const sa = configsOf(workloads, "kubernetes_service_account_v1").find((s) => s.metadata.name === TOPICS_JOB_SERVICE_ACCOUNT)!;
        expect(sa.metadata.namespace).toBe(NAMESPACES.platformKafka.name);
        const arn = resolveOutputs(env, sa.metadata.annotations[IRSA_ROLE_ANNOTATION]);
        expect(arn).toMatch(/^\$\{aws_iam_role\.kafka_topics-job-role_[^.]+\.arn\}$/);
        const role = env.resource!.aws_iam_role[/aws_iam_role\.([^.]+)\.arn/.exec(arn)![1]];
        const trust = JSON.parse(role.assume_role_policy);
        expect(JSON.stringify(trust)).toContain(`system:serviceaccount:${NAMESPACES.platformKafka.name}:${TOPICS_JOB_SERVICE_ACCOUNT}`);
        expect(job().spec.template.spec.service_account_name).toBe(TOPICS_JOB_SERVICE_ACCOUNT);
        expect(() => validate(new ServiceAccount({ metadata: sa.metadata }))).not.toThrow();
      });

      it("applies the configured topics with the pinned image", () => {
        const map = configsOf(workloads, "kubernetes_config_map_v1").find((m) => m.metadata.name === job().metadata.name)!;
        expect(map.data["topics.txt"]).toBe(topicSpecLines(config.kafka.topics));
        expect(config.kafka.topics).toEqual(DOCUMENT_TOPICS);
        expect(job().spec.template.spec.container[0].image).toBe(KAFKA_TOPICS_JOB_IMAGE);
        expect(workloads.output!.kafka_topics_job.value).toBe(job().metadata.name);
      });
    });
  }

  if (!efsOn) {
    it("creates no EFS StorageClass or volume (EFS is off)", () => {
      for (const doc of [addons, workloads]) {
        expect(configsOf(doc, "kubernetes_storage_class_v1").filter((c) => c.storage_provisioner === EFS_CSI_PROVISIONER)).toHaveLength(0);
        expect(configsOf(doc, "kubernetes_persistent_volume_v1")).toHaveLength(0);
      }
    });
  } else {
    describe("EFS storage classes", () => {
      const consumers = Object.keys(config.fileStorage.accessPoints);

      it("creates one StorageClass per access point in the addons stack, on the environment's file system", () => {
        // The EFS classes (the EBS gp3/io2 classes of issue 18 are checked in compute-storage-stacks.test.ts).
        const classes = configsOf(addons, "kubernetes_storage_class_v1").filter((c) => c.storage_provisioner === EFS_CSI_PROVISIONER);
        expect(classes.map((c) => c.metadata.name).sort()).toEqual(consumers.map((c) => `efs-${c}`).sort());
        expect(configsOf(workloads, "kubernetes_storage_class_v1")).toHaveLength(0);
        for (const sc of classes) {
          expect(sc.storage_provisioner).toBe(EFS_CSI_PROVISIONER);
          expect(resolveOutputs(env, sc.parameters.fileSystemId)).toMatch(/^\$\{aws_efs_file_system\.file-storage_file-system_[^.]+\.id\}$/);
          const consumer = sc.metadata.name.replace(/^efs-/, "");
          expect(sc.parameters.basePath).toBe(config.fileStorage.accessPoints[consumer].path);
          expect(() =>
            validate(new StorageClass({ metadata: sc.metadata, provisioner: sc.storage_provisioner, parameters: sc.parameters, mountOptions: sc.mount_options, reclaimPolicy: sc.reclaim_policy })),
          ).not.toThrow();
        }
        expect(addons.output!.efs_storage_classes.value).toEqual(Object.fromEntries(consumers.map((c) => [c, `efs-${c}`])));
      });

      it("binds each class to a static volume on the access point the environment stack created", () => {
        const volumes = configsOf(addons, "kubernetes_persistent_volume_v1");
        expect(volumes).toHaveLength(consumers.length);
        for (const consumer of consumers) {
          const pv = volumes.find((v) => v.metadata.name === `efs-${consumer}`)!;
          const spec = pv.spec[0];
          const handle = resolveOutputs(env, spec.persistent_volume_source.csi.volume_handle);
          const [fs, ap] = handle.split("::");
          expect(fs).toMatch(/^\$\{aws_efs_file_system\.file-storage_file-system_[^.]+\.id\}$/);
          expect(ap).toMatch(new RegExp(`^\\$\\{aws_efs_access_point\\.file-storage_access-point-${consumer}_[^.]+\\.id\\}$`));
          expect(spec).toMatchObject({ access_modes: ["ReadWriteMany"], persistent_volume_reclaim_policy: "Retain", mount_options: ["tls", "iam"] });
          expect(spec.storage_class_name).toBe(`\${${addressOf(addons, "kubernetes_storage_class_v1", (c) => c.metadata.name === `efs-${consumer}`)}.metadata[0].name}`);
          expect(() =>
            validate(
              new PersistentVolume({
                metadata: pv.metadata,
                spec: {
                  storageClassName: `efs-${consumer}`,
                  accessModes: spec.access_modes,
                  capacity: { storage: EFS_NOMINAL_CAPACITY },
                  persistentVolumeReclaimPolicy: spec.persistent_volume_reclaim_policy,
                  mountOptions: spec.mount_options,
                  csi: { driver: spec.persistent_volume_source.csi.driver, volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" },
                },
              }),
            ),
          ).not.toThrow();
        }
      });
    });
  }
});

describe("development with Vault and Tailscale turned on", () => {
  const addons = optional["development-addons"];
  const workloads = optional["development-workloads"];

  it("creates Vault's vault-auth service account in external-secrets (addons), after the namespace, naming the role and policies", () => {
    const sa = configsOf(addons, "kubernetes_service_account_v1").find((s) => s.metadata.name === VAULT_DEFAULTS.serviceAccount)!;
    expect(sa.metadata.namespace).toBe(NAMESPACES.externalSecrets.name);
    expect(sa.metadata.annotations).toEqual({ "aivo.edu/vault-role": VAULT.kubernetesAuthRole, "aivo.edu/vault-policies": "aivo-read" });
    expect(sa.depends_on).toEqual([addressOf(addons, "kubernetes_namespace_v1", (n) => n.metadata.name === NAMESPACES.externalSecrets.name)]);
    // Custom resources wait for <env>-workloads: addons holds only core objects (Grafana's dashboard ConfigMaps).
    expect(manifestsOf(addons).filter((m) => !BUILT_IN_API_VERSIONS.includes(m.manifest.apiVersion))).toHaveLength(0);
  });

  it("creates the ClusterSecretStore vault (kv-v2) in the workloads stack, logging in as that service account", () => {
    const { manifest } = manifestOf(workloads, "ClusterSecretStore", VAULT_DEFAULTS.storeName);
    expect(manifest.spec.provider.vault).toMatchObject({
      server: VAULT.address,
      path: VAULT_DEFAULTS.kvMount,
      version: "v2",
      auth: { kubernetes: { role: VAULT.kubernetesAuthRole, serviceAccountRef: { name: VAULT_DEFAULTS.serviceAccount, namespace: NAMESPACES.externalSecrets.name } } },
    });
    expect(workloads.output!.vault_secret_store.value).toBe(VAULT_DEFAULTS.storeName);
  });

  it("runs the Tailscale router in tailscale (workloads), its ExternalSecret after the Secrets Manager store", () => {
    const secret = manifestOf(workloads, "ExternalSecret", TAILSCALE_DEFAULTS.authSecret);
    expect(secret.manifest.metadata.namespace).toBe(NAMESPACES.tailscale.name);
    expect(secret.manifest.spec.secretStoreRef).toEqual({ name: CLUSTER_SECRET_STORE_NAME, kind: "ClusterSecretStore" });
    expect(secret.manifest.spec.data[0].remoteRef.key).toBe(TAILSCALE.authKeySecretName);
    expect(secret.resource.depends_on).toEqual([manifestOf(workloads, "ClusterSecretStore", CLUSTER_SECRET_STORE_NAME).address]);
    const deployment = manifestOf(workloads, "Deployment", TAILSCALE_DEFAULTS.name).manifest;
    const routes = deployment.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "TS_ROUTES").value;
    expect(routes).toBe(TAILSCALE.advertiseRoutes.join(","));
    expect(deployment.metadata.namespace).toBe(NAMESPACES.tailscale.name);
    // Custom resources wait for <env>-workloads: addons holds only core objects (Grafana's dashboard ConfigMaps).
    expect(manifestsOf(addons).filter((m) => !BUILT_IN_API_VERSIONS.includes(m.manifest.apiVersion))).toHaveLength(0);
  });

  it("passes the upstream schemas (kubernetes-models validate())", () => {
    const checks = [
      { module: "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore", className: "ClusterSecretStore", object: manifestOf(workloads, "ClusterSecretStore", "vault").manifest },
      { module: "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret", className: "ExternalSecret", object: manifestOf(workloads, "ExternalSecret", TAILSCALE_DEFAULTS.authSecret).manifest },
      { module: "kubernetes-models/apps/v1/Deployment", className: "Deployment", object: manifestOf(workloads, "Deployment", TAILSCALE_DEFAULTS.name).manifest },
      { module: "kubernetes-models/networking.k8s.io/v1/NetworkPolicy", className: "NetworkPolicy", object: manifestOf(workloads, "NetworkPolicy", "allow-otlp-egress").manifest },
    ];
    expect(validateWithModels(checks)).toEqual(checks.map(() => ""));
  });
});

describe("validation of the wiring's settings", () => {
  const kafka = staging.kafka;
  const cases: [string, EnvironmentConfig, string][] = [
    [
      "a Kafka environment without the topics Job's image",
      { ...staging, kafka: { ...kafka, topicsJobImage: undefined } },
      "staging.kafka.topicsJobImage: missing; give the image of the topics Job (Kafka CLI + aws-msk-iam-auth), pinned",
    ],
    [
      "an image on latest",
      { ...staging, kafka: { ...kafka, topicsJobImage: "ghcr.io/aivo-platform/kafka-admin:latest" } },
      'staging.kafka.topicsJobImage: "ghcr.io/aivo-platform/kafka-admin:latest" is not pinned; give a version tag (not latest) or an @sha256: digest',
    ],
    [
      "an image without a tag or digest",
      { ...staging, kafka: { ...kafka, topicsJobImage: "ghcr.io/aivo-platform/kafka-admin" } },
      'staging.kafka.topicsJobImage: "ghcr.io/aivo-platform/kafka-admin" is not pinned',
    ],
    [
      "an image without a registry host",
      { ...staging, kafka: { ...kafka, topicsJobImage: "apache/kafka:3.8.1" } },
      'staging.kafka.topicsJobImage: "apache/kafka:3.8.1" is not an image reference with a registry host',
    ],
    [
      "a topics Job namespace the addons stack does not create",
      { ...staging, kafka: { ...kafka, topicsJobNamespace: "kafka-admin" } },
      'staging.kafka.topicsJobNamespace: "kafka-admin" is not a namespace the addons stack creates; use one of aivo,',
    ],
    [
      "a Tailscale auth key outside the environment's secrets",
      { ...development, tailscale: { ...TAILSCALE, authKeySecretName: "aivo/production/tailscale/auth-key" } },
      'development.tailscale.authKeySecretName: "aivo/production/tailscale/auth-key" is outside aivo/development/, the only secrets External Secrets may read in development',
    ],
  ];
  it.each(cases)("rejects %s", (_label, config, message) => {
    expect(() => validateEnvironments([config])).toThrow(message);
  });

  it("refuses an access point id for a consumer without access point settings", () => {
    const accessPoints = { "jarvis-checkpoints": { uid: 1000, gid: 1000, path: "/jarvis/checkpoints" } };
    expect(() =>
      Testing.synthScope((scope) => new EfsStorageClasses(scope, "efs", { fileSystemId: "fs-1", accessPoints, accessPointIds: { jarvis: "fsap-1" } })),
    ).toThrow('accessPointIds.jarvis: no access point settings for "jarvis"; use one of jarvis-checkpoints');
  });

  it("accepts a digest-pinned image and a development without Kafka and without an image", () => {
    expect(() => validateTopicsJobImage("x", `ghcr.io/aivo-platform/kafka-admin@sha256:${"a".repeat(64)}`)).not.toThrow();
    expect(() => validateTopicsJobImage("x", "123456789012.dkr.ecr.us-east-1.amazonaws.com/aivo/kafka-admin:3.8.1")).not.toThrow();
    expect(development.kafka.enabled).toBe(false);
    expect(development.kafka.topicsJobImage).toBeUndefined();
    expect(() => validateEnvironments([withIntegrations])).not.toThrow();
  });
});
