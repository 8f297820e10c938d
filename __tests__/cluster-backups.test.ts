/** Velero per environment, and the security of the observability and backup stacks (split from observability.test.ts). */
import { ENVIRONMENTS } from "../environments";
import { LOKI_SERVICE_ACCOUNT } from "../modules/kubernetes/addons/loki";
import { GRAFANA_SERVICE_ACCOUNT } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_SCHEDULE_EVERY_6_HOURS, VELERO_SCHEDULE_NAME, VELERO_SERVICE_ACCOUNT } from "../modules/kubernetes/addons/velero";
import { configsOf, policy, resourcesOf, withoutAccount } from "./helpers";
import { releaseValues } from "./kubernetes-helpers";
import { platformDocs } from "./platform";

const docs = platformDocs(); // the real platform, synthesized once per run
const names = ENVIRONMENTS.map((e) => e.name);
const configOf = (name: string) => ENVIRONMENTS.find((e) => e.name === name)!;

describe.each(names)("%s cluster backups and the observability stacks' security", (name) => {
  const config = configOf(name);
  const addons = docs[`${name}-addons`];
  /** Velero's bucket replicated to the DR region (a replica bucket, its key and role). */
  const replicated = config.clusterBackups.replicateToDr === true;

  describe("Velero", () => {
    const values = releaseValues(addons, "velero");
    // The document's retention per tier.
    const ttlDays = { development: 3, staging: 7, production: 30 }[config.tier];

    it(`backs up every 6 hours, kept ${ttlDays} days`, () => {
      expect(config.clusterBackups.ttlDays).toBe(ttlDays);
      expect(values.schedules[VELERO_SCHEDULE_NAME]).toMatchObject({
        disabled: false,
        schedule: VELERO_SCHEDULE_EVERY_6_HOURS,
        template: { ttl: `${ttlDays * 24}h0m0s`, includedNamespaces: ["*"], storageLocation: "default", volumeSnapshotLocations: ["default"], snapshotVolumes: true },
      });
      expect(VELERO_SCHEDULE_EVERY_6_HOURS).toBe("0 */6 * * *");
    });

    it("stores backups in its CMK-encrypted bucket and snapshots EBS volumes in the region (no static credentials)", () => {
      const buckets = resourcesOf(addons, "aws_s3_bucket");
      const [id] = Object.entries(buckets).find(([, b]) => withoutAccount(b.bucket) === `aivo-${name}-velero`)!;
      expect(values.configuration.backupStorageLocation).toEqual([
        { name: "default", provider: "aws", bucket: `\${aws_s3_bucket.${id}.bucket}`, default: true, config: { region: config.region, kmsKeyId: expect.stringMatching(/^\$\{aws_kms_key\.velero_key_/) } },
      ]);
      expect(values.configuration.volumeSnapshotLocation).toEqual([{ name: "default", provider: "aws", config: { region: config.region } }]);
      expect(values.credentials).toEqual({ useSecret: false });
      expect(values.initContainers[0].image).toBe(VELERO_AWS_PLUGIN_IMAGE);
      const versioning = configsOf(addons, "aws_s3_bucket_versioning").find((v) => v.bucket === `\${aws_s3_bucket.${id}.id}`)!;
      expect(versioning.versioning_configuration.status).toBe("Enabled");
      const lifecycle = configsOf(addons, "aws_s3_bucket_lifecycle_configuration").find((l) => l.bucket === `\${aws_s3_bucket.${id}.id}`)!;
      expect(lifecycle.rule[0].expiration[0].days).toBeGreaterThan(ttlDays);
    });

    it("replicates the bucket to the DR region where configured (production), into a bucket with its own CMK", () => {
      const replication = configsOf(addons, "aws_s3_bucket_replication_configuration");
      expect(replicated).toBe(config.tier === "production");
      if (!replicated) {
        expect(replication).toEqual([]);
        expect(addons.provider!.aws).toHaveLength(1);
        return;
      }
      expect(replication).toHaveLength(1);
      const drProvider = addons.provider!.aws.find((p: any) => p.alias === "dr")!;
      expect(drProvider.region).toBe(config.drRegion);
      const buckets = resourcesOf(addons, "aws_s3_bucket");
      const [replicaId, replica] = Object.entries(buckets).find(([, b]) => withoutAccount(b.bucket) === `aivo-${name}-velero-replica`)!;
      expect(replica.provider).toBe("aws.dr");
      const rule = replication[0].rule[0];
      expect(rule.destination.bucket).toBe(`\${aws_s3_bucket.${replicaId}.arn}`);
      const keys = resourcesOf(addons, "aws_kms_key");
      const replicaKeyId = /aws_kms_key\.([^.]+)\.arn/.exec(rule.destination.encryption_configuration.replica_kms_key_id)![1];
      expect(keys[replicaKeyId].provider).toBe("aws.dr");
      expect(rule.source_selection_criteria.sse_kms_encrypted_objects.status).toBe("Enabled");
      for (const v of configsOf(addons, "aws_s3_bucket_versioning").filter((v) => /velero/.test(v.bucket))) {
        expect(v.versioning_configuration.status).toBe("Enabled");
      }
      expect(replication[0].depends_on).toHaveLength(2);
    });
  });

  describe("security", () => {
    it("blocks public access, encrypts with a CMK and denies non-TLS requests on every bucket", () => {
      const ids = Object.keys(resourcesOf(addons, "aws_s3_bucket"));
      expect(ids.length).toBe(replicated ? 4 : 3);
      for (const id of ids) {
        const ref = `\${aws_s3_bucket.${id}.id}`;
        expect(configsOf(addons, "aws_s3_bucket_public_access_block").find((p) => p.bucket === ref)).toMatchObject({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
        const statements = policy(configsOf(addons, "aws_s3_bucket_policy").find((p) => p.bucket === ref)!.policy).Statement;
        expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
        expect(configsOf(addons, "aws_s3_bucket_server_side_encryption_configuration").find((p) => p.bucket === ref)!.rule[0].bucket_key_enabled).toBe(true);
      }
      for (const key of configsOf(addons, "aws_kms_key")) expect(key.enable_key_rotation).toBe(true);
      const aliases = configsOf(addons, "aws_kms_alias").map((a) => a.name).sort();
      const purposes = ["loki", "monitoring-secrets", "velero", ...(replicated ? ["velero-replica"] : [])];
      expect(aliases).toEqual(purposes.map((p) => `alias/aivo/${name}/${p}`).sort());
    });

    it("scopes every IAM policy: named resources, or a region condition where AWS takes no resource", () => {
      // The observability roles' policies (the platform controllers' are checked in kubernetes-platform.test.ts).
      const observabilityRoles = Object.entries(resourcesOf(addons, "aws_iam_role"))
        .filter(([, r]) => /-(grafana-cloudwatch|loki|velero|velero-replication)$/.test(r.name))
        .map(([id]) => `\${aws_iam_role.${id}.name}`);
      const policies = configsOf(addons, "aws_iam_role_policy").filter((p) => observabilityRoles.includes(p.role));
      expect(policies.length).toBe(replicated ? 4 : 3);
      for (const p of policies) {
        for (const s of policy(p.policy).Statement) {
          expect(s.Effect).toBe("Allow");
          const resources = [s.Resource].flat();
          if (resources.includes("*")) {
            expect(s.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": config.region } });
          } else {
            // This stack's buckets and keys, the environment's EBS key, or the log groups of this account and region.
            const own = /^\$\{aws_(s3_bucket|kms_key)\.[^}]+\.arn\}(\/\*)?$/;
            const ebsKey = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${name}\\.outputs\\.[^}]*eks_ebs-key[^}]*arn\\}$`);
            const logGroups = /^arn:\$\{data\.aws_partition\.[^}]+\}:logs:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:log-group:\*$/;
            for (const r of resources) expect([own, ebsKey, logGroups].some((re) => re.test(r))).toBe(true);
          }
          for (const action of [s.Action].flat()) expect(action).not.toMatch(/^(\*|s3:\*|kms:\*|iam:.*)$/);
        }
      }
      const trusts = configsOf(addons, "aws_iam_role").map((r) => policy(r.assume_role_policy).Statement[0]);
      const subjects = trusts.filter((t) => t.Principal.Federated).map((t) => Object.entries(t.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1]);
      expect(subjects).toEqual(
        expect.arrayContaining([`system:serviceaccount:monitoring:${GRAFANA_SERVICE_ACCOUNT}`, `system:serviceaccount:monitoring:${LOKI_SERVICE_ACCOUNT}`, `system:serviceaccount:velero:${VELERO_SERVICE_ACCOUNT}`]),
      );
      // Beside them only the platform controllers' roles (issue 10), each trusted by one service account.
      expect(subjects.filter((s: unknown) => /:(monitoring|velero):/.test(String(s)))).toHaveLength(3);
    });
  });
});
