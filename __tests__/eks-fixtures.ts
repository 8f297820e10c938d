/** The EksCluster props (also read by eks-validation.test.ts), the clusters eks.test.ts and eks-node-groups.test.ts synthesize from them, and readers of their documents. */
import { Testing } from "cdktf";
import { DEFAULT_NODE_GROUPS, EksCluster, EksClusterProps } from "../modules/aws/compute/eks";
import { Naming } from "../modules/shared/naming";
import { configsOf, parse, resourcesOf, TerraformJson } from "./helpers";

export const ADMIN = "arn:aws:iam::123456789012:role/aivo-platform-admin";
export const CI = "arn:aws:iam::123456789012:role/aivo-ci-deploy";

/** The settings the report proposes for production. */
export const production: Omit<EksClusterProps, "naming" | "vpcId" | "privateSubnetIds" | "logRetentionDays"> = {
  upgradeSupportType: "EXTENDED",
  endpointPublicAccess: true,
  publicAccessCidrs: ["203.0.113.0/24", "2001:db8::/32"],
  controlPlaneLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  adminRoleArns: [ADMIN, CI],
  nodeGroups: {
    general: { ...DEFAULT_NODE_GROUPS.general, minSize: 3, desiredSize: 6, maxSize: 20 },
    spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 3, maxSize: 20 },
    memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 2, desiredSize: 2, maxSize: 8, diskSizeGiB: 100 },
  },
  addonVersions: { coredns: "v1.12.4-eksbuild.1" },
};

export const wiring = (environment: string) => ({
  naming: new Naming("aivo", environment),
  vpcId: "vpc-0abc",
  privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  logRetentionDays: 90,
});

/**
 * Synthesizes the three clusters the tests read: production (the report's settings), development
 * (defaults, no deletion protection, no admin role) and a Graviton-only staging without Karpenter.
 */
export function synthClusters(): { prod: EksCluster; prodDoc: TerraformJson; devDoc: TerraformJson; gravitonDoc: TerraformJson } {
  let prod!: EksCluster;
  const prodSynth = Testing.synthScope((scope) => {
    prod = new EksCluster(scope, "eks", { ...wiring("production"), ...production, instanceTags: { CostCenter: "platform" } });
  });
  const prodDoc = parse(prodSynth);
  const devDoc = parse(
    Testing.synthScope((scope) => {
      new EksCluster(scope, "eks", { ...wiring("development"), deletionProtection: false, createAdminRole: false });
    }),
  );
  const gravitonDoc = parse(
    Testing.synthScope((scope) => {
      new EksCluster(scope, "eks", {
        ...wiring("staging"),
        karpenter: false,
        nodeGroups: { arm: { instanceTypes: ["m7g.large", "c7gn.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 1, maxSize: 2 } },
      });
    }),
  );
  return { prod, prodDoc, devDoc, gravitonDoc };
}

/** The resource of `type` whose logical id contains `fragment`. */
export function byId(doc: TerraformJson, type: string, fragment: string): Record<string, any> {
  const matches = Object.entries(resourcesOf(doc, type)).filter(([id]) => id.includes(fragment));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${matches.length}`);
  return matches[0][1];
}
export const idOf = (doc: TerraformJson, type: string, fragment: string) =>
  `${type}.${Object.keys(resourcesOf(doc, type)).find((id) => id.includes(fragment))}`;
export const ref = (doc: TerraformJson, type: string, fragment: string, attr: string) =>
  `\${${idOf(doc, type, fragment)}.${attr}}`;
export const keyPolicy = (doc: TerraformJson, aliasPurpose: string) => {
  const alias = configsOf(doc, "aws_kms_alias").find((a) => a.name.endsWith(`/${aliasPurpose}`))!;
  const keyId = alias.target_key_id.match(/^\$\{aws_kms_key\.(.+)\.key_id\}$/)[1];
  return { key: doc.resource!.aws_kms_key[keyId], arn: `\${aws_kms_key.${keyId}.arn}` };
};
