// Validation of the EKS settings: defaults applied, every rule checked with the field path named.
import { Token } from "cdktf";
import { checkCidr } from "../../../shared/cidr";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { isArm, isSchedulable } from "./node-groups";
import {
  CAPACITY_TYPES,
  CONTROL_PLANE_LOG_TYPES,
  DEFAULT_CONTROL_PLANE_LOG_TYPES,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_NODE_GROUPS,
  EKS_ADDONS,
  EksAddonName,
  EksClusterProps,
  EksSettings,
  ENVIRONMENT_LABEL,
  MIN_DISK_SIZE_GIB,
  NODE_TYPE_LABEL,
  TAINT_EFFECTS,
  UPGRADE_SUPPORT_TYPES,
} from "./settings";

export type ResolvedSettings = Required<Omit<EksSettings, "addonVersions" | "karpenterNodeAllowance">> & {
  readonly addonVersions: Readonly<Partial<Record<EksAddonName, string>>>;
};

/** Applies defaults and checks every setting; throws `<env>.eks.<path>: <value> <rule>; <fix>`. */
export function validateEksProps(props: EksClusterProps): ResolvedSettings {
  const at = (path: string) => `${props.naming.environment}.eks.${path}`;
  const fail = (path: string, message: string): never => {
    throw new Error(`${at(path)}: ${message}`);
  };
  const s: ResolvedSettings = {
    kubernetesVersion: props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    upgradeSupportType: props.upgradeSupportType ?? "STANDARD",
    endpointPublicAccess: props.endpointPublicAccess ?? false,
    publicAccessCidrs: props.publicAccessCidrs ?? [],
    privateAccessCidrs: props.privateAccessCidrs ?? [],
    controlPlaneLogTypes: props.controlPlaneLogTypes ?? DEFAULT_CONTROL_PLANE_LOG_TYPES,
    adminRoleArns: props.adminRoleArns ?? [],
    createAdminRole: props.createAdminRole ?? true,
    nodeGroups: props.nodeGroups ?? DEFAULT_NODE_GROUPS,
    addonVersions: props.addonVersions ?? {},
    deletionProtection: props.deletionProtection ?? true,
    karpenter: props.karpenter ?? true,
  };

  if (!/^1\.\d{1,3}$/.test(s.kubernetesVersion)) {
    fail("kubernetesVersion", `"${s.kubernetesVersion}" is not a Kubernetes minor version; use "1.<minor>", e.g. "${DEFAULT_KUBERNETES_VERSION}"`);
  }
  if (!UPGRADE_SUPPORT_TYPES.includes(s.upgradeSupportType)) {
    fail("upgradeSupportType", `"${s.upgradeSupportType}" is not a support type; use ${UPGRADE_SUPPORT_TYPES.join(" or ")}`);
  }

  // Public endpoint allowlist.
  s.publicAccessCidrs.forEach((cidr, i) => {
    const path = `publicAccessCidrs[${i}]`;
    const check = checkCidr(cidr);
    if (!check.valid && check.reason === "host-bits") fail(path, `${cidr} has host bits set; use ${check.network}`);
    if (!check.valid) fail(path, `"${cidr}" is not a CIDR; write it as a.b.c.d/nn`);
    if (check.valid && check.prefixLength === 0) {
      fail(path, `${cidr} opens the API endpoint to the whole internet; list only the CIDRs that need access`);
    }
  });
  s.privateAccessCidrs.forEach((cidr, i) => {
    const path = `privateAccessCidrs[${i}]`;
    const check = checkCidr(cidr);
    if (!check.valid && check.reason === "host-bits") fail(path, `${cidr} has host bits set; use ${check.network}`);
    if (!check.valid) fail(path, `"${cidr}" is not a CIDR; write it as a.b.c.d/nn`);
    if (check.valid && check.prefixLength === 0) fail(path, `${cidr} admits everything; list the runner subnets' CIDRs`);
  });
  if (s.endpointPublicAccess && s.publicAccessCidrs.length === 0) {
    fail("publicAccessCidrs", "is empty while endpointPublicAccess is true, which EKS reads as 0.0.0.0/0; list the CIDRs that need access");
  }
  if (!s.endpointPublicAccess && s.publicAccessCidrs.length > 0) {
    fail("publicAccessCidrs", `${s.publicAccessCidrs.join(", ")} has no effect while endpointPublicAccess is false; remove it or turn the public endpoint on`);
  }

  // Control-plane logs.
  s.controlPlaneLogTypes.forEach((type, i) => {
    if (!CONTROL_PLANE_LOG_TYPES.includes(type)) {
      fail(`controlPlaneLogTypes[${i}]`, `"${type}" is not a control-plane log type; use ${CONTROL_PLANE_LOG_TYPES.join(", ")}`);
    }
    if (s.controlPlaneLogTypes.indexOf(type) !== i) fail(`controlPlaneLogTypes[${i}]`, `"${type}" is listed twice; list it once`);
  });
  if (!s.controlPlaneLogTypes.includes("audit")) {
    fail("controlPlaneLogTypes", `[${s.controlPlaneLogTypes.join(", ")}] lacks "audit", the record of who did what in the cluster; add "audit"`);
  }

  // Admin roles.
  s.adminRoleArns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
      fail(`adminRoleArns[${i}]`, `"${arn}" is not an IAM role ARN; use arn:aws:iam::<account>:role/<name>`);
    }
    if (s.adminRoleArns.indexOf(arn) !== i) fail(`adminRoleArns[${i}]`, `"${arn}" is listed twice; list it once`);
  });

  // Node groups.
  const groups = Object.entries(s.nodeGroups);
  if (groups.length === 0) fail("nodeGroups", "is empty; define at least one node group (CoreDNS and Karpenter run on it)");
  for (const [name, g] of groups) {
    const path = `nodeGroups.${name}`;
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(name)) {
      fail(path, `"${name}" is not a node group name; use up to 20 lowercase letters, digits and "-", starting with a letter`);
    }
    if (!g.instanceTypes || g.instanceTypes.length === 0) {
      fail(`${path}.instanceTypes`, "the list is empty; list at least one instance type, e.g. m6i.large");
    }
    g.instanceTypes.forEach((type, i) => {
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type)) {
        fail(`${path}.instanceTypes[${i}]`, `"${type}" is not an EC2 instance type; write family.size, e.g. m6i.large`);
      }
    });
    if (new Set(g.instanceTypes.map(isArm)).size > 1) {
      fail(`${path}.instanceTypes`, `[${g.instanceTypes.join(", ")}] mixes Graviton and x86_64 types; one node group runs one AMI architecture, split them`);
    }
    if (!CAPACITY_TYPES.includes(g.capacityType)) {
      fail(`${path}.capacityType`, `"${g.capacityType}" is not a capacity type; use ${CAPACITY_TYPES.join(" or ")}`);
    }
    for (const field of ["minSize", "desiredSize", "maxSize"] as const) {
      if (!Number.isInteger(g[field]) || g[field] < 0) {
        fail(path, `${field} ${g[field]} is not a whole number ≥ 0; set a node count`);
      }
    }
    if (g.maxSize < 1) fail(path, `maxSize ${g.maxSize} is below 1; EKS needs room for at least one node`);
    if (g.minSize > g.maxSize) fail(path, `minSize ${g.minSize} is greater than maxSize ${g.maxSize}; set minSize ≤ maxSize`);
    if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      fail(path, `desiredSize ${g.desiredSize} is outside minSize ${g.minSize} .. maxSize ${g.maxSize}; set desiredSize within the range`);
    }
    const disk = g.diskSizeGiB ?? 50;
    if (!Number.isInteger(disk) || disk < MIN_DISK_SIZE_GIB || disk > 16384) {
      fail(`${path}.diskSizeGiB`, `${disk} is outside ${MIN_DISK_SIZE_GIB}-16384 GiB; the AL2023 AMI needs at least ${MIN_DISK_SIZE_GIB}`);
    }
    for (const reserved of [NODE_TYPE_LABEL, ENVIRONMENT_LABEL]) {
      if (g.labels && reserved in g.labels) {
        fail(`${path}.labels`, `"${reserved}" is set by the module (${reserved === NODE_TYPE_LABEL ? "the group's name" : "the environment"}); remove it`);
      }
    }
    (g.taints ?? []).forEach((t, i) => {
      if (!t.key) fail(`${path}.taints[${i}]`, "the key is empty; give the taint a key, e.g. workload-type");
      if (!TAINT_EFFECTS.includes(t.effect)) {
        fail(`${path}.taints[${i}].effect`, `"${t.effect}" is not a taint effect; use ${TAINT_EFFECTS.join(", ")}`);
      }
    });
  }
  const schedulable = groups.filter(([, g]) => isSchedulable(g));
  if (schedulable.length === 0) {
    fail("nodeGroups", "every group has a NoSchedule/NoExecute taint, so CoreDNS and the EBS CSI controller cannot schedule; leave one group untainted");
  }

  // Karpenter's node allowance (for the pod address check).
  if (props.karpenterNodeAllowance) {
    const { instanceTypes, maxNodes } = props.karpenterNodeAllowance;
    if (!Number.isInteger(maxNodes) || maxNodes < 0) {
      fail("karpenterNodeAllowance.maxNodes", `${maxNodes} is not a whole number ≥ 0; give the most nodes Karpenter's NodePools may launch`);
    }
    if (instanceTypes.length === 0) fail("karpenterNodeAllowance.instanceTypes", "the list is empty; list the largest instance types Karpenter may pick");
  }

  // Add-on versions.
  for (const [name, version] of Object.entries(s.addonVersions)) {
    if (!(name in EKS_ADDONS)) fail(`addonVersions.${name}`, `"${name}" is not an add-on this module installs; use ${Object.keys(EKS_ADDONS).join(", ")}`);
    if (version !== undefined && !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
      fail(`addonVersions.${name}`, `"${version}" is not an EKS add-on version; use the form v1.2.3-eksbuild.1 (aws eks describe-addon-versions)`);
    }
  }

  // Wiring.
  assertLogRetentionDays(at("logRetentionDays"), props.logRetentionDays);
  if (!Token.isUnresolved(props.privateSubnetIds) && props.privateSubnetIds.length < 2) {
    fail("privateSubnetIds", `${props.privateSubnetIds.length} subnet(s) given; EKS needs subnets in at least two availability zones`);
  }
  return s;
}
