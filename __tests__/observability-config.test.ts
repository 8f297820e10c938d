/** Checks over every stack and the configuration rules of observability and backups (split from observability.test.ts). */
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { validateEnvironments } from "../environments/validate";
import { DASHBOARDS_DIR, DATASOURCE_UIDS, dashboardFiles } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { assertCron } from "../modules/kubernetes/addons/velero";
import { TerraformJson } from "./helpers";
import { platformDocs } from "./platform";

const docs = platformDocs(); // the real platform, synthesized once per run

describe("no synthesized stack holds a secret value", () => {
  /** Shapes of credentials: a Slack webhook, PagerDuty routing/integration keys, AWS keys, private keys, Slack tokens, inline passwords. */
  const SECRET_PATTERNS: [string, RegExp][] = [
    ["Slack webhook URL", /hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9]/],
    ["PagerDuty events URL with key", /events\.pagerduty\.com\/[^"]*[0-9a-f]{32}/],
    ["routing/integration key", /"(routing_key|integration_key|service_key)"\s*:\s*"[^"$]/],
    ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["Slack token", /\bxox[abprs]-[0-9A-Za-z-]{10,}/],
    ["inline password", /"(password|adminPassword|auth_password|smtp_auth_password|secret_string|api_url)"\s*:\s*"[^"$]/i],
  ];
  /** Every string of a document, Helm values and manifests unpacked, as one JSON text. */
  const flatten = (doc: TerraformJson): string =>
    JSON.stringify(doc, (_k, v) => {
      if (typeof v === "string" && v.trim().startsWith("{")) {
        try {
          return JSON.parse(v);
        } catch {
          return v;
        }
      }
      return v;
    });
  const findSecrets = (text: string) => SECRET_PATTERNS.filter(([, re]) => re.test(text)).map(([label]) => label);

  it("finds planted credentials of each kind (the detector works)", () => {
    const planted = [
      '{"url":"https://hooks.slack.com/services/T000/B000/XXXXXXXX"}',
      '{"routing_key":"0123456789abcdef0123456789abcdef"}',
      '{"id":"AKIAABCDEFGHIJKLMNOP"}',
      '{"k":"-----BEGIN RSA PRIVATE KEY-----"}',
      '{"t":"xoxb-1234567890-abcdefghij"}',
      '{"grafana":{"adminPassword":"hunter2"}}',
      '{"api_url":"https://example.com/hook"}',
    ];
    for (const text of planted) expect(findSecrets(text)).not.toEqual([]);
    expect(findSecrets(flatten({ resource: { helm_release: { x: { values: ['{"password":"p"}'] } } } }))).toEqual(["inline password"]);
  });

  it.each(Object.keys(docs))("%s has none, in values or resources", (stack) => {
    expect(findSecrets(flatten(docs[stack]))).toEqual([]);
  });

  it("nor does the source the stacks are built from (environments, modules, scripts, README and docs)", () => {
    const root = join(__dirname, "..");
    const files: string[] = ["README.md", "main.ts"];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|json|md)$/.test(entry.name)) files.push(path);
      }
    };
    ["environments", "modules", "scripts", "docs"].forEach(walk);
    expect(files.length).toBeGreaterThan(40);
    const found = files.flatMap((f) => findSecrets(readFileSync(join(root, f), "utf8")).map((label) => `${f}: ${label}`));
    expect(found).toEqual([]);
  });
});

describe("dashboard files", () => {
  it("are valid JSON dashboards: cluster, nodes and Karpenter, ingress, data stores", () => {
    expect(dashboardFiles()).toEqual(["cluster.json", "data-stores.json", "ingress.json", "nodes-karpenter.json"]);
    const uids = new Set<string>();
    for (const file of dashboardFiles()) {
      const text = readFileSync(join(DASHBOARDS_DIR, file), "utf8");
      // Terraform would interpolate these in the manifest: Grafana variables must be written $var.
      expect(text).not.toMatch(/\$\{|%\{/);
      const dashboard = JSON.parse(text);
      expect(dashboard.uid).toMatch(/^aivo-/);
      expect(uids.has(dashboard.uid)).toBe(false);
      uids.add(dashboard.uid);
      expect(dashboard.panels.length).toBeGreaterThanOrEqual(4);
      for (const panel of dashboard.panels) {
        expect(Object.values(DATASOURCE_UIDS)).toContain(panel.datasource.uid);
        expect(panel.targets.length).toBeGreaterThan(0);
      }
    }
    const dataStores = JSON.parse(readFileSync(join(DASHBOARDS_DIR, "data-stores.json"), "utf8"));
    expect(new Set(dataStores.panels.map((p: any) => p.targets[0].namespace))).toEqual(new Set(["AWS/RDS", "AWS/ElastiCache"]));
  });
});

describe("observability and backup configuration errors", () => {
  type Change = (config: EnvironmentConfig) => EnvironmentConfig;
  const obs = (change: (o: EnvironmentConfig["observability"]) => object): Change => (c) => ({ ...c, observability: change(c.observability) as any });
  const run = (target: string, change: Change) => () =>
    validateEnvironments([development, staging, production].map((c) => (c.name === target ? change(c) : c)));

  it.each<[string, string, Change, string]>([
    [
      "a bad Prometheus retention",
      "staging",
      obs((o) => ({ ...o, prometheus: { ...o.prometheus, retentionDays: 0 } })),
      "staging.observability.prometheus.retentionDays: 0 is not a whole number of days between 1 and 90",
    ],
    [
      "a bad log retention (Loki's)",
      "development",
      (c) => ({ ...c, logRetentionDays: 45 }),
      "development.logRetentionDays: 45 is not a retention CloudWatch Logs accepts",
    ],
    [
      "a malformed cron",
      "development",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, schedule: "0 */6 * *" } }),
      'development.clusterBackups.schedule: "0 */6 * *" is not a cron expression (4 fields)',
    ],
    [
      "a cron value out of range",
      "staging",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, schedule: "0 25 * * *" } }),
      'staging.clusterBackups.schedule: "0 25 * * *" is not a cron expression (field 2: 25 outside 0-23)',
    ],
    [
      "a missing Slack receiver",
      "development",
      obs((o) => ({ ...o, receivers: { ...o.receivers, slack: undefined } })),
      'development.observability.receivers.slack.channel: "undefined" is missing or not a Slack channel like #platform-infrastructure',
    ],
    ["missing receivers", "staging", obs((o) => ({ ...o, receivers: undefined })), "staging.observability.receivers: missing; give slack and email receivers"],
    [
      "a missing e-mail receiver",
      "staging",
      obs((o) => ({ ...o, receivers: { ...o.receivers, email: undefined } })),
      "staging.observability.receivers.email: missing; the escalation e-mail receiver is required",
    ],
    [
      "production without paging",
      "production",
      obs((o) => ({ ...o, receivers: { ...o.receivers, pagerDuty: undefined } })),
      'production.observability.receivers.pagerDuty: missing; production pages PagerDuty "Platform On-Call" for critical alerts',
    ],
    [
      "a bad Velero TTL",
      "production",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, ttlDays: 0 } }),
      "production.clusterBackups.ttlDays: 0 is not a whole number of days between 1 and 365",
    ],
    [
      "replication without a DR region",
      "staging",
      (c) => ({ ...c, clusterBackups: { ...c.clusterBackups, replicateToDr: true } }),
      "staging.clusterBackups.replicateToDr: true, but the environment has no drRegion",
    ],
    [
      "a scaled single-binary Loki",
      "development",
      obs((o) => ({ ...o, loki: { mode: "SingleBinary", replicas: 3 } })),
      'development.observability.loki.replicas: 3; SingleBinary runs one pod, use mode "SimpleScalable" to scale',
    ],
    ["an unknown Loki mode", "staging", obs((o) => ({ ...o, loki: { mode: "Microservices" } })), 'staging.observability.loki.mode: "Microservices" is not one of SingleBinary, SimpleScalable'],
    [
      "too many Alertmanagers",
      "production",
      obs((o) => ({ ...o, alertmanagerReplicas: 9 })),
      "production.observability.alertmanagerReplicas: 9 is not a whole number of replicas between 1 and 5",
    ],
  ])("rejects %s", (_label, target, change, message) => {
    expect(run(target, change)).toThrow(message);
  });

  it("accepts the cron forms Velero takes", () => {
    for (const cron of ["0 */6 * * *", "30 2 * * 1-5", "0 0,12 1 */2 *"]) expect(() => assertCron("x", cron)).not.toThrow();
  });
});
