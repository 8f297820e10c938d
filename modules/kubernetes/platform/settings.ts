import { contains, parseIpv4Cidr } from "../../shared/cidr";
import { assertChartVersion } from "../helm-addon";
import { HELM_CHARTS, HelmChartKey } from "./index";
import type { ArgoCdSso } from "../addons/argo-cd";

/**
 * How `cdktf deploy` (a laptop or a CI runner) reaches the cluster's API server:
 * - `public-allowlist`: the public endpoint, open only to the deploy runners' CIDRs
 *   (`eks.endpointPublicAccess: true` with a non-empty `eks.publicAccessCidrs`, never 0.0.0.0/0);
 * - `in-vpc-runner`: the private endpoint only, reached by a runner inside the VPC whose CIDRs the
 *   control plane admits on 443 (`eks.privateAccessCidrs`, inside the VPC).
 */
export const API_ACCESS_MODES = ["public-allowlist", "in-vpc-runner"] as const;
export type ApiAccessMode = (typeof API_ACCESS_MODES)[number];

/** Kyverno's action on a policy violation: report only, or reject. */
export const POLICY_ACTIONS = ["Audit", "Enforce"] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** A Karpenter disruption budget: at most `nodes` (count or percent) disrupted at once, optionally only in a cron window. */
export interface DisruptionBudget {
  /** Nodes that may be disrupted at once: a count (`"1"`) or a percentage (`"10%"`). */
  readonly nodes: string;
  /** Cron schedule (UTC) the budget applies from, e.g. `"0 9 * * mon-fri"`. @default always */
  readonly schedule?: string;
  /** How long the budget applies after each `schedule` tick, e.g. `"8h"`; required with `schedule`. @default none */
  readonly duration?: string;
  /** Disruption reasons the budget covers. @default all reasons */
  readonly reasons?: readonly ("Underutilized" | "Empty" | "Drifted")[];
}

/** One Karpenter NodePool. */
export interface NodePoolSettings {
  /** Instance types the pool may launch, e.g. `["m6i.large", "m6i.xlarge"]`. */
  readonly instanceTypes: readonly string[];
  /** Total vCPUs the pool may run; at least the largest instance type's vCPUs. */
  readonly cpuLimit: number;
  /** Total memory (GiB) the pool may run; at least the largest instance type's memory. */
  readonly memoryLimitGiB: number;
  /** Disruption budgets (stricter in production). */
  readonly budgets: readonly DisruptionBudget[];
  /** Wait after a pod change before consolidating, e.g. `"5m"`. @default "1m" */
  readonly consolidateAfter?: string;
  /** Node lifetime before replacement, e.g. `"720h"`. @default "720h" */
  readonly expireAfter?: string;
}

/** Karpenter's in-cluster configuration. */
export interface KarpenterSettings {
  /**
   * The EC2NodeClass AMI alias: `al2023@v<YYYYMMDD>` pinned, or `al2023@latest` (development only: a
   * new AMI drifts every node).
   */
  readonly amiAlias: string;
  /** On-demand general capacity. */
  readonly general: NodePoolSettings;
  /** Spot capacity (tainted `workload-type=spot`). */
  readonly spot: NodePoolSettings;
}

/** The controllers whose replica counts the config sets. */
export const REPLICATED_CONTROLLERS = ["awsLoadBalancerController", "certManager", "externalSecrets", "karpenter", "metricsServer", "kyverno", "argoCd", "argoRollouts"] as const;
export type ReplicatedController = (typeof REPLICATED_CONTROLLERS)[number];

/** The Kubernetes platform of an environment (the config holds this object at `<env>.kubernetes`). */
export interface KubernetesSettings {
  /** How deploys reach the API server (see `API_ACCESS_MODES`). */
  readonly apiAccess: ApiAccessMode;
  /** Chart versions replacing `HELM_CHARTS`' pins for this environment (to stage an upgrade). @default none */
  readonly chartVersions?: Readonly<Partial<Record<HelmChartKey, string>>>;
  /** Replicas of each controller; 2 or more keeps it up through a node drain. @default 2 each */
  readonly replicas?: Readonly<Partial<Record<ReplicatedController, number>>>;
  /** Karpenter's node class and pools. */
  readonly karpenter: KarpenterSettings;
  /** Kyverno's action on pod-security violations: `Audit` in development, `Enforce` elsewhere. */
  readonly policyAction: PolicyAction;
  /** The ACME account's e-mail (Let's Encrypt expiry notices). */
  readonly acmeEmail: string;
  /** Argo CD's single sign-on (docs/shipping-a-service.md, "Argo CD access"). @default none: the local admin only */
  readonly argoCdSso?: ArgoCdSso;
}

/** Replicas of a controller unless the config says otherwise. */
export const DEFAULT_REPLICAS = 2;

/** vCPUs and memory (GiB) of an instance type, from its size and family (`m6i.xlarge` → 4 vCPU, 16 GiB). */
export function instanceCapacity(type: string): { vcpu: number; memoryGiB: number } | undefined {
  const match = /^([a-z]+)\d+[a-z-]*\.(medium|large|xlarge|(\d+)xlarge)$/.exec(type);
  if (!match) return undefined;
  const vcpu = match[2] === "medium" ? 1 : match[2] === "large" ? 2 : match[2] === "xlarge" ? 4 : 4 * Number(match[3]);
  const perVcpu: Record<string, number> = { c: 2, m: 4, r: 8, t: 4, x: 16, z: 8 };
  const gibPerVcpu = perVcpu[match[1][0]];
  return gibPerVcpu === undefined ? undefined : { vcpu, memoryGiB: vcpu * gibPerVcpu };
}

/** The chart of `key` with this environment's version override, if any. */
export function chartFor(settings: Pick<KubernetesSettings, "chartVersions">, key: HelmChartKey) {
  const version = settings.chartVersions?.[key];
  return version ? { ...HELM_CHARTS[key], version } : HELM_CHARTS[key];
}

/** The facts of the environment the Kubernetes settings are checked against. */
export interface KubernetesValidationContext {
  readonly environment: string;
  readonly tier: "development" | "staging" | "production";
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly privateAccessCidrs: readonly string[];
  /** The VPC's CIDR: in-VPC runners must be inside it. */
  readonly vpcCidr: string;
}

const DURATION = /^\d+(s|m|h)$/;
const BUDGET_NODES = /^(\d+|(100|[1-9]?\d)%)$/;
const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v\d{8})$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** Checks `<env>.kubernetes`; throws `<env>.kubernetes.<field>: <value> <rule>`. */
export function validateKubernetesSettings(s: KubernetesSettings, ctx: KubernetesValidationContext): void {
  const at = (path: string) => `${ctx.environment}.kubernetes.${path}`;
  const fail = (path: string, message: string): never => {
    throw new Error(`${at(path)}: ${message}`);
  };

  if (!API_ACCESS_MODES.includes(s.apiAccess)) fail("apiAccess", `"${s.apiAccess}" is not one of ${API_ACCESS_MODES.join(", ")}`);
  if (s.apiAccess === "public-allowlist") {
    if (!ctx.endpointPublicAccess) {
      fail("apiAccess", `"public-allowlist" needs the public endpoint; set ${ctx.environment}.eks.endpointPublicAccess to true with the runners' CIDRs in eks.publicAccessCidrs`);
    }
    if (ctx.publicAccessCidrs.length === 0) {
      fail("apiAccess", `"public-allowlist" with an empty ${ctx.environment}.eks.publicAccessCidrs opens the endpoint to 0.0.0.0/0; list the deploy runners' CIDRs`);
    }
  } else {
    if (ctx.privateAccessCidrs.length === 0) {
      fail("apiAccess", `"in-vpc-runner" with an empty ${ctx.environment}.eks.privateAccessCidrs leaves no way in; list the runner subnets' CIDRs`);
    }
    const vpc = parseIpv4Cidr(ctx.vpcCidr);
    ctx.privateAccessCidrs.forEach((cidr, i) => {
      const block = parseIpv4Cidr(cidr);
      if (typeof vpc !== "string" && typeof block !== "string" && !contains(vpc, block)) {
        fail("apiAccess", `"in-vpc-runner": ${ctx.environment}.eks.privateAccessCidrs[${i}] ${cidr} is outside the VPC ${ctx.vpcCidr}; a runner inside the VPC has an address in it`);
      }
    });
  }

  for (const [key, version] of Object.entries(s.chartVersions ?? {})) {
    if (!(key in HELM_CHARTS)) fail(`chartVersions.${key}`, `is not a chart of the platform; use one of ${Object.keys(HELM_CHARTS).join(", ")}`);
    assertChartVersion(at(`chartVersions.${key}`), version as string);
  }
  for (const [key, n] of Object.entries(s.replicas ?? {})) {
    if (!(REPLICATED_CONTROLLERS as readonly string[]).includes(key)) fail(`replicas.${key}`, `is not a controller with replicas; use one of ${REPLICATED_CONTROLLERS.join(", ")}`);
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 10) fail(`replicas.${key}`, `${n} is not a whole number from 1 to 10`);
    if (ctx.tier === "production" && (n as number) < 2) fail(`replicas.${key}`, `${n} leaves production without the controller during a node drain; use 2 or more`);
  }

  if (!POLICY_ACTIONS.includes(s.policyAction)) fail("policyAction", `"${s.policyAction}" is not one of ${POLICY_ACTIONS.join(", ")}`);
  if (ctx.tier !== "development" && s.policyAction !== "Enforce") {
    fail("policyAction", `"${s.policyAction}" only reports pod-security violations; ${ctx.tier} enforces them, use "Enforce"`);
  }
  if (!EMAIL.test(s.acmeEmail)) fail("acmeEmail", `"${s.acmeEmail}" is not an e-mail address`);

  const k = s.karpenter;
  if (!AMI_ALIAS.test(k.amiAlias)) fail("karpenter.amiAlias", `"${k.amiAlias}" is not an AMI alias; use al2023@vYYYYMMDD (or al2023@latest in development)`);
  if (ctx.tier !== "development" && k.amiAlias.endsWith("@latest")) {
    fail("karpenter.amiAlias", `"${k.amiAlias}" replaces every node whenever AWS publishes an AMI; pin al2023@vYYYYMMDD in ${ctx.tier}`);
  }
  for (const pool of ["general", "spot"] as const) {
    const p = k[pool];
    const path = `karpenter.${pool}`;
    if (p.instanceTypes.length === 0) fail(`${path}.instanceTypes`, "is empty; list at least one instance type, e.g. m6i.large");
    const capacities = p.instanceTypes.map((type, i) => {
      const c = instanceCapacity(type);
      if (!c) fail(`${path}.instanceTypes[${i}]`, `"${type}" is not an instance type of a known family (c, m, r, t, x, z); write family.size, e.g. m6i.large`);
      return c!;
    });
    const needCpu = Math.max(...capacities.map((c) => c.vcpu));
    const needMemory = Math.max(...capacities.map((c) => c.memoryGiB));
    if (!Number.isFinite(p.cpuLimit) || p.cpuLimit < needCpu) {
      fail(`${path}.cpuLimit`, `${p.cpuLimit} is below the ${needCpu} vCPUs of its largest instance type; the pool could never launch one`);
    }
    if (!Number.isFinite(p.memoryLimitGiB) || p.memoryLimitGiB < needMemory) {
      fail(`${path}.memoryLimitGiB`, `${p.memoryLimitGiB} is below the ${needMemory} GiB of its largest instance type; the pool could never launch one`);
    }
    for (const field of ["consolidateAfter", "expireAfter"] as const) {
      const value = p[field];
      if (value !== undefined && !DURATION.test(value)) fail(`${path}.${field}`, `"${value}" is not a duration like 5m or 720h`);
    }
    if (p.budgets.length === 0) fail(`${path}.budgets`, "is empty, which lets Karpenter disrupt 10% of nodes at any time; give at least one budget");
    p.budgets.forEach((b, i) => {
      if (!BUDGET_NODES.test(b.nodes)) fail(`${path}.budgets[${i}].nodes`, `"${b.nodes}" is not a node count or percentage like "1" or "10%"`);
      if ((b.schedule === undefined) !== (b.duration === undefined)) fail(`${path}.budgets[${i}]`, "schedule and duration go together; give both or neither");
      if (b.duration !== undefined && !DURATION.test(b.duration)) fail(`${path}.budgets[${i}].duration`, `"${b.duration}" is not a duration like 8h`);
    });
    if (ctx.tier === "production" && !p.budgets.some((b) => b.schedule === undefined && (b.nodes === "1" || b.nodes === "0"))) {
      fail(`${path}.budgets`, "production needs an always-on budget of at most 1 node disrupted at a time");
    }
  }
}
